"""Tracking news from the courier (through the storefront): where the parcel is, after it shipped."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.models.order import Order


class TrackingStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", _("In transit")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    DELIVERED = "delivered", _("Delivered")
    EXCEPTION = "exception", _("Exception")
    RETURNED_TO_SENDER = "returned_to_sender", _("Returned to sender")


# News that something went wrong with the parcel: the order becomes abnormal (a purple flag).
TRACKING_TROUBLE = frozenset({TrackingStatus.EXCEPTION, TrackingStatus.RETURNED_TO_SENDER})


class TrackingEvent(models.Model):
    """One piece of news about a shipped parcel, stored once: the same status at the same time
    again is a replay (the unique constraint decides, even for two requests at once)."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="tracking_events")
    status = models.CharField(_("status"), max_length=20, choices=TrackingStatus.choices)
    at = models.DateTimeField(_("time"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["order_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "status", "at"], name="tracking_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} @ {self.at:%Y-%m-%d %H:%M}"
