"""The order's history: one row per transition, edit, check change and message."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.models.fields import actor_field
from orders.models.order import Order


class OrderEventType(models.TextChoices):
    RECEIVED = "received", _("Received")
    STATUS_CHANGED = "status_changed", _("Status changed")
    CONFIRMED = "confirmed", _("Confirmed")
    AUTO_CONFIRMED = "auto_confirmed", _("Confirmed automatically")
    HELD = "held", _("Put on hold")
    RELEASED = "released", _("Released from hold")
    CANCELLED = "cancelled", _("Cancelled")
    CHECKS_RUN = "checks_run", _("Checks run")
    CHECK_ACKNOWLEDGED = "check_acknowledged", _("Check acknowledged")
    ADDRESS_CHANGED = "address_changed", _("Address changed")
    LINES_CHANGED = "lines_changed", _("Lines changed")
    REQUESTS_CHANGED = "requests_changed", _("Special requests changed")
    PAYMENT_CHANGED = "payment_changed", _("Payment status changed")
    PAYMENT_RECORDED = "payment_recorded", _("Payment recorded")
    REFUND_RECORDED = "refund_recorded", _("Refund recorded")
    PRICE_ADJUSTED = "price_adjusted", _("Price adjusted")
    SHIPPING_ADJUSTED = "shipping_adjusted", _("Shipping fee adjusted")
    MERGED = "merged", _("Merged")
    UNMERGED = "unmerged", _("Unmerged")
    FLAG_ADDED = "flag_added", _("Flag added")
    FLAG_CLEARED = "flag_cleared", _("Flag cleared")
    SHIPPED = "shipped", _("Shipped")
    TRACKING_CORRECTED = "tracking_corrected", _("Tracking number corrected")
    COURIER_OVERRIDDEN = "courier_overridden", _("Promised courier overridden")
    DELIVERED = "delivered", _("Delivered")
    TRACKING_RECORDED = "tracking_recorded", _("Tracking news")
    MESSAGE_QUEUED = "message_queued", _("Message queued")
    MESSAGE_SENT = "message_sent", _("Message sent")
    MESSAGE_FAILED = "message_failed", _("Message failed")
    BUYER_CONFIRMED = "buyer_confirmed", _("Buyer confirmed")
    BUYER_CHANGE_REQUESTED = "buyer_change_requested", _("Buyer asked for a change")
    NOTE = "note", _("Note")
    CASE_OPENED = "case_opened", _("After-sale case opened")
    CASE_ASSIGNED = "case_assigned", _("After-sale case assigned")
    CASE_NOTED = "case_noted", _("After-sale case note")
    CASE_RESOLVED = "case_resolved", _("After-sale case resolved")
    RESENT = "resent", _("Replacement sent")
    REPLACEMENT_CREATED = "replacement_created", _("Replacement for a lost parcel")
    RETURN_ACCEPTED = "return_accepted", _("Return accepted")


class OrderEvent(models.Model):
    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("type"), max_length=32, choices=OrderEventType.choices)
    data = models.JSONField(_("data"), default=dict, blank=True)
    actor = actor_field(_("actor"))
    # Who acted when it was not a staff user: a storefront's name, "buyer" or "system".
    actor_label = models.CharField(_("actor label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def actor_name(self) -> str:
        if self.actor_id:
            return self.actor.get_username()
        return self.actor_label or "system"
