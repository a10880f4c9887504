"""Money received and money returned, one row each (补差价, 退款): the ledger behind ``amount_paid``.

A storefront or an agent records a payment, a supervisor or a storefront a refund; each carries the
payment provider's ``reference``, unique per order, so that a replay of the same call is counted once.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models.fields import actor_field
from orders.models.order import Order
from orders.text import PAYMENT_REFERENCE


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")


class PaymentRecord(models.Model):
    """One payment received from the buyer or one refund returned to them."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(_("kind"), max_length=8, choices=PaymentKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reference = models.CharField(_("reference"), max_length=PAYMENT_REFERENCE.limit)
    # When the money moved, as the payment provider says (a payment's ``paid_at``); else when recorded.
    at = models.DateTimeField(_("paid at"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = actor_field(_("actor"))
    actor_label = models.CharField(_("actor label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment or refund")
        verbose_name_plural = _("payments and refunds")
        ordering = ["order_id", "id"]
        permissions = [
            ("record_payment", _("Can record payments received")),
            ("record_refund", _("Can record refunds")),
        ]
        constraints = [
            # The rule that counts a replayed payment once, even from two transactions at once.
            models.UniqueConstraint(fields=["order", "reference"], name="payment_reference_per_order"),
            models.CheckConstraint(name="payment_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.reference})"

    @property
    def actor_name(self) -> str:
        return self.actor.get_username() if self.actor_id else self.actor_label
