"""Free gifts (赠品) as shop data: which catalogue variant a supervisor gives away, and when.

A rule gives its gift when the order's goods reach a threshold (满3000送靠枕) or when one of its
trigger SKUs is bought (买一送一: the trigger is the gift itself), within its dates, up to a limit
per order. ``orders.gifts`` evaluates the rules; intake and merges add the gift lines.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from orders.models.catalog import Variant


class GiftRule(models.Model):
    name = models.CharField(_("name"), max_length=100)
    gift_variant = models.ForeignKey(
        Variant, verbose_name=_("gift"), on_delete=models.PROTECT, related_name="+", help_text=_("The SKU given.")
    )
    quantity = models.PositiveSmallIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)], help_text=_("Given each time the rule applies.")
    )
    threshold = models.DecimalField(
        _("items total from"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Given once when the goods (gifts not counted) reach this amount. Empty: no threshold."),
    )
    trigger_variants = models.ManyToManyField(
        Variant,
        verbose_name=_("trigger SKUs"),
        blank=True,
        related_name="+",
        help_text=_("Given for each of these bought (buy one, get one: choose the gift itself)."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Inclusive. Empty: no end."))
    limit_per_order = models.PositiveSmallIntegerField(
        _("limit per order"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("The most of this gift one order gets."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("gift rule")
        verbose_name_plural = _("gift rules")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(name="gift_rule_quantity_at_least_one", condition=Q(quantity__gte=1)),
            models.CheckConstraint(name="gift_rule_limit_at_least_one", condition=Q(limit_per_order__gte=1)),
            models.CheckConstraint(
                name="gift_rule_threshold_not_negative", condition=Q(threshold__isnull=True) | Q(threshold__gte=0)
            ),
            models.CheckConstraint(
                name="gift_rule_dates_in_order",
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The rule cannot end before it starts.")})
