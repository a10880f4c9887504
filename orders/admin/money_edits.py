"""Agents' money edits on the order page (改价, 改运费) and merging orders (合并订单).

Each edit has its own page: the agent fills in the form, presses Preview to see the totals before and
after (computed by the same rules as the service, on in-memory copies: nothing is saved), then Save,
which calls the service with the order's version the preview was computed from. An order changed by
somebody else in between is refused with a message and the preview is shown again as the order now is.
Merging starts from an action on the order lists (the queue too) or from the mergeable hint's link,
and previews the primary order (or why not) first.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.admin.conflicts import version_conflict_notice
from orders.admin.forms import ReasonForm, VersionForm, text_field
from orders.admin.merge_action import MERGE_MAX, MERGE_PERMISSION, MergeActionMixin, merge_link
from orders.admin.workbench import (
    CONFIRM_PERMISSION,
    _order_or_404,
    _require,
    domain_error_text,
    form_errors_text,
)
from orders.events import Actor
from orders.exceptions import DomainError, MergeRefused, OrderNotEditable, VersionConflict
from orders.models import Order, OrderLine, OrderStatus
from orders.money import quantize
from orders.pricing import PriceChange, ShippingQuote, discount_given, order_shipping_quote
from orders.services.lifecycle import transition_allowed
from orders.services.merge import (
    MergePlan,
    order_unmerge,
    orders_merge,
    orders_merge_preview,
)
from orders.services.pricing import (
    discount_allowance_for,
    order_adjust_price,
    order_adjust_shipping,
    price_edit_apply,
    shipping_fee_apply,
)
from orders.shop_config import shop_config
from orders.text import REASON

PRICE_PERMISSION = "orders.edit_order_price"
SHIPPING_PERMISSION = "orders.edit_order_shipping"


class PreviewedForm(VersionForm):
    """A money edit's form: Save applies what the preview showed, so values changed after the
    preview are previewed first instead of saved."""

    previewed_fields: tuple[str, ...] = ()

    def preview_key(self) -> str:
        return "|".join(str(self.cleaned_data[name]) for name in self.previewed_fields)


class PriceForm(PreviewedForm):
    previewed_fields = ("amount", "percent", "line")
    amount = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        label=gettext_lazy("amount"),
        help_text=gettext_lazy("Added to the price: -5.00 takes 5.00 off, 5.00 adds 5.00."),
    )
    percent = forms.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
        required=False,
        label=gettext_lazy("percentage to pay"),
        help_text=gettext_lazy("The share of the price the buyer pays: 95 means 95 percent (95折)."),
    )
    line = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label=gettext_lazy("applies to"))
    reason = text_field(REASON.limit, required=True, label=gettext_lazy("reason"))

    def __init__(self, *args, lines: list[OrderLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [
            ("", _("the whole order")),
            *((line.pk, f"#{line.position} {line.sku} {line.product_name} ({line.line_total})") for line in lines),
        ]

    def clean(self) -> dict:
        data = super().clean()
        if ("amount" in data and "percent" in data) and (data["amount"] is None) == (data["percent"] is None):
            raise forms.ValidationError(_("Give either an amount or a percentage."))
        return data

    def change(self) -> PriceChange:
        data = self.cleaned_data
        return PriceChange(amount=data["amount"], percent=data["percent"], line_id=data["line"])


class ShippingForm(PreviewedForm):
    previewed_fields = ("fee",)
    fee = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0"), label=gettext_lazy("new shipping fee")
    )
    reason = text_field(REASON.limit, required=True, label=gettext_lazy("reason"))


class MergeForm(forms.Form):
    # "id:version,id:version": each order's version as the preview showed it.
    versions = forms.RegexField(r"^\d+:\d+(,\d+:\d+)*$", widget=forms.HiddenInput)
    reason = text_field(REASON.limit, required=True, label=gettext_lazy("reason"))

    def clean_versions(self) -> dict[int, int]:
        pairs = (pair.split(":") for pair in self.cleaned_data["versions"].split(","))
        return {int(order_id): int(version) for order_id, version in pairs}


@dataclass(frozen=True)
class TotalsRow:
    label: Any
    before: Decimal
    after: Decimal

    @property
    def changed(self) -> bool:
        return self.before != self.after


def totals_rows(before: Order, after: Order) -> list[TotalsRow]:
    """The money of an order before and after an edit, as a person reads it."""
    return [
        TotalsRow(label, getattr(before, name), getattr(after, name))
        for name, label in (
            ("items_total", _("items total")),
            ("adjustment", _("adjustment")),
            ("shipping_fee", _("shipping fee")),
            ("total", _("total")),
            ("amount_paid", _("amount paid")),
            ("refund_due", _("refund due")),
        )
    ]


def _copies(order: Order, lines: list[OrderLine]) -> tuple[Order, list[OrderLine]]:
    """Copies to compute a preview on: the order and lines the page shows stay as they are."""
    return copy.copy(order), [copy.copy(line) for line in lines]


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


class OrderMoneyEditsMixin(MergeActionMixin):
    """Adds the price and shipping-fee pages, merge and unmerge to the order admin, and the price
    edits to the order page. Mixed into OrderAdmin before the workbench."""

    money_template = "admin/orders/order/money_edit.html"
    merge_template = "admin/orders/order/merge.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("merge/", self.admin_site.admin_view(self.merge_view), name="{}_{}_merge".format(*info)),
            path(
                "<path:object_id>/price/", self.admin_site.admin_view(self.price_view), name="{}_{}_price".format(*info)
            ),
            path(
                "<path:object_id>/shipping-fee/",
                self.admin_site.admin_view(self.shipping_fee_view),
                name="{}_{}_shipping_fee".format(*info),
            ),
            path(
                "<path:object_id>/unmerge/",
                self.admin_site.admin_view(self.unmerge_view),
                name="{}_{}_unmerge".format(*info),
            ),
            *super().get_urls(),
        ]

    def workbench_context(self, request: HttpRequest, order: Order) -> dict:
        context = super().workbench_context(request, order)
        user = request.user
        merge = getattr(order, "merge_record", None)  # None unless the order is a merge's primary
        context.update(
            price_edits=list(order.price_edits.all()),
            can_adjust_price=user.has_perm(PRICE_PERMISSION) and order.is_editable,
            can_adjust_shipping=user.has_perm(SHIPPING_PERMISSION) and order.is_editable,
            merge_record=merge,
            check_rows=[merge_link(row) for row in context["check_rows"]]
            if user.has_perm(MERGE_PERMISSION)
            else context["check_rows"],
            can_unmerge=merge is not None
            and merge.unmerged_at is None
            and user.has_perm(MERGE_PERMISSION)
            and transition_allowed(order.status, OrderStatus.CANCELLED),
        )
        return context

    # --- price and shipping fee ----------------------------------------------------------------

    def price_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        _require(request, PRICE_PERMISSION)
        order, lines = self._order_and_lines(object_id)
        form = PriceForm(request.POST or None, lines=lines, initial={"version": order.version})
        allowance = discount_allowance_for(actor=Actor(user=request.user), lines=lines)
        given = discount_given(order, lines)
        extra = {
            "allowance": allowance,
            "discount_given": given,
            "allowance_left": max(allowance - given, Decimal("0.00")) if allowance is not None else None,
        }

        def preview(after: Order, after_lines: list[OrderLine]) -> None:
            price_edit_apply(order=after, lines=after_lines, change=form.change(), actor=Actor(user=request.user))

        def save() -> Order:
            return order_adjust_price(
                order_id=order.pk,
                change=form.change(),
                reason=form.cleaned_data["reason"],
                actor=Actor(user=request.user),
                expected_version=form.cleaned_data["version"],
            )

        return self._money_page(request, order, lines, form, preview, save, _("Adjust the price"), extra)

    def shipping_fee_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        _require(request, SHIPPING_PERMISSION)
        order, lines = self._order_and_lines(object_id)
        form = ShippingForm(request.POST or None, initial={"version": order.version})
        quote: ShippingQuote = order_shipping_quote(order, config=shop_config())

        def preview(after: Order, after_lines: list[OrderLine]) -> None:
            shipping_fee_apply(order=after, lines=after_lines, fee=quantize(form.cleaned_data["fee"]))

        def save() -> Order:
            return order_adjust_shipping(
                order_id=order.pk,
                fee=form.cleaned_data["fee"],
                reason=form.cleaned_data["reason"],
                actor=Actor(user=request.user),
                expected_version=form.cleaned_data["version"],
            )

        extra = {"quote": quote}
        return self._money_page(request, order, lines, form, preview, save, _("Adjust the shipping fee"), extra)

    def _order_and_lines(self, object_id: str) -> tuple[Order, list[OrderLine]]:
        order = _order_or_404(object_id, Order.objects.select_related("customer"))
        return order, list(order.lines.order_by("position", "id"))

    def _money_page(
        self,
        request: HttpRequest,
        order: Order,
        lines: list[OrderLine],
        form: PreviewedForm,
        preview: Callable[[Order, list[OrderLine]], None],
        save: Callable[[], Order],
        title: str,
        extra: dict,
    ) -> HttpResponse:
        """Preview (nothing saved) or save an edit; a refused save shows why and changes nothing."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        rows = None
        if request.method == "POST" and not form.is_valid():
            messages.error(request, form_errors_text(form))
        elif request.method == "POST":
            show_preview = True
            if "_save" not in request.POST:
                if form.cleaned_data["version"] != order.version:
                    messages.warning(
                        request, _("The order changed since this page was opened; the preview shows it as it is now.")
                    )
            elif request.POST.get("previewed") != form.preview_key():
                messages.warning(request, _("The values changed after the preview: check the new preview and save."))
            else:
                try:
                    saved = save()
                except VersionConflict:
                    # The preview shows the order as it is now: the agent saves again knowingly, or leaves.
                    version_conflict_notice(request)
                except DomainError as error:
                    messages.error(request, domain_error_text(error))
                    show_preview = False
                else:
                    messages.success(
                        request,
                        _("Saved: the total is now %(total)s %(currency)s.")
                        % {"total": saved.total, "currency": saved.currency},
                    )
                    return HttpResponseRedirect(self.order_url(order))
            if show_preview:
                after, after_lines = _copies(order, lines)
                try:
                    if not order.is_editable:
                        raise OrderNotEditable()
                    preview(after, after_lines)
                except DomainError as error:
                    messages.error(request, domain_error_text(error))
                else:
                    rows = totals_rows(order, after)
        return self._money_response(request, order, form, title, extra, rows)

    def _money_response(
        self,
        request: HttpRequest,
        order: Order,
        form: PreviewedForm,
        title: str,
        extra: dict,
        rows: list[TotalsRow] | None,
    ) -> HttpResponse:
        context = {
            **self._page_context(request, order, title),
            **extra,
            "form": form,
            "preview_rows": rows,
            "preview_key": form.preview_key() if rows is not None else "",
            # A save carries the version the page was computed from: the preview's, not the form's.
            "version": order.version,
            "order_url": self.order_url(order),
        }
        return TemplateResponse(request, self.money_template, context)

    # --- merge and unmerge ---------------------------------------------------------------------

    def merge_view(self, request: HttpRequest) -> HttpResponse:
        """GET: the preview of the merge (or why not); POST: merge with the versions the preview showed."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        _require(request, MERGE_PERMISSION)
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
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Merge orders"),
            "has_view_permission": True,
            "can_confirm": request.user.has_perm(CONFIRM_PERMISSION),
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
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        _require(request, MERGE_PERMISSION)
        order = _order_or_404(object_id)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
            return HttpResponseRedirect(self.order_url(order))
        try:
            order_unmerge(
                order_id=order.pk,
                actor=Actor(user=request.user),
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        else:
            messages.success(request, _("The merge is undone: every order is back as it was before."))
        return HttpResponseRedirect(self.order_url(order))
