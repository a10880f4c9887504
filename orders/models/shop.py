"""The shop's settings as data, edited by supervisors in the admin.

Seeded by a data migration (``0002_shop_defaults``) with ``orders.defaults``; read through
``orders.shop_config.shop_config``, a cached snapshot (its module says how long it is kept).
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ShopSettings(models.Model):
    """One row (pk=1): switches and limits that apply to the whole shop."""

    auto_confirm = models.BooleanField(
        _("auto-confirm clean orders"),
        default=False,
        help_text=_("Confirm orders without agent work when every check is clean. Off: agents confirm with the buyer."),
    )
    usual_max_quantity = models.PositiveSmallIntegerField(
        _("usual max quantity per line"), default=5, validators=[MinValueValidator(1)]
    )
    card_message_max_chars = models.PositiveSmallIntegerField(_("card message max characters"), default=100)
    engraving_extra_characters = models.CharField(
        _("engraving: allowed symbols"),
        max_length=100,
        blank=True,
        default=" .-&'♥·",
        help_text=_("Besides Chinese characters, Latin letters and digits, the workshop can engrave these."),
    )
    free_shipping_threshold = models.DecimalField(
        _("free shipping from"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("108.00"),
        help_text=_("Items total from which shipping is free, except to remote provinces. 0: never free."),
    )
    duplicate_window_hours = models.PositiveSmallIntegerField(_("duplicate window (hours)"), default=24)
    unconfirmed_alert_hours = models.PositiveSmallIntegerField(_("abnormal when unconfirmed after (hours)"), default=24)
    reminder_days_before_close = models.PositiveSmallIntegerField(
        _("return reminder: days before the window closes"), default=2
    )
    stalled_after_days = models.PositiveSmallIntegerField(
        _("parcel stalled after (days without news)"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("A shipped order with no tracking news for longer is abnormal."),
    )
    stalled_after_days_remote = models.PositiveSmallIntegerField(
        _("parcel stalled after, remote provinces (days)"), default=5, validators=[MinValueValidator(1)]
    )
    buyer_link_days = models.PositiveSmallIntegerField(_("buyer link valid (days)"), default=7)
    payment_reminder_hours = models.PositiveSmallIntegerField(
        _("remind unpaid orders after (hours)"),
        default=24,
        help_text=_("The buyer of an unpaid order is reminded once, this long after ordering. 0: never."),
    )
    unpaid_abnormal_hours = models.PositiveSmallIntegerField(
        _("abnormal when unpaid after (hours)"), default=72, validators=[MinValueValidator(1)]
    )
    agent_max_discount_percent = models.DecimalField(
        _("agents' max discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    agent_max_discount_amount = models.DecimalField(
        _("agents' max discount (amount)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("shop settings")
        verbose_name_plural = _("shop settings")

    def __str__(self) -> str:
        return str(_("Shop settings"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "ShopSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class ProvinceRule(models.Model):
    """Shipping facts per destination province: base fee, remoteness, days in transit."""

    province = models.CharField(_("province"), max_length=50, unique=True, help_text=_("Official name, e.g. 上海市"))
    base_fee = models.DecimalField(
        _("base fee"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    remote = models.BooleanField(_("remote"), default=False, help_text=_("No free shipping to remote provinces."))
    transit_days = models.PositiveSmallIntegerField(_("days in transit"), default=3)

    class Meta:
        verbose_name = _("province shipping rule")
        verbose_name_plural = _("province shipping rules")
        ordering = ["province"]
        constraints = [models.CheckConstraint(name="province_base_fee_not_negative", condition=Q(base_fee__gte=0))]

    def __str__(self) -> str:
        return self.province


class Courier(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=50)
    tracking_pattern = models.CharField(
        _("tracking number format"), max_length=200, help_text=_("A regular expression the whole number must match.")
    )
    in_use = models.BooleanField(_("used by the shop"), default=True)
    is_default = models.BooleanField(_("default courier"), default=False)
    default_surcharge = models.DecimalField(
        _("surcharge"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("Extra fee when a buyer asks for this courier, unless a province rule says otherwise."),
    )

    class Meta:
        verbose_name = _("courier")
        verbose_name_plural = _("couriers")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        try:
            re.compile(self.tracking_pattern)
        except re.error as exc:
            raise ValidationError({"tracking_pattern": _("Not a valid regular expression: %s") % exc}) from exc

    def tracking_matches(self, number: str) -> bool:
        return re.fullmatch(self.tracking_pattern, number) is not None


class CourierProvinceRule(models.Model):
    courier = models.ForeignKey(Courier, verbose_name=_("courier"), on_delete=models.CASCADE, related_name="provinces")
    province = models.CharField(_("province"), max_length=50)
    surcharge = models.DecimalField(
        _("surcharge"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    serves = models.BooleanField(_("serves this province"), default=True)

    class Meta:
        verbose_name = _("courier rule per province")
        verbose_name_plural = _("courier rules per province")
        ordering = ["courier", "province"]
        constraints = [
            models.UniqueConstraint(fields=["courier", "province"], name="courier_province_unique"),
            models.CheckConstraint(name="courier_surcharge_not_negative", condition=Q(surcharge__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.courier.code} → {self.province}"


class SchoolHoliday(models.Model):
    """A yearly holiday period (may span the new year): students are home, not at school."""

    name = models.CharField(_("name"), max_length=50)
    start_month = models.PositiveSmallIntegerField(
        _("start month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    start_day = models.PositiveSmallIntegerField(
        _("start day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    end_month = models.PositiveSmallIntegerField(
        _("end month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    end_day = models.PositiveSmallIntegerField(_("end day"), validators=[MinValueValidator(1), MaxValueValidator(31)])

    class Meta:
        verbose_name = _("school holiday")
        verbose_name_plural = _("school holidays")
        ordering = ["start_month", "start_day"]

    def __str__(self) -> str:
        return f"{self.name} {self.start_month}/{self.start_day}–{self.end_month}/{self.end_day}"

    def contains(self, month: int, day: int) -> bool:
        start, end, point = (self.start_month, self.start_day), (self.end_month, self.end_day), (month, day)
        if start <= end:
            return start <= point <= end
        return point >= start or point <= end
