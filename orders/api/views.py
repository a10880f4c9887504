"""REST endpoints. Views parse, authorise and call a service; they hold no business rules."""

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from orders.api.idempotency import idempotent_response, request_hash
from orders.api.output import OrderDetailSerializer, OrderListSerializer
from orders.api.permissions import (
    IsStorefront,
    storefront_of,
    storefront_or_staff_with,
)
from orders.api.serializers import (
    CatalogUpsertResultSerializer,
    OrderCreateSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    VariantRowSerializer,
)
from orders.exceptions import InvalidInput, NotFound
from orders.models import Order, OrderStatus
from orders.selectors import order_detail_queryset, order_list_queryset, orders_visible_to
from orders.services.catalog import CatalogRowError, VariantRow, catalog_upsert
from orders.services.intake import order_create
from orders.services.tokens import staff_token_issue


class OrderCursorPagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class OrderFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=OrderStatus.choices)
    has_blockers = filters.BooleanFilter(method="filter_has_blockers")
    customer = filters.CharFilter(field_name="customer__external_id")
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")

    class Meta:
        model = Order
        fields = ["status", "has_blockers", "customer", "updated_after"]

    def filter_has_blockers(self, queryset: QuerySet[Order], name: str, value: bool | None) -> QuerySet[Order]:
        if value is None:
            return queryset
        return queryset.filter(open_blockers__gt=0) if value else queryset.filter(open_blockers=0)


class OrderViewMixin:
    """Scoping and serializer context shared by every order endpoint."""

    def scoped_orders(self) -> QuerySet[Order]:
        return orders_visible_to(storefront=storefront_of(self.request))

    def serializer_context(self) -> dict:
        request = self.request
        mask = not (storefront_of(request) is not None or request.user.has_perm("orders.view_full_phone"))
        return {"request": request, "mask_pii": mask}

    def order_or_404(self, pk: int) -> Order:
        order = order_detail_queryset(self.scoped_orders()).filter(pk=pk).first()
        if order is None:
            raise NotFound()
        return order

    def detail_response(self, order: Order, status_code: int = status.HTTP_200_OK) -> Response:
        order = self.order_or_404(order.pk)
        body = OrderDetailSerializer(order, context=self.serializer_context()).data
        return Response(body, status=status_code, headers={"ETag": f'"{order.version}"'})


class OrderViewSet(OrderViewMixin, GenericViewSet):
    lookup_value_regex = r"\d+"
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = OrderFilter
    pagination_class = OrderCursorPagination
    serializer_class = OrderDetailSerializer

    def get_permissions(self):
        if self.action == "create":
            return [IsStorefront()]
        return [storefront_or_staff_with("orders.view_order")()]

    def get_queryset(self) -> QuerySet[Order]:
        return self.scoped_orders()

    @extend_schema(
        request=OrderCreateSerializer,
        responses={201: OrderDetailSerializer, 200: OrderDetailSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
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
            serializer = OrderCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            order, created = order_create(storefront=storefront, data=serializer.to_input(), intake_hash=body_hash)
            return self.detail_response(order, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

        key = request.headers.get("Idempotency-Key")
        if key is None:
            return handle()
        return idempotent_response(storefront=storefront, key=key, body_hash=body_hash, handler=handle)

    @extend_schema(responses=OrderListSerializer(many=True), summary="List orders, newest first")
    def list(self, request):
        queryset = order_list_queryset(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        data = OrderListSerializer(page, many=True, context=self.serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(responses=OrderDetailSerializer, summary="One order with its checks, flags and history")
    def retrieve(self, request, pk: int):
        return self.detail_response(self.order_or_404(pk))


class CatalogVariantsView(APIView):
    """A storefront (or a supervisor) upserts catalogue rows by SKU; all rows or none."""

    permission_classes = [storefront_or_staff_with("orders.change_variant", "orders.change_product")]

    @extend_schema(
        request=VariantRowSerializer(many=True),
        responses=CatalogUpsertResultSerializer,
        summary="Upsert catalogue variants",
    )
    def post(self, request):
        if not isinstance(request.data, list) or not request.data:
            raise InvalidInput(fields={"non_field_errors": [_("Send a non-empty JSON list of variants.")]})
        serializer = VariantRowSerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        try:
            result = catalog_upsert(rows=[VariantRow(**item) for item in serializer.validated_data])
        except CatalogRowError as exc:
            raise InvalidInput(fields={f"{exc.row}.{exc.field}": [str(exc.message)]}) from exc
        return Response(CatalogUpsertResultSerializer(result).data)


class StaffTokenView(APIView):
    """Staff exchange a username and password for an expiring API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses=TokenResponseSerializer, summary="Get a staff token")
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request, username=serializer.validated_data["username"], password=serializer.validated_data["password"]
        )
        if user is None or not user.is_active or not user.is_staff:
            raise InvalidInput(_("Wrong username or password, or not a staff account."))
        key, expires_at = staff_token_issue(user=user)
        return Response({"token": key, "expires_at": expires_at})
