"""Money owed either way on the order page (补差价, 退款): the balance, the ledger of payments and refunds,
*Record payment* for agents and supervisors, *Record refund* for supervisors; and the order list's filter
of orders with money due."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from orders.admin.forms import text_field
from orders.admin.plumbing import PageAction
from orders.events import Actor
from orders.models import ACTIVE_STATUSES, CLOSED_STATUSES, Order, PaymentStatus
from orders.services.payments import PAYABLE_STATUSES, payment_record, refund_record
from orders.text import PAYMENT_REFERENCE, REASON

PAYMENT_PERMISSION = "orders.record_payment"
REFUND_PERMISSION = "orders.record_refund"


def _amount_field() -> forms.DecimalField:
    # No minimum here: "more than 0.00" is the service's rule, said the same way in REST and here.
    return forms.DecimalField(max_digits=12, decimal_places=2, label=_("amount"))


class PaymentForm(forms.Form):
    amount = _amount_field()
    reference = text_field(
        PAYMENT_REFERENCE.limit,
        required=True,
        label=_("reference"),
        help_text=_("The payment's number at the payment provider: the same number twice is counted once."),
    )


class RefundForm(forms.Form):
    amount = _amount_field()
    reference = text_field(PAYMENT_REFERENCE.limit, required=True, label=_("reference"))
    reason = text_field(REASON.limit, required=True, label=_("reason"))


def _pay(request: HttpRequest, order: Order, data: dict) -> None:
    payment_record(
        order_id=order.pk, amount=data["amount"], reference=data["reference"], actor=Actor(user=request.user)
    )


def _refund(request: HttpRequest, order: Order, data: dict) -> None:
    refund_record(
        order_id=order.pk,
        amount=data["amount"],
        reference=data["reference"],
        reason=data["reason"],
        actor=Actor(user=request.user),
    )


PAYMENT_ACTIONS = {
    "payment": PageAction(
        PaymentForm, PAYMENT_PERMISSION, _pay, _("The payment is recorded."), form_name="payment_form"
    ),
    "refund": PageAction(
        RefundForm, REFUND_PERMISSION, _refund, _("The refund is recorded; the buyer is told."), form_name="refund_form"
    ),
}


class OrderPaymentsMixin:
    """Adds the money owed, the ledger and the two record forms to the order page."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/money/<slug:action>/",
                self.admin_site.admin_view(self.payments_view),
                name="{}_{}_payments".format(*info),
            ),
            *super().get_urls(),
        ]

    def workbench_context(self, request: HttpRequest, order: Order) -> dict:
        context = super().workbench_context(request, order)
        user = request.user
        can_pay = user.has_perm(PAYMENT_PERMISSION) and order.status in PAYABLE_STATUSES
        can_refund = user.has_perm(REFUND_PERMISSION) and order.refund_due > Decimal("0.00")
        context.update(
            payment_records=list(order.payments.select_related("actor").order_by("id")),
            payment_form=PaymentForm(initial={"amount": order.balance_due or None}) if can_pay else None,
            refund_form=RefundForm(initial={"amount": order.refund_due}) if can_refund else None,
        )
        return context

    def payments_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        return self.page_action(request, object_id, PAYMENT_ACTIONS.get(action))


# --- the order list: money due ---------------------------------------------------------------------------------

MONEY_DUE = {
    # A paid order an edit left owing more (补差价).
    "balance_due": Q(payment_status=PaymentStatus.PAID, total__gt=F("amount_paid")) & ~Q(status__in=CLOSED_STATUSES),
    # The shop owes the buyer (a discount or a merge after payment).
    "refund_due": Q(refund_due__gt=0),
    # Not paid yet, while it could still ship.
    "unpaid": Q(payment_status=PaymentStatus.UNPAID, status__in=ACTIVE_STATUSES),
}


class MoneyDueFilter(admin.SimpleListFilter):
    title = _("money due")
    parameter_name = "money_due"

    def lookups(self, request, model_admin):
        return [
            ("any", _("any money due")),
            ("balance_due", _("balance due from the buyer")),
            ("refund_due", _("refund due to the buyer")),
            ("unpaid", _("unpaid")),
        ]

    def queryset(self, request, queryset: QuerySet[Order]) -> QuerySet[Order]:
        value = self.value()
        if value == "any":
            return queryset.filter(MONEY_DUE["balance_due"] | MONEY_DUE["refund_due"])
        if value in MONEY_DUE:
            return queryset.filter(MONEY_DUE[value])
        return queryset
