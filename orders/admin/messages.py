"""The outbox in the admin: every message, the failures, and retry (the order page lists its own)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from orders.admin.plumbing import CONFIRM_PERMISSION, ReadOnlyAdminMixin
from orders.events import Actor
from orders.exceptions import DomainError
from orders.logging import mask_phones
from orders.messaging.links import buyer_links_mask
from orders.messaging.models import FailedMessage, Message, MessageStatus
from orders.messaging.queue import message_retry

_FIELDS = [
    "kind",
    "template",
    "channel",
    "status",
    "attempts",
    "last_error",
    "due_at",
    "sent_at",
    "reason",
]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "order", "kind", "channel", "recipient_masked", "status", "attempts", "due_at", "sent_at"]
    list_filter = ["status", "kind", "channel"]
    list_select_related = ["order"]
    search_fields = ["=order__external_id", "=idempotency_key"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [
        "order",
        "recipient_masked",
        "language",
        "subject",
        "body_masked",
        *_FIELDS,
        "lease_until",
        "published_at",
        "idempotency_key",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm(CONFIRM_PERMISSION)

    @admin.display(description=_("recipient"))
    def recipient_masked(self, message: Message) -> str:
        return mask_phones(message.recipient)

    @admin.display(description=_("body"))
    def body_masked(self, message: Message) -> str:
        return buyer_links_mask(message.body)

    @admin.action(description=_("Retry the selected failed messages"), permissions=["retry"])
    def retry(self, request, queryset: QuerySet[Message]) -> None:
        retried = 0
        for message in queryset.filter(status=MessageStatus.FAILED):
            try:
                message_retry(message_id=message.pk, actor=Actor(user=request.user))
            except DomainError as exc:
                self.message_user(request, f"#{message.pk}: {exc.message}", messages.ERROR)
            else:
                retried += 1
        self.message_user(
            request,
            ngettext("%d message queued again.", "%d messages queued again.", retried) % retried,
            messages.SUCCESS if retried else messages.WARNING,
        )


@admin.register(FailedMessage)
class FailedMessageAdmin(MessageAdmin):
    """The agents' list of failures: what did not reach a buyer, with the last error."""

    list_display = ["id", "order", "kind", "channel", "recipient_masked", "attempts", "last_error", "updated_at"]
    list_filter = ["kind", "channel"]

    def get_queryset(self, request) -> QuerySet[Message]:
        return super().get_queryset(request).filter(status=MessageStatus.FAILED)
