"""Order actions: flags, shipping, delivery and the abnormal-orders list."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from flags.services import flag_add, flag_clear
from orders.api.output import (
    AbnormalOrderSerializer,
    FlagOutputSerializer,
    OrderDetailSerializer,
)
from orders.api.permissions import staff_with, storefront_or_staff_with
from orders.api.rows import ABNORMAL_EXTRA, abnormal_order_rows, order_list_values
from orders.api.serializers import (
    DeliverSerializer,
    FlagCreateSerializer,
    ShipSerializer,
    TrackingCorrectionSerializer,
)
from orders.api.views.common import IF_MATCH, OldestFirstPagination, validated
from orders.selectors import abnormal_orders
from orders.services.shipping import order_deliver, order_ship, order_tracking_correct


class WarehouseActions:
    """Flags, shipping, delivery and the abnormal-orders list.

    Mixed into OrderViewSet, which merges ``action_permissions``."""

    action_permissions = {
        "flags": staff_with("flags.add_flag"),
        "flag_clear": staff_with("flags.change_flag"),
        "ship": storefront_or_staff_with("orders.ship_order"),
        "tracking": staff_with("orders.ship_order"),
        "deliver": storefront_or_staff_with("orders.ship_order"),
        "abnormal": staff_with("orders.view_order"),
    }

    @extend_schema(
        request=FlagCreateSerializer,
        responses={201: FlagOutputSerializer},
        summary="Add a flag; its colour comes from the category's rule",
    )
    @action(detail=True, methods=["post"])
    def flags(self, request, pk: int):
        data = validated(FlagCreateSerializer, request)
        flag = self.on_order(pk, flag_add, category_code=data["category"], note=data["note"], actor=self.actor())
        return Response(FlagOutputSerializer(flag).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: OrderDetailSerializer}, summary="Clear a flag")
    @action(detail=True, methods=["delete"], url_path=r"flags/(?P<flag_id>[0-9]+)")
    def flag_clear(self, request, pk: int, flag_id: int):
        self.on_order(pk, flag_clear, flag_id=int(flag_id), actor=self.actor())
        return self.detail_response(self.order_or_404(pk))

    @extend_schema(
        request=ShipSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Ship: courier and tracking number, validated; the promised courier is enforced",
    )
    @action(detail=True, methods=["post"])
    def ship(self, request, pk: int):
        data = validated(ShipSerializer, request)
        return self.change(
            order_ship,
            pk,
            courier=data["courier"],
            tracking_number=data["tracking_number"],
            override_reason=data["override_reason"],
        )

    @extend_schema(
        request=TrackingCorrectionSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Correct the tracking number of a shipped order",
    )
    @action(detail=True, methods=["post"])
    def tracking(self, request, pk: int):
        data = validated(TrackingCorrectionSerializer, request)
        return self.change(
            order_tracking_correct,
            pk,
            tracking_number=data["tracking_number"],
            courier=data.get("courier"),
            reason=data["reason"],
        )

    @extend_schema(
        request=DeliverSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Record the delivery (starts the return window)",
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk: int):
        data = validated(DeliverSerializer, request)
        return self.change(order_deliver, pk, delivered_at=data["delivered_at"])

    @extend_schema(
        responses=AbnormalOrderSerializer(many=True),
        summary="Abnormal orders (异常订单): what needs attention, oldest first, with the reasons",
    )
    @action(detail=False, methods=["get"], pagination_class=OldestFirstPagination)
    def abnormal(self, request):
        page = self.paginate_queryset(order_list_values(self.filter_queryset(abnormal_orders()), *ABNORMAL_EXTRA))
        return self.get_paginated_response(abnormal_order_rows(page))
