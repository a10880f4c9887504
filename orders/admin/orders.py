"""Orders in the admin. Every change goes through ``orders.services``."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from orders.addresses import mask_phone, mask_street
from orders.models import CheckResult, Message, Order, OrderEvent, OrderLine


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ["sku", "product_name", "size", "colour", "quantity", "unit_price", "adjustment", "line_total"]
    readonly_fields = fields


class CheckResultInline(ReadOnlyInline):
    model = CheckResult
    fields = ["code", "severity", "status", "data", "resolved_by", "resolved_at", "note"]
    readonly_fields = fields


class MessageInline(ReadOnlyInline):
    """The order's messages to the buyer: status, attempts, last error (retry in the message list)."""

    model = Message
    fields = ["link", "kind", "template", "channel", "status", "attempts", "last_error", "due_at", "sent_at", "reason"]
    readonly_fields = fields
    ordering = ["id"]

    @admin.display(description=_("message"))
    def link(self, message: Message) -> str:
        url = reverse("admin:orders_message_change", args=[message.pk])
        return format_html('<a href="{}">#{}</a>', url, message.pk)


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ["created_at", "type", "actor_name", "data"]
    readonly_fields = fields
    ordering = ["id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "external_id",
        "status",
        "payment_status",
        "storefront",
        "customer",
        "recipient_masked",
        "phone_masked",
        "total",
        "open_blockers",
        "created_at",
    ]
    list_filter = ["status", "payment_status", "storefront"]
    list_select_related = ["storefront", "customer"]
    search_fields = ["=external_id", "ship_recipient", "ship_phone", "=customer__external_id"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [OrderLineInline, CheckResultInline, MessageInline, OrderEventInline]
    readonly_fields = [f.name for f in Order._meta.fields]

    @admin.display(description=_("recipient"))
    def recipient_masked(self, order: Order) -> str:
        return f"{order.ship_recipient[:1]}{'*' * max(len(order.ship_recipient) - 1, 0)}"

    @admin.display(description=_("phone"))
    def phone_masked(self, order: Order) -> str:
        return mask_phone(order.ship_phone)

    @admin.display(description=_("street"))
    def street_masked(self, order: Order) -> str:
        return mask_street(order.ship_street)
