"""Merging orders in the admin (合并订单): the list action (every order list, the queue too) and the
mergeable hint's link both open the merge preview, which shows the primary order (or why not) before
anything is merged; an active merge's primary offers unmerge on its page."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.admin.forms import ReasonForm, text_field
from orders.admin.plumbing import PageAction, domain_error_text, form_errors_text, require, workflow_service
from orders.events import Actor
from orders.exceptions import DomainError, MergeRefused
from orders.models import CheckResult, CheckStatus, Order
from orders.pricing import order_shipping_quote
from orders.services.lifecycle import actions_allowed
from orders.services.merge import MERGEABLE_HINT, MergePlan, order_unmerge, orders_merge, orders_merge_preview
from orders.shop_config import shop_config
from orders.text import REASON

MERGE_PERMISSION = "orders.merge_orders"
MERGE_MAX = 50  # as many orders as one REST merge takes

UNMERGE = PageAction(
    ReasonForm,
    MERGE_PERMISSION,
    workflow_service(order_unmerge),
    gettext_lazy("The merge is undone: every order is back as it was before."),
)


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


def merge_link(result: CheckResult) -> tuple[str, str] | None:
    """The mergeable hint links to the merge preview of this order and the others it names."""
    others = result.data.get("orders") if isinstance(result.data, dict) else None
    if result.code != MERGEABLE_HINT or result.status == CheckStatus.RESOLVED or not others:
        return None
    return merge_url([result.order_id, *others]), _("Merge these orders")


class MergeForm(forms.Form):
    # "id:version,id:version": each order's version as the preview showed it.
    versions = forms.RegexField(r"^\d+:\d+(,\d+:\d+)*$", widget=forms.HiddenInput)
    reason = text_field(REASON.limit, required=True, label=gettext_lazy("reason"))

    def clean_versions(self) -> dict[int, int]:
        pairs = (pair.split(":") for pair in self.cleaned_data["versions"].split(","))
        return {int(order_id): int(version) for order_id, version in pairs}


def _ids(raw: str) -> list[int]:
    """The order ids of a merge page's address (``?ids=3,5``)."""
    parts = raw.split(",")
    if not all(part.isdigit() for part in parts) or len(parts) > MERGE_MAX:
        raise Http404
    return [int(part) for part in parts]


@dataclass(frozen=True)
class MergeRow:
    """One order of a merge preview with the reasons it stops the merge."""

    order: Order
    refusals: list[str]


class OrderMergeMixin(MergeActionMixin):
    """Adds the merge preview and unmerge to the order admin, the merge record and the mergeable
    hint's link to the order page. Mixed into OrderAdmin before the workbench."""

    merge_template = "admin/orders/order/merge.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("merge/", self.admin_site.admin_view(self.merge_view), name="{}_{}_merge".format(*info)),
            path(
                "<path:object_id>/unmerge/",
                self.admin_site.admin_view(self.unmerge_view),
                name="{}_{}_unmerge".format(*info),
            ),
            *super().get_urls(),
        ]

    def workbench_context(self, request: HttpRequest, order: Order) -> dict:
        context = super().workbench_context(request, order)
        merge = getattr(order, "merge_record", None)  # None unless the order is a merge's primary
        context.update(
            merge_record=merge,
            can_unmerge=merge is not None
            and merge.unmerged_at is None
            and request.user.has_perm(MERGE_PERMISSION)
            and "unmerge" in actions_allowed(order.status),
        )
        return context

    def check_link(self, request: HttpRequest, result: CheckResult) -> tuple[str, str] | None:
        if request.user.has_perm(MERGE_PERMISSION) and (link := merge_link(result)) is not None:
            return link
        return super().check_link(request, result)

    def merge_view(self, request: HttpRequest) -> HttpResponse:
        """GET: the preview of the merge (or why not); POST: merge with the versions the preview showed."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        require(request, MERGE_PERMISSION)
        ids = _ids(request.GET.get("ids", ""))
        form = MergeForm(request.POST or None)
        if request.method == "POST":
            if not form.is_valid():
                messages.error(request, form_errors_text(form))
            else:
                try:
                    primary = orders_merge(
                        order_ids=ids,
                        actor=Actor(user=request.user),
                        reason=form.cleaned_data["reason"],
                        expected_versions=form.cleaned_data["versions"],
                    )
                except MergeRefused:
                    messages.error(request, _("The orders cannot be merged; the reasons are listed below."))
                except DomainError as error:
                    messages.error(request, domain_error_text(error))
                else:
                    messages.success(request, _("The orders are merged into %s.") % primary.external_id)
                    return HttpResponseRedirect(self.order_url(primary))
        plan = orders_merge_preview(order_ids=ids)
        return TemplateResponse(request, self.merge_template, self._merge_context(request, plan, form))

    def _merge_context(self, request: HttpRequest, plan: MergePlan, form: MergeForm) -> dict:
        by_order: dict[int | None, list[str]] = {}
        for refusal in plan.refusals:
            by_order.setdefault(refusal.order, []).append(refusal.message)
        known = {order.pk for order in plan.originals}
        primary = plan.primary
        return {
            **self.page_context(request, _("Merge orders")),
            "rows": [MergeRow(order, by_order.get(order.pk, [])) for order in plan.originals],
            "general_refusals": [m for key, messages_ in by_order.items() if key not in known for m in messages_],
            "plan": plan,
            "primary": primary,
            "quote": order_shipping_quote(primary, config=shop_config()) if primary is not None else None,
            "shipping_before": sum((order.shipping_fee for order in plan.originals), Decimal("0.00")),
            "versions": ",".join(f"{order.pk}:{order.version}" for order in plan.originals),
            "form": form,
            "changelist_url": reverse("admin:orders_order_changelist", current_app=self.admin_site.name),
        }

    def unmerge_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.page_action(request, object_id, UNMERGE)
