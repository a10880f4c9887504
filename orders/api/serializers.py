"""Input validation for the REST API. Serializers check shape and format only; every rule of the
business lives in ``orders.services`` and ``orders.checks``."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from orders.addresses import Address, AddressKind
from orders.api.fields import (
    DateOrDateTimeField,
    DecimalStringField,
    MomentField,
    PhoneField,
    StrictBooleanField,
    TextField,
    money_field,
)
from orders.api.reuse import validate
from orders.models import PaymentStatus
from orders.pricing import PriceChange
from orders.services.catalog import VariantRow
from orders.services.edits import LineChange, OrderChanges
from orders.services.intake import CustomerInput, LineInput, OrderInput
from orders.shop_config import shop_config
from orders.text import REASON, SELLER_MEMO


class AddressInputSerializer(serializers.Serializer):
    recipient = TextField(max_length=100, required=False, allow_blank=True, default="")
    phone = PhoneField(required=False, allow_blank=True, default="")
    province = TextField(max_length=50, required=False, allow_blank=True, default="")
    city = TextField(max_length=50, required=False, allow_blank=True, default="")
    district = TextField(max_length=50, required=False, allow_blank=True, default="")
    street = TextField(max_length=255, required=False, allow_blank=True, default="")
    postcode = serializers.RegexField(
        r"^\d{6}$",
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": _("A postcode has six digits, e.g. 012400.")},
    )
    kind = serializers.ChoiceField(choices=AddressKind.choices, required=False, allow_blank=True, default="")

    def to_address(self, data: dict) -> Address:
        return Address(**{name: data.get(name, "") for name in Address.field_names()})


class CustomerInputSerializer(serializers.Serializer):
    external_id = TextField(max_length=64)
    name = TextField(max_length=100, required=False, allow_blank=True, default="")
    phone = PhoneField(required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    default_address = AddressInputSerializer(required=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


class LineInputSerializer(serializers.Serializer):
    sku = TextField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=9999)
    size = TextField(max_length=30, required=False, allow_blank=True)
    colour = TextField(max_length=30, required=False, allow_blank=True)
    unit_price = money_field(required=False)
    product_name = TextField(max_length=200, required=False, allow_blank=True)


class SpecialRequestsSerializer(serializers.Serializer):
    courier = TextField(max_length=8, required=False, allow_blank=True, default="")
    gift_wrap = StrictBooleanField(required=False, default=False)
    engraving = TextField(max_length=200, required=False, allow_blank=True, default="")
    card_message = TextField(max_length=500, required=False, allow_blank=True, default="")

    def validate_courier(self, value: str) -> str:
        code = value.strip().upper()
        if code and code not in shop_config().couriers:
            known = ", ".join(sorted(shop_config().couriers))
            raise serializers.ValidationError(
                _("Unknown courier “%(code)s”; known couriers: %(known)s.") % {"code": value, "known": known}
            )
        return code


class OrderCreateSerializer(serializers.Serializer):
    external_id = TextField(max_length=64)
    placed_at = MomentField(required=False, allow_null=True, default=None)
    payment_status = serializers.ChoiceField(
        choices=[PaymentStatus.UNPAID, PaymentStatus.PAID], required=False, default=PaymentStatus.UNPAID
    )
    currency = TextField(max_length=3, required=False)
    customer = CustomerInputSerializer()
    shipping_address = AddressInputSerializer()
    lines = LineInputSerializer(many=True, allow_empty=False, max_length=200)
    shipping_fee = money_field(required=False)
    special_requests = SpecialRequestsSerializer(required=False)
    buyer_note = TextField(max_length=1000, required=False, allow_blank=True, default="")
    seller_memo = TextField(max_length=SELLER_MEMO.limit, required=False, allow_blank=True, default="")

    def validate_currency(self, value: str) -> str:
        if value.upper() != settings.ORDERDESK["CURRENCY"]:
            raise serializers.ValidationError(_("This shop takes orders in %s only.") % settings.ORDERDESK["CURRENCY"])
        return value.upper()


def order_input(body: Any) -> OrderInput:
    """The one way from an order's create body to the intake service's input, for the API and for everything
    that creates orders as a storefront would (the demo, the benchmarks, tests): ``OrderCreateSerializer``
    validates it (``ValidationError`` with the field errors otherwise)."""
    return _order_input(validate(OrderCreateSerializer, body))


def _order_input(data: dict) -> OrderInput:
    customer = data["customer"]
    requests = data.get("special_requests") or {}
    default_address = customer.get("default_address")
    return OrderInput(
        external_id=data["external_id"],
        placed_at=data["placed_at"],
        payment_status=data["payment_status"],
        customer=CustomerInput(
            external_id=customer["external_id"],
            name=customer["name"],
            phone=customer["phone"],
            email=customer.get("email", ""),
            default_address=Address(**default_address) if default_address else None,
            language=customer.get("language", ""),
        ),
        shipping_address=Address(**data["shipping_address"]),
        lines=tuple(
            LineInput(
                sku=line["sku"],
                quantity=line["quantity"],
                size=line.get("size"),
                colour=line.get("colour"),
                unit_price=line.get("unit_price"),
                product_name=line.get("product_name"),
            )
            for line in data["lines"]
        ),
        shipping_fee=data.get("shipping_fee"),
        courier=requests.get("courier", ""),
        gift_wrap=requests.get("gift_wrap", False),
        engraving=requests.get("engraving", ""),
        card_message=requests.get("card_message", ""),
        buyer_note=data["buyer_note"],
        seller_memo=data.get("seller_memo", ""),
    )


class VariantRowSerializer(serializers.Serializer):
    """One catalogue row: the CSV columns of ``import_catalog`` and the JSON of the REST upsert."""

    sku = TextField(max_length=64)
    product_code = TextField(max_length=64)
    product_name = TextField(max_length=200)
    category = TextField(max_length=50)
    # The optional columns take null as "not given" (see to_internal_value), as an empty CSV cell.
    size = TextField(max_length=30, required=False, allow_blank=True, default="")
    colour = TextField(max_length=30, required=False, allow_blank=True, default="")
    price = money_field()
    stock = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False, allow_null=True, default=0)
    bulky = serializers.BooleanField(required=False, allow_null=True, default=False)
    engravable = serializers.BooleanField(required=False, allow_null=True, default=False)
    max_engraving_chars = serializers.IntegerField(
        min_value=0, max_value=200, required=False, allow_null=True, default=0
    )
    usual_max_quantity = serializers.IntegerField(
        min_value=1, max_value=9999, required=False, allow_null=True, default=None
    )
    return_policy = TextField(max_length=40, required=False, allow_blank=True, allow_null=True, default="")

    def to_internal_value(self, data):
        # CSV cells are strings: an empty cell means "not given".
        if isinstance(data, dict):
            data = {key: value for key, value in data.items() if value not in ("", None) or key in ("size", "colour")}
        return super().to_internal_value(data)

    def to_row(self) -> VariantRow:
        return VariantRow(**self.validated_data)


class CatalogUpsertResultSerializer(serializers.Serializer):
    products_created = serializers.IntegerField()
    products_updated = serializers.IntegerField()
    variants_created = serializers.IntegerField()
    variants_updated = serializers.IntegerField()


class TokenRequestSerializer(serializers.Serializer):
    username = TextField(max_length=150)
    password = TextField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class AcknowledgeSerializer(serializers.Serializer):
    note = TextField(max_length=500)
    key = TextField(max_length=64, required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = TextField(max_length=REASON.limit)


class HoldSerializer(ReasonSerializer):
    until = DateOrDateTimeField(
        required=False,
        help_text="When the order comes back by itself (beat releases it, its checks re-run); at most a year ahead.",
    )


class EmptySerializer(serializers.Serializer):
    """No fields: the action takes no body (the schema says so)."""


class LinePatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = TextField(max_length=64, required=False)
    size = TextField(max_length=30, required=False, allow_blank=True)
    colour = TextField(max_length=30, required=False, allow_blank=True)
    quantity = serializers.IntegerField(min_value=1, max_value=9999, required=False)


class OrderPatchSerializer(serializers.Serializer):
    """An agent's corrections: any subset of the address fields, lines by id, requests, the note."""

    shipping_address = AddressInputSerializer(required=False)
    lines = LinePatchSerializer(many=True, required=False, allow_empty=False, max_length=200)
    special_requests = SpecialRequestsSerializer(required=False)
    buyer_note = TextField(max_length=1000, required=False, allow_blank=True)
    seller_memo = TextField(max_length=SELLER_MEMO.limit, required=False, allow_blank=True)

    def to_changes(self):
        data = self.validated_data
        return OrderChanges(
            address=dict(data.get("shipping_address", {})),
            lines=tuple(
                LineChange(
                    line_id=line["id"],
                    sku=line.get("sku"),
                    size=line.get("size"),
                    colour=line.get("colour"),
                    quantity=line.get("quantity"),
                )
                for line in data.get("lines", [])
            ),
            requests=dict(data.get("special_requests", {})),
            buyer_note=data.get("buyer_note"),
            seller_memo=data.get("seller_memo"),
        )


class FlagCreateSerializer(serializers.Serializer):
    category = serializers.SlugField(max_length=20)
    note = TextField(max_length=1000)


class ShipSerializer(serializers.Serializer):
    courier = TextField(max_length=8)
    tracking_number = TextField(max_length=40)
    override_reason = TextField(max_length=500, required=False, allow_blank=True, default="")


class TrackingCorrectionSerializer(serializers.Serializer):
    tracking_number = TextField(max_length=40)
    courier = TextField(max_length=8, required=False)
    reason = TextField(max_length=500)


class DeliverSerializer(serializers.Serializer):
    delivered_at = MomentField(required=False, allow_null=True, default=None)


class PriceAdjustSerializer(serializers.Serializer):
    """An order-level (or, with ``line_id``, a line's) discount or markup: an amount or a percentage."""

    amount = DecimalStringField(
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=_("Added to the price: negative is a discount (-5.00), positive a markup."),
    )
    percent = DecimalStringField(
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
        required=False,
        help_text=_(
            "The percentage of the price to pay: 95 means the buyer pays 95 percent of the items total (95折)."
        ),
    )
    line_id = serializers.IntegerField(
        min_value=1, required=False, help_text=_("Edit this line's price instead of the order's.")
    )
    reason = TextField(max_length=500)

    def validate(self, data: dict) -> dict:
        if ("amount" in data) == ("percent" in data):
            raise serializers.ValidationError(_("Give either an amount or a percentage."))
        return data

    def to_change(self):
        data = self.validated_data
        return PriceChange(amount=data.get("amount"), percent=data.get("percent"), line_id=data.get("line_id"))


class ShippingAdjustSerializer(serializers.Serializer):
    fee = money_field(help_text=_("The shipping fee to charge."))
    reason = TextField(max_length=500)


class MergeSerializer(serializers.Serializer):
    order_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=50)
    versions = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text=_('The version (ETag) of each order as the caller saw it, e.g. {"17": 3}: 412 when one is stale.'),
    )
    reason = TextField(max_length=500, required=False, allow_blank=True, default="")

    def validate_versions(self, value: dict) -> dict[int, int]:
        if not all(str(key).isdigit() for key in value):
            raise serializers.ValidationError(_("Keys are order ids."))
        return {int(key): version for key, version in value.items()}


class UnmergeSerializer(serializers.Serializer):
    reason = TextField(max_length=500, required=False, allow_blank=True, default="")
