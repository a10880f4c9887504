"""An order's outbox over REST: the list (storefront and staff) and an agent's deliberate resend."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.api.fields import TextField
from orders.api.permissions import staff_with, storefront_or_staff_with
from orders.api.views.common import OrderViewMixin, staff_actor, validated
from orders.messaging.models import RESENDABLE_CHOICES, Message
from orders.messaging.queue import message_resend


class MessageOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    content = serializers.CharField(source="template", help_text="What the message says; for a resend, what it resent.")
    channel = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    due_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    reason = serializers.CharField()


class StaffMessageOutputSerializer(MessageOutputSerializer):
    last_error = serializers.CharField(
        required=False, help_text="The last delivery error; staff only (a storefront's list leaves it out)."
    )


class ResendSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=RESENDABLE_CHOICES,
        help_text=_("Which message to send again, rendered from the order as it is now."),
    )
    reason = TextField(max_length=500)


class _OrderMessagesMixin(OrderViewMixin):
    def output_class(self) -> type[MessageOutputSerializer]:
        return StaffMessageOutputSerializer if self.request.user.is_staff else MessageOutputSerializer


class OrderMessagesView(_OrderMessagesMixin, APIView):
    """``GET /api/v1/orders/{id}/messages/``: the order's outbox, oldest first."""

    permission_classes = [storefront_or_staff_with("orders.view_order")]

    @extend_schema(responses=StaffMessageOutputSerializer(many=True), summary="The order's messages to the buyer")
    def get(self, request, order_id: int):
        messages = Message.objects.filter(order_id=self.order_in_scope(order_id)).order_by("id")
        return Response(self.output_class()(messages, many=True).data)


class OrderMessageResendView(_OrderMessagesMixin, APIView):
    """``POST /api/v1/orders/{id}/messages/resend/``: an agent sends a message again, with a reason."""

    permission_classes = [staff_with("orders.confirm_order")]

    @extend_schema(
        request=ResendSerializer,
        responses={201: StaffMessageOutputSerializer},
        summary="Send the confirmation, the shipped message or the reminder again (kind resend, with a reason)",
    )
    def post(self, request, order_id: int):
        data = validated(ResendSerializer, request)
        message = self.on_order(
            order_id, message_resend, template=data["kind"], reason=data["reason"], actor=staff_actor(request)
        )
        return Response(StaffMessageOutputSerializer(message).data, status=status.HTTP_201_CREATED)
