"""What the order lists share: masked personal data, phone search, filters on open checks."""

import re

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from orders.addresses import InvalidPhoneNumber, mask_name, mask_phone, phone_normalise
from orders.admin.paginator import EstimatedCountPaginator
from orders.admin.plumbing import FULL_PHONE_PERMISSION
from orders.checks import REGISTRY
from orders.checks.messages import check_title
from orders.models import Order, Severity
from orders.selectors import orders_with_open_check

# A search term that may be a phone number typed by an agent: digits with spaces, dashes, a +.
_PHONE_LIKE = re.compile(r"\+?[\d\s()-]{7,20}")


class OpenCheckCodeFilter(admin.SimpleListFilter):
    title = _("open check code")
    parameter_name = "open_check"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        return [(code, check_title(code)) for code in sorted(REGISTRY)]

    def queryset(self, request, queryset: QuerySet[Order]) -> QuerySet[Order] | None:
        if self.value():
            return orders_with_open_check(queryset, code=self.value())
        return None


class OpenCheckSeverityFilter(admin.SimpleListFilter):
    title = _("open check severity")
    parameter_name = "open_severity"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        return list(Severity.choices)

    def queryset(self, request, queryset: QuerySet[Order]) -> QuerySet[Order] | None:
        if self.value() in Severity.values:
            return orders_with_open_check(queryset, severity=self.value())
        return None


# An order id no order has: the order page's URL is reversed once per page with it, then filled in per row.
_ANY_ID = 987654321987654321


# What the order lists show of an order (every column of the three lists, the order's name for its
# checkbox); a list reads only these.
LIST_COLUMNS = (
    "external_id",
    "status",
    "payment_status",
    "storefront__name",
    "customer__name",
    "customer__external_id",
    "ship_recipient",
    "ship_phone",
    "total",
    "open_blockers",
    "open_warnings",
    "hold_reason",
    "created_at",
)


class OrderPageChangeList(ChangeList):
    def get_results(self, request) -> None:
        """The page's orders with only the columns the lists show (of some sixty); the actions and the
        filters take the list's queryset whole (``get_queryset``)."""
        self.queryset = self.queryset.only(*LIST_COLUMNS)
        super().get_results(request)

    def url_for_result(self, result: Order) -> str:
        """A row opens the order's page (the workbench), whatever list of orders it is in."""
        before, after = self._order_url
        return f"{before}{result.pk}{after}"

    @cached_property
    def _order_url(self) -> tuple[str, str]:
        url = reverse("admin:orders_order_change", args=[_ANY_ID], current_app=self.model_admin.admin_site.name)
        before, _any_id, after = url.partition(str(_ANY_ID))
        return before, after


class OrderListMixin:
    """Columns and search of the order lists. Lists always mask the buyer's name and phone; staff who may not
    see them in full (the warehouse) search by the order's and the buyer's ids only, or a search would
    confirm whose phone or name a masked row holds."""

    search_fields = ["=external_id", "ship_recipient", "ship_phone", "=customer__external_id"]
    masked_search_fields = ["=external_id", "=customer__external_id"]
    paginator = EstimatedCountPaginator
    change_list_template = "admin/orders/order_list.html"  # its rows come from orders/admin/rows.py

    def get_changelist(self, request, **kwargs) -> type[ChangeList]:
        return OrderPageChangeList

    def get_search_fields(self, request) -> list[str]:
        return self.search_fields if request.user.has_perm(FULL_PHONE_PERMISSION) else self.masked_search_fields

    @admin.display(description=_("customer"))
    def customer_masked(self, order: Order) -> str:
        return mask_name(order.customer.name) or order.customer.external_id

    @admin.display(description=_("recipient"))
    def recipient_masked(self, order: Order) -> str:
        return mask_name(order.ship_recipient)

    @admin.display(description=_("phone"))
    def phone_masked(self, order: Order) -> str:
        return mask_phone(order.ship_phone)

    def get_search_results(self, request, queryset: QuerySet[Order], search_term: str):
        """Also find a phone typed the way buyers say it (138 0013 8000) through its stored E.164 form."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if _PHONE_LIKE.fullmatch(term) and request.user.has_perm(FULL_PHONE_PERMISSION):
            try:
                phone = phone_normalise(term)
            except InvalidPhoneNumber:
                return results, may_have_duplicates
            results |= queryset.filter(ship_phone=phone)
        return results, may_have_duplicates
