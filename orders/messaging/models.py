"""The outbox: every message to a buyer is a row before it is sent, and the buyer's signed links."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models.fields import actor_field
from orders.models.order import Order


class MessageKind(models.TextChoices):
    """Why a message exists. One of each per order, except the ``REPEATABLE`` kinds: an agent's deliberate
    resend, and the money messages (each edit that leaves money due, each refund, is its own news)."""

    CONFIRMATION = "confirmation", _("Confirmation")
    RETURN_POLICY_REMINDER = "return_policy_reminder", _("Return-policy reminder")
    SHIPPED = "shipped", _("Shipped")
    RESEND = "resend", _("Resend")
    BALANCE_DUE = "balance_due", _("Balance due")
    REFUND_ISSUED = "refund_issued", _("Refund issued")
    PAYMENT_REMINDER = "payment_reminder", _("Payment reminder")


REPEATABLE_KINDS = (MessageKind.RESEND, MessageKind.BALANCE_DUE, MessageKind.REFUND_ISSUED)


class MessageTemplate(models.TextChoices):
    """What a message says: its kind's content, or for a resend the content resent."""

    CONFIRMATION = "confirmation", _("Confirmation")
    RETURN_POLICY_REMINDER = "return_policy_reminder", _("Return-policy reminder")
    SHIPPED = "shipped", _("Shipped")
    BALANCE_DUE = "balance_due", _("Balance due")
    REFUND_ISSUED = "refund_issued", _("Refund issued")
    PAYMENT_REMINDER = "payment_reminder", _("Payment reminder")


# What an agent may send again on purpose: the money messages tell of one change each, and are not resent.
RESENDABLE_TEMPLATES = (MessageTemplate.CONFIRMATION, MessageTemplate.SHIPPED, MessageTemplate.RETURN_POLICY_REMINDER)
RESENDABLE_CHOICES = [(template.value, template.label) for template in RESENDABLE_TEMPLATES]


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    CHAT = "chat", _("Chat")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """One message to a buyer, rendered when it is queued (``messaging.queue``) and sent once (``messaging.send``)."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=32, choices=MessageKind.choices)
    template = models.CharField(_("content"), max_length=32, choices=MessageTemplate.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices, blank=True)
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Not to be sent before this time: now for a confirmation, days after delivery for a reminder,
    # later after a failed attempt (the backoff).
    due_at = models.DateTimeField(_("due at"))
    # While ``sending``: the claim holds until then; past it, the worker is presumed dead.
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    # When a send task was last published for it: the sweeper re-publishes when that task was lost.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Stable across attempts: channels pass it on (Message-ID, Idempotency-Key) so a provider
    # can drop the duplicate when a worker died between handing the message over and saving "sent".
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["order", "id"]
        constraints = [
            # The rule that makes a second confirmation or reminder for the same order impossible.
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=~Q(kind__in=[kind.value for kind in REPEATABLE_KINDS]),
                name="message_once_per_order_and_kind",
            ),
            models.CheckConstraint(name="message_resend_has_reason", condition=~Q(kind="resend") | ~Q(reason="")),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="message_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"


class FailedMessage(Message):
    """The messages that gave up: the agents' list of failures in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("failed message")
        verbose_name_plural = _("failed messages")


class BuyerLink(models.Model):
    """A buyer's link to confirm an order or ask for a change: works once, until it expires.

    The URL carries only a random nonce, signed (``orders.messaging.buyer``); the row says which
    order it is for, so the link itself holds no personal data.
    """

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="buyer_links")
    nonce = models.CharField(_("nonce"), max_length=32, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("buyer link")
        verbose_name_plural = _("buyer links")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.pk}"
