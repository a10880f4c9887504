"""Tracking news of a shipped order, from its storefront (or a courier webhook behind it) or the warehouse."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from orders.api.fields import MomentField, TextField
from orders.api.output import OrderDetailSerializer
from orders.api.permissions import storefront_or_staff_with
from orders.api.views.common import error_response, validated
from orders.models import TrackingStatus
from orders.services.tracking import tracking_event_record


class TrackingEventSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TrackingStatus.choices)
    at = MomentField()
    location = TextField(max_length=200, required=False, allow_blank=True, default="")
    description = TextField(max_length=500, required=False, allow_blank=True, default="")


class TrackingActions:
    """Mixed into OrderViewSet, which merges ``action_permissions``."""

    action_permissions = {"tracking_events": storefront_or_staff_with("orders.ship_order")}

    @extend_schema(
        request=TrackingEventSerializer,
        responses={
            201: OrderDetailSerializer,
            200: OpenApiResponse(OrderDetailSerializer, description="A replay: the same status at the same time."),
            400: error_response("Invalid input: an unknown status, a time in the future."),
            403: error_response("Only the order's storefront, the warehouse and supervisors."),
            404: error_response("No such order for the caller."),
            409: error_response("The order has not shipped, or is delivered already (shipping_refused)."),
        },
        summary="Record tracking news: delivered delivers, exception and returned_to_sender flag it abnormal",
    )
    @action(detail=True, methods=["post"], url_path="tracking-events")
    def tracking_events(self, request, pk: int):
        data = validated(TrackingEventSerializer, request)
        order, created = self.on_order(pk, tracking_event_record, actor=self.actor(), **data)
        return self.detail_response(order, status.HTTP_201_CREATED if created else status.HTTP_200_OK)
