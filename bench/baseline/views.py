"""The baseline endpoints: what a plain DRF ModelSerializer create costs, and a plain Django JSON view.

The baseline takes the very body the service takes (same parsing cost), validates its shape with
ModelSerializers, stores the order and its lines in one transaction and returns them. It does nothing
else: no authentication, no customer upsert, no catalogue, no checks, flags or events.
"""

from django.db import transaction
from django.http import JsonResponse
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from bench.baseline.models import BaselineLine, BaselineOrder


class BaselineLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BaselineLine
        fields = ["id", "sku", "quantity", "size", "colour", "unit_price", "product_name"]


class BaselineCustomerSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    default_address = serializers.DictField(required=False)
    language = serializers.CharField(required=False, allow_blank=True)


class BaselineAddressSerializer(serializers.Serializer):
    recipient = serializers.CharField(source="ship_recipient", max_length=100)
    phone = serializers.CharField(source="ship_phone", max_length=30)
    province = serializers.CharField(source="ship_province", max_length=30)
    city = serializers.CharField(source="ship_city", max_length=50)
    district = serializers.CharField(source="ship_district", max_length=50, required=False, allow_blank=True)
    street = serializers.CharField(source="ship_street", max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(source="ship_postcode", max_length=10, required=False, allow_blank=True)
    kind = serializers.CharField(source="ship_kind", max_length=10, required=False, allow_blank=True)


class BaselineOrderSerializer(serializers.ModelSerializer):
    customer = BaselineCustomerSerializer(write_only=True)
    shipping_address = BaselineAddressSerializer(source="*")
    lines = BaselineLineSerializer(many=True)

    class Meta:
        model = BaselineOrder
        fields = [
            "id",
            "external_id",
            "placed_at",
            "payment_status",
            "customer",
            "shipping_address",
            "shipping_fee",
            "special_requests",
            "buyer_note",
            "lines",
            "created_at",
        ]

    def create(self, validated_data: dict) -> BaselineOrder:
        lines = validated_data.pop("lines")
        customer = validated_data.pop("customer")
        with transaction.atomic():
            order = BaselineOrder.objects.create(
                customer_external_id=customer["external_id"],
                customer_name=customer.get("name", ""),
                customer_phone=customer.get("phone", ""),
                **validated_data,
            )
            BaselineLine.objects.bulk_create([BaselineLine(order=order, **line) for line in lines])
        return order


class BaselineOrderCreate(generics.CreateAPIView):
    queryset = BaselineOrder.objects.all()
    serializer_class = BaselineOrderSerializer
    authentication_classes: list = []
    permission_classes = [AllowAny]


def floor(request) -> JsonResponse:
    """A plain Django JSON view: the cost of the HTTP server and Django's request cycle alone."""
    return JsonResponse({"ok": True})
