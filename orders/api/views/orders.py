"""The orders endpoint: create (idempotent), list and read; the actions come from the mixins."""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from orders.api.filtering import QuickFilterBackend
from orders.api.idempotency import idempotent_response, request_hash
from orders.api.output import (
    OrderDetailSerializer,
    OrderListSerializer,
)
from orders.api.permissions import IsStorefront, storefront_of, storefront_or_staff_with
from orders.api.rows import order_list_rows, order_list_values
from orders.api.schema import IDEMPOTENCY_KEY_SCHEMA
from orders.api.serializers import (
    OrderCreateSerializer,
    order_input,
)
from orders.api.views.cases import CaseActions
from orders.api.views.common import DenyAll, OrderCursorPagination, OrderFilter, OrderViewMixin
from orders.api.views.money import MoneyActions
from orders.api.views.notes import NoteActions
from orders.api.views.tracking import TrackingActions
from orders.api.views.warehouse import WarehouseActions
from orders.api.views.workflow import WorkflowActions
from orders.models import Order
from orders.services.intake import order_create


class OrderViewSet(
    WorkflowActions,
    WarehouseActions,
    TrackingActions,
    MoneyActions,
    NoteActions,
    CaseActions,
    OrderViewMixin,
    GenericViewSet,
):
    """Orders: a storefront creates them; storefronts and staff read and list them; staff act on them."""

    lookup_value_regex = r"[0-9]+"
    filter_backends = [QuickFilterBackend]
    filterset_class = OrderFilter
    pagination_class = OrderCursorPagination
    serializer_class = OrderDetailSerializer

    # Every action names its permission; an action missing here is refused.
    action_permissions = {
        "create": IsStorefront,
        "list": storefront_or_staff_with("orders.view_order"),
        "retrieve": storefront_or_staff_with("orders.view_order"),
        **WorkflowActions.action_permissions,
        **WarehouseActions.action_permissions,
        **MoneyActions.action_permissions,
        **NoteActions.action_permissions,
        **TrackingActions.action_permissions,
        **CaseActions.action_permissions,
    }

    def get_permissions(self):
        return [self.action_permissions.get(self.action, DenyAll)()]

    def get_queryset(self) -> QuerySet[Order]:
        return self.scoped_orders()

    @extend_schema(
        request=OrderCreateSerializer,
        responses={201: OrderDetailSerializer, 200: OrderDetailSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                IDEMPOTENCY_KEY_SCHEMA,
                OpenApiParameter.HEADER,
                required=False,
                description="Replays return the stored response; another body with the same key gets 422.",
            )
        ],
        summary="Create an order (idempotent by external_id)",
    )
    def create(self, request):
        storefront = storefront_of(request)
        body_hash = request_hash(request.data)

        def handle() -> Response:
            order, created = order_create(storefront=storefront, data=order_input(request.data), intake_hash=body_hash)
            return self.detail_response(order, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

        key = request.headers.get("Idempotency-Key")
        if key is None:
            return handle()
        return idempotent_response(storefront=storefront, key=key, body_hash=body_hash, handler=handle)

    @extend_schema(responses=OrderListSerializer(many=True), summary="List orders, newest first")
    def list(self, request):
        # Rendered from value rows (orders.api.rows); OrderListSerializer documents the same shape.
        page = self.paginate_queryset(order_list_values(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(order_list_rows(page))

    @extend_schema(responses=OrderDetailSerializer, summary="One order with its checks, flags and history")
    def retrieve(self, request, pk: int):
        return self.detail_response(self.order_or_404(pk))
