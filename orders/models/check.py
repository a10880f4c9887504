"""Stored results of the confirmation checks (the engine itself lives in ``orders.checks``)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models.fields import actor_field
from orders.models.order import Order


class Severity(models.TextChoices):
    BLOCKER = "blocker", _("Blocker")
    WARNING = "warning", _("Warning")
    INFO = "info", _("Info")


class CheckStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class CheckResult(models.Model):
    """One finding on one order. ``key`` tells apart several findings of one code (one per line)."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="checks")
    code = models.CharField(_("code"), max_length=48)
    key = models.CharField(_("key"), max_length=64, blank=True, default="")
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    status = models.CharField(_("status"), max_length=12, choices=CheckStatus.choices, default=CheckStatus.OPEN)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = actor_field(_("resolved by"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["order", "code", "key"], name="check_result_unique")]
        indexes = [
            models.Index(fields=["code", "severity"], condition=Q(status="open"), name="check_open_by_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.status})"
