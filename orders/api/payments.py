"""Payments and refunds over REST (API.md 1.1): a storefront or an agent records money received, a
storefront or a supervisor money returned; the same ``reference`` again is a replay, counted once."""

from decimal import Decimal

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.api.fields import DecimalStringField, MomentField, TextField
from orders.api.output import money
from orders.api.permissions import storefront_or_staff_with
from orders.api.views.common import OldestFirstPagination, OrderViewMixin, error_response, validated
from orders.models import PaymentRecord
from orders.services.payments import Recorded, payment_record, refund_record
from orders.text import PAYMENT_REFERENCE, REASON

PAYMENT_PERMISSION = "orders.record_payment"
REFUND_PERMISSION = "orders.record_refund"


def _amount_field() -> DecimalStringField:
    # The sign is the service's rule (amount ≤ 0 is 400 there), so that REST and the admin say it alike.
    return DecimalStringField(max_digits=12, decimal_places=2, help_text='Money as a string, e.g. "6.00".')


class PaymentInputSerializer(serializers.Serializer):
    amount = _amount_field()
    reference = TextField(
        max_length=PAYMENT_REFERENCE.limit, help_text="The payment provider's id; unique per order (replays)."
    )
    paid_at = MomentField(required=False, allow_null=True, default=None)


class RefundInputSerializer(serializers.Serializer):
    amount = _amount_field()
    reference = TextField(max_length=PAYMENT_REFERENCE.limit, help_text="The refund's id; unique per order.")
    reason = TextField(max_length=REASON.limit)


class OrderMoneySerializer(serializers.Serializer):
    """The order's money after the call, to save the caller a second request."""

    id = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    payment_status = serializers.CharField()
    total = money()
    amount_paid = money()
    balance_due = money()
    refund_due = money()
    open_blockers = serializers.IntegerField()


class PaymentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="`payment` or `refund`.")
    amount = money()
    reference = serializers.CharField()
    paid_at = serializers.DateTimeField(source="at", help_text="When the money moved (a refund: when recorded).")
    reason = serializers.CharField()
    recorded_by = serializers.CharField(source="actor_name")
    created_at = serializers.DateTimeField()


class RecordedSerializer(PaymentOutputSerializer):
    replayed = serializers.BooleanField(help_text="True when this reference was recorded before: nothing changed.")
    order = OrderMoneySerializer()


_ERRORS = {
    400: error_response("Invalid input: an amount of 0.00 or less, no reference, a missing reason."),
    403: error_response("The caller's role may not record this."),
    404: error_response("No such order (or another storefront's)."),
}


class _OrderMoneyView(OrderViewMixin, APIView):
    def recorded_response(self, recorded: Recorded) -> Response:
        """The record with the order's money as the service left it (a replay: as it is now)."""
        record = recorded.record
        record.replayed = not recorded.created
        return Response(
            RecordedSerializer(record).data,
            status=status.HTTP_201_CREATED if recorded.created else status.HTTP_200_OK,
            headers={"ETag": f'"{record.order.version}"'},
        )


class OrderPaymentsView(_OrderMoneyView):
    """``/api/v1/orders/{id}/payments/``: the order's payments and refunds; record a payment."""

    permission_classes = [storefront_or_staff_with(PAYMENT_PERMISSION)]
    pagination_class = OldestFirstPagination

    def get_permissions(self):
        if self.request.method == "GET":
            return [storefront_or_staff_with("orders.view_paymentrecord")()]
        return super().get_permissions()

    @extend_schema(
        responses=PaymentOutputSerializer(many=True),
        summary="The order's payments and refunds, oldest first",
    )
    def get(self, request, order_id: int):
        records = PaymentRecord.objects.filter(order_id=self.order_in_scope(order_id)).select_related("actor")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(records, request)
        return paginator.get_paginated_response(PaymentOutputSerializer(page, many=True).data)

    @extend_schema(
        request=PaymentInputSerializer,
        responses={
            201: RecordedSerializer,
            200: RecordedSerializer,
            **_ERRORS,
            409: error_response(
                "`payment_reference_conflict`: the reference is recorded with another amount (or as a refund); "
                "`payment_refused`: the order is merged (pay its primary, `data.merged_into`) or cancelled."
            ),
        },
        summary="Record money received from the buyer (补差价 or the whole order)",
        description=(
            "Adds `amount` to `amount_paid`. Once nothing is due (`balance_due` 0.00) `payment_status` is `paid` "
            "and the blocker `payment.balance_due` resolves; more than is due becomes `refund_due`. The same "
            "`reference` with the same amount again is a replay: `200`, counted once, `replayed` true."
        ),
        examples=[
            OpenApiExample(
                "The SF difference",
                value={"amount": "6.00", "reference": "ALI2026112200001", "paid_at": "2026-11-22T12:00:00+08:00"},
                request_only=True,
            )
        ],
    )
    def post(self, request, order_id: int):
        data = validated(PaymentInputSerializer, request)
        recorded = self.on_order(
            order_id,
            payment_record,
            amount=Decimal(data["amount"]),
            reference=data["reference"],
            paid_at=data["paid_at"],
            actor=self.actor(),
        )
        return self.recorded_response(recorded)


class OrderRefundsView(_OrderMoneyView):
    """``POST /api/v1/orders/{id}/refunds/``: record money returned to the buyer."""

    permission_classes = [storefront_or_staff_with(REFUND_PERMISSION)]

    @extend_schema(
        request=RefundInputSerializer,
        responses={
            201: RecordedSerializer,
            200: RecordedSerializer,
            **_ERRORS,
            409: error_response(
                "`refund_exceeds_due`: more than `refund_due` (`data.refund_due`); `payment_reference_conflict`: "
                "the reference is recorded with another amount (or as a payment)."
            ),
        },
        summary="Record money returned to the buyer (at most the refund due)",
        description=(
            "Takes `amount` off `amount_paid` and `refund_due` and sends the buyer a `refund_issued` message. "
            "An order refunded down to nothing paid is `refunded`. The same `reference` with the same amount "
            "again is a replay: `200`, counted once, no second message."
        ),
        examples=[
            OpenApiExample(
                "The 95折 difference",
                value={"amount": "4.95", "reference": "RF2026112200001", "reason": "活动价95折，退差价"},
                request_only=True,
            )
        ],
    )
    def post(self, request, order_id: int):
        data = validated(RefundInputSerializer, request)
        recorded = self.on_order(
            order_id,
            refund_record,
            amount=Decimal(data["amount"]),
            reference=data["reference"],
            reason=data["reason"],
            actor=self.actor(),
        )
        return self.recorded_response(recorded)
