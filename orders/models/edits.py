"""Agents' money edits and merges, each kept as its own row: the history behind the events, and the
state an unmerge needs to put every original order back exactly as it was."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models.fields import actor_field
from orders.models.order import Order, OrderLine


class PriceEditKind(models.TextChoices):
    ORDER_AMOUNT = "order_amount", _("Order: amount")
    ORDER_PERCENT = "order_percent", _("Order: percentage")
    LINE_AMOUNT = "line_amount", _("Line: amount")
    LINE_PERCENT = "line_percent", _("Line: percentage")
    SHIPPING_FEE = "shipping_fee", _("Shipping fee")


LINE_KINDS = (PriceEditKind.LINE_AMOUNT, PriceEditKind.LINE_PERCENT)


class PriceEdit(models.Model):
    """One price or shipping-fee edit by an agent: what was asked, what it changed, why, by whom."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="price_edits")
    line = models.ForeignKey(
        OrderLine, verbose_name=_("line"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PriceEditKind.choices)
    # As given: an amount (-5.00), a percentage to pay (95.00) or the new shipping fee (0.00).
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    # What the edit changed: the adjustment it added, or the shipping fee's difference.
    applied = models.DecimalField(_("applied"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=500)
    totals_before = models.JSONField(_("totals before"))
    totals_after = models.JSONField(_("totals after"))
    refund_due_before = models.DecimalField(_("refund due before"), max_digits=12, decimal_places=2)
    refund_due_after = models.DecimalField(_("refund due after"), max_digits=12, decimal_places=2)
    actor = actor_field(_("actor"))
    actor_label = models.CharField(_("actor label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("price edit")
        verbose_name_plural = _("price edits")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                name="price_edit_line_iff_line_kind",
                condition=(Q(kind__in=LINE_KINDS) & Q(line__isnull=False))
                | (~Q(kind__in=LINE_KINDS) & Q(line__isnull=True)),
            ),
            models.CheckConstraint(name="price_edit_reason_given", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class OrderMerge(models.Model):
    """A merge: the new primary order and, for each original, the state an unmerge restores."""

    primary = models.OneToOneField(
        Order, verbose_name=_("primary order"), on_delete=models.CASCADE, related_name="merge_record"
    )
    # [{"order": id, "fields": {name: value, …}, "checks": {check id: {status, note, …}}}, …] by id.
    originals = models.JSONField(_("original orders"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = actor_field(_("merged by"))
    created_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    unmerged_by = actor_field(_("unmerged by"))
    unmerged_at = models.DateTimeField(_("unmerged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order merge")
        verbose_name_plural = _("order merges")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.primary} ← {', '.join(str(o['order']) for o in self.originals)}"

    @property
    def original_ids(self) -> list[int]:
        return [original["order"] for original in self.originals]
