"""Merging from the order lists and from the order page: the list action (every order list, the
queue too) and the mergeable hint's link both open the merge preview (``OrderMoneyEditsMixin.merge_view``)."""

from dataclasses import replace

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.admin.workbench import CheckRow
from orders.models import CheckStatus
from orders.services.merge import MERGEABLE_HINT

MERGE_PERMISSION = "orders.merge_orders"
MERGE_MAX = 50  # as many orders as one REST merge takes


class MergeActionMixin:
    """The list action that opens the merge preview of the selected orders (every order list, the queue too)."""

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MERGE_PERMISSION)

    @admin.action(description=gettext_lazy("Merge the selected orders"), permissions=["merge"])
    def merge_selected_orders(self, request: HttpRequest, queryset) -> HttpResponseRedirect | None:
        ids = sorted(queryset.values_list("pk", flat=True)[: MERGE_MAX + 1])
        if len(ids) > MERGE_MAX:
            self.message_user(request, _("At most %d orders can be merged at once.") % MERGE_MAX, messages.ERROR)
            return None
        return HttpResponseRedirect(merge_url(ids))


def merge_url(ids: list[int]) -> str:
    """The merge preview of these orders."""
    return reverse("admin:orders_order_merge") + "?" + urlencode({"ids": ",".join(map(str, sorted(ids)))})


def merge_link(row: CheckRow) -> CheckRow:
    """The mergeable hint links to the merge preview of this order and the others it names."""
    others = row.result.data.get("orders") if isinstance(row.result.data, dict) else None
    if row.result.code != MERGEABLE_HINT or row.result.status == CheckStatus.RESOLVED or not others:
        return row
    return replace(row, link=(merge_url([row.result.order_id, *others]), _("Merge these orders")))
