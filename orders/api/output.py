"""What the API returns for orders. Read-only serializers: they document the schema and render.

Personal data is masked in lists always, and in details for staff without ``view_full_phone``
(the warehouse); a storefront sees its own buyers' data in full.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orders.addresses import mask_name
from orders.api.reuse import render
from orders.checks.messages import check_message
from orders.models import Order
from orders.pricing import order_shipping_quote
from orders.selectors import abnormal_reasons
from orders.shop_config import shop_config


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, **kwargs)


class AddressOutputSerializer(serializers.Serializer):
    recipient = serializers.CharField()
    phone = serializers.CharField()
    province = serializers.CharField()
    city = serializers.CharField()
    district = serializers.CharField()
    street = serializers.CharField()
    postcode = serializers.CharField()
    kind = serializers.CharField()


class TotalsSerializer(serializers.Serializer):
    items = money(source="items_total")
    adjustment = money()
    shipping = money(source="shipping_fee")
    total = money()

    def to_representation(self, instance):
        # Stored edits keep their totals as {"items", "adjustment", "shipping", "total"} strings already.
        if isinstance(instance, dict):
            return dict(instance)
        return super().to_representation(instance)


class CustomerBriefSerializer(serializers.Serializer):
    external_id = serializers.CharField()
    name = serializers.CharField()


class LineOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    sku = serializers.CharField()
    product_name = serializers.CharField()
    size = serializers.CharField()
    colour = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = money()
    adjustment = money()
    line_total = money()
    is_gift = serializers.BooleanField(help_text="A free gift (赠品) the shop's gift rules added: unit price 0.00.")


class CheckOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    key = serializers.CharField()
    severity = serializers.CharField()
    status = serializers.CharField()
    message = serializers.SerializerMethodField()
    data = serializers.JSONField()
    resolved_by = serializers.SerializerMethodField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()

    def get_message(self, check) -> str:
        return check_message(check.code, check.data)

    def get_resolved_by(self, check) -> str | None:
        return check.resolved_by.get_username() if check.resolved_by_id else None


class FlagOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    colour = serializers.CharField()
    category = serializers.CharField(source="category.code")
    note = serializers.CharField()
    source = serializers.CharField()
    author = serializers.CharField(source="author_name")
    created_at = serializers.DateTimeField()


class EventOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    actor = serializers.CharField(source="actor_name")
    created_at = serializers.DateTimeField()
    data = serializers.JSONField()


class PriceEditOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    line_id = serializers.IntegerField(allow_null=True)
    value = money()
    applied = money()
    reason = serializers.CharField()
    totals_before = TotalsSerializer()
    totals_after = TotalsSerializer()
    refund_due_before = money()
    refund_due_after = money()
    actor = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_actor(self, edit) -> str:
        return edit.actor.get_username() if edit.actor_id else edit.actor_label


class ShippingQuoteSerializer(serializers.Serializer):
    """The fee by the shop's rules, shown beside the fee charged (``totals.shipping``)."""

    province = serializers.CharField()
    courier = serializers.CharField()
    base_fee = money()
    free_shipping = serializers.BooleanField(help_text="Goods above the threshold, and not to a remote province.")
    free_shipping_threshold = money()
    surcharge = money(help_text="The requested courier's surcharge for the province (never waived).")
    fee = money(help_text="What the rules ask for.")
    charged = money(help_text="The fee the order charges.")


class ShipmentSerializer(serializers.Serializer):
    courier = serializers.CharField(source="shipped_courier")
    tracking_number = serializers.CharField()
    shipped_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)


class TrackingEventOutputSerializer(serializers.Serializer):
    status = serializers.CharField()
    at = serializers.DateTimeField()
    location = serializers.CharField()
    description = serializers.CharField()


class _OrderBaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    status = serializers.CharField()
    payment_status = serializers.CharField()
    currency = serializers.CharField()
    version = serializers.IntegerField()
    customer = serializers.SerializerMethodField()
    totals = TotalsSerializer(source="*")
    open_blockers = serializers.IntegerField()
    open_warnings = serializers.IntegerField()
    flags = FlagOutputSerializer(many=True, source="open_flags")
    shipping_address = serializers.SerializerMethodField()
    placed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def _masked(self) -> bool:
        return self.context.get("mask_pii", True)

    @extend_schema_field(AddressOutputSerializer)
    def get_shipping_address(self, order: Order) -> dict:
        return order.shipping_address.as_public_dict(masked=self._masked())

    @extend_schema_field(CustomerBriefSerializer)
    def get_customer(self, order: Order) -> dict:
        """The buyer's name masked as the recipient's is."""
        name = order.customer.name
        return {"external_id": order.customer.external_id, "name": mask_name(name) if self._masked() else name}


class OrderListSerializer(_OrderBaseSerializer):
    """A row of the list: masked address, no history."""

    def _masked(self) -> bool:
        return True


class AbnormalOrderSerializer(OrderListSerializer):
    reasons = serializers.SerializerMethodField()
    hold_reason = serializers.CharField()

    def get_reasons(self, order: Order) -> list[str]:
        return abnormal_reasons(order)


class OrderDetailSerializer(_OrderBaseSerializer):
    amount_paid = money()
    balance_due = money(help_text="What the buyer still owes: the total less the amount paid, never negative.")
    refund_due = money()
    special_requests = serializers.DictField(read_only=True)
    buyer_note = serializers.CharField()
    seller_memo = serializers.CharField()
    hold_reason = serializers.CharField()
    hold_until = serializers.DateTimeField(allow_null=True)
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    merged_orders = serializers.SerializerMethodField()
    shipment = ShipmentSerializer(source="*")
    shipping_quote = serializers.SerializerMethodField()
    lines = LineOutputSerializer(many=True, source="lines.all")
    checks = CheckOutputSerializer(many=True, source="checks.all")
    price_edits = PriceEditOutputSerializer(many=True, source="price_edits.all")
    events = EventOutputSerializer(many=True, source="events.all")
    tracking = serializers.SerializerMethodField()

    def get_merged_orders(self, order: Order) -> list[int]:
        return [merged.pk for merged in order.merged_orders.all()]

    @extend_schema_field(TrackingEventOutputSerializer(many=True))
    def get_tracking(self, order: Order) -> list[dict]:
        """The courier's news, oldest first; read only for an order that has shipped (no query before)."""
        if order.shipped_at is None:
            return []
        return render(TrackingEventOutputSerializer, order.tracking_events.all(), many=True)

    @extend_schema_field(ShippingQuoteSerializer)
    def get_shipping_quote(self, order: Order) -> dict:
        config = shop_config()
        quote = order_shipping_quote(order, config=config)
        return render(
            ShippingQuoteSerializer,
            {
                "province": order.ship_province,
                "courier": order.requested_courier,
                "base_fee": quote.base_fee,
                "free_shipping": quote.free_shipping,
                "free_shipping_threshold": config.settings.free_shipping_threshold,
                "surcharge": quote.surcharge,
                "fee": quote.fee,
                "charged": order.shipping_fee,
            },
        )


class ErrorOutputSerializer(serializers.Serializer):
    """Every error: a stable code, a message for people, field errors, and data for programs."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    data = serializers.JSONField(required=False)
