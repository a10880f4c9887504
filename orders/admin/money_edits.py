"""Agents' money edits on the order page (改价, 改运费).

Each edit has its own page: the agent fills in the form, presses Preview to see the totals before and
after (computed by the same rules as the service, on in-memory copies: nothing is saved), then Save,
which calls the service with the order's version the preview was computed from. An order changed by
somebody else in between is refused with a message and the preview is shown again as the order now is.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.admin.conflicts import version_conflict_notice
from orders.admin.forms import VersionForm, text_field
from orders.admin.plumbing import domain_error_text, form_errors_text, order_or_404, require
from orders.events import Actor
from orders.exceptions import DomainError, OrderNotEditable, VersionConflict
from orders.models import Order, OrderLine
from orders.money import quantize
from orders.pricing import PriceChange, ShippingQuote, discount_given, order_shipping_quote
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
            ("balance_due", _("balance due")),
            ("refund_due", _("refund due")),
        )
    ]


def _copies(order: Order, lines: list[OrderLine]) -> tuple[Order, list[OrderLine]]:
    """Copies to compute a preview on: the order and lines the page shows stay as they are."""
    return copy.copy(order), [copy.copy(line) for line in lines]


class OrderMoneyEditsMixin:
    """Adds the price and shipping-fee pages to the order admin, and the price edits to the order
    page. Mixed into OrderAdmin before the workbench."""

    money_template = "admin/orders/order/money_edit.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/price/", self.admin_site.admin_view(self.price_view), name="{}_{}_price".format(*info)
            ),
            path(
                "<path:object_id>/shipping-fee/",
                self.admin_site.admin_view(self.shipping_fee_view),
                name="{}_{}_shipping_fee".format(*info),
            ),
            *super().get_urls(),
        ]

    def workbench_context(self, request: HttpRequest, order: Order) -> dict:
        context = super().workbench_context(request, order)
        user = request.user
        context.update(
            price_edits=list(order.price_edits.all()),
            can_adjust_price=user.has_perm(PRICE_PERMISSION) and order.is_editable,
            can_adjust_shipping=user.has_perm(SHIPPING_PERMISSION) and order.is_editable,
        )
        return context

    # --- price and shipping fee ----------------------------------------------------------------

    def price_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        require(request, PRICE_PERMISSION)
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
        require(request, SHIPPING_PERMISSION)
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
        order = order_or_404(object_id, Order.objects.select_related("customer"))
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
            **self.page_context(request, title, order),
            **extra,
            "form": form,
            "preview_rows": rows,
            "preview_key": form.preview_key() if rows is not None else "",
            # A save carries the version the page was computed from: the preview's, not the form's.
            "version": order.version,
            "order_url": self.order_url(order),
        }
        return TemplateResponse(request, self.money_template, context)
