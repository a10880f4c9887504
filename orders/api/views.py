"""REST endpoints. Views parse, authorise and call a service; they hold no business rules."""

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from flags.models import FlagColour
from flags.selectors import orders_with_flag
from flags.services import flag_add, flag_clear
from orders.api.idempotency import idempotent_response, request_hash
from orders.api.output import (
    AbnormalOrderSerializer,
    ErrorOutputSerializer,
    FlagOutputSerializer,
    OrderDetailSerializer,
    OrderListSerializer,
)
from orders.api.permissions import IsStorefront, staff_with, storefront_of, storefront_or_staff_with
from orders.api.reuse import render, validate
from orders.api.serializers import (
    AcknowledgeSerializer,
    CatalogUpsertResultSerializer,
    DeliverSerializer,
    EmptySerializer,
    FlagCreateSerializer,
    MergeSerializer,
    OrderCreateSerializer,
    OrderPatchSerializer,
    PriceAdjustSerializer,
    ReasonSerializer,
    ShippingAdjustSerializer,
    ShipSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    TrackingCorrectionSerializer,
    UnmergeSerializer,
    VariantRowSerializer,
    order_input,
)
from orders.events import Actor
from orders.exceptions import InvalidInput, NotFound
from orders.models import Order, OrderStatus
from orders.selectors import (
    abnormal_orders,
    open_flags_prefetch,
    order_detail_loaded,
    order_detail_queryset,
    order_list_queryset,
    orders_visible_to,
)
from orders.services.catalog import CatalogRowError, VariantRow, catalog_upsert
from orders.services.edits import order_edit
from orders.services.intake import order_create
from orders.services.merge import order_unmerge, orders_merge
from orders.services.pricing import order_adjust_price, order_adjust_shipping
from orders.services.shipping import order_deliver, order_ship, order_tracking_correct
from orders.services.tokens import staff_token_issue
from orders.services.workflow import (
    order_cancel,
    order_check_acknowledge,
    order_confirm,
    order_hold,
    order_recheck,
    order_release,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The order's version as its ETag gave it; a stale one gets 412.",
)


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorOutputSerializer, description=description)


EDIT_ERRORS = {
    400: error_response("Invalid input, past the role's discount limit, or a total that would go negative."),
    403: error_response("The caller's role may not do this (warehouse staff and storefronts never may)."),
    409: error_response("Not in an editable status, or the order is paid and its total would go up."),
    412: error_response("If-Match is stale: somebody else changed the order; reload it."),
}


class DenyAll(BasePermission):
    def has_permission(self, request, view) -> bool:
        return False


def if_match(request) -> int | None:
    """The version the client saw (ETag "7" or W/"7"); None when it sent no If-Match or '*'."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInput(fields={"If-Match": [_('Send the order\'s ETag, e.g. "3".')]})
    return int(value)


def staff_actor(request) -> Actor:
    return Actor(user=request.user)


def _validated(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class OrderCursorPagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class OldestFirstPagination(OrderCursorPagination):
    ordering = "id"


class OrderFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=OrderStatus.choices)
    has_blockers = filters.BooleanFilter(method="filter_has_blockers")
    customer = filters.CharFilter(field_name="customer__external_id")
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")
    flag = filters.ChoiceFilter(choices=FlagColour.choices, method="filter_flag")

    class Meta:
        model = Order
        fields = ["status", "has_blockers", "customer", "updated_after", "flag"]

    def filter_flag(self, queryset: QuerySet[Order], name: str, value: str) -> QuerySet[Order]:
        return orders_with_flag(queryset, value) if value else queryset

    def filter_has_blockers(self, queryset: QuerySet[Order], name: str, value: bool | None) -> QuerySet[Order]:
        if value is None:
            return queryset
        return queryset.filter(open_blockers__gt=0) if value else queryset.filter(open_blockers=0)


class OrderViewMixin:
    """Scoping and serializer context shared by every order endpoint."""

    def actor(self) -> Actor:
        storefront = storefront_of(self.request)
        return Actor.storefront(storefront) if storefront is not None else Actor(user=self.request.user)

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
        if not order_detail_loaded(order):
            order = self.order_or_404(order.pk)
        body = render(OrderDetailSerializer, order, context=self.serializer_context())
        return Response(body, status=status_code, headers={"ETag": f'"{order.version}"'})


class OrderViewSet(OrderViewMixin, GenericViewSet):
    lookup_value_regex = r"\d+"
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = OrderFilter
    pagination_class = OrderCursorPagination
    serializer_class = OrderDetailSerializer

    # Every action names its permission; an action missing here is refused.
    action_permissions = {
        "create": IsStorefront,
        "list": storefront_or_staff_with("orders.view_order"),
        "retrieve": storefront_or_staff_with("orders.view_order"),
        "partial_update": staff_with("orders.edit_order_address"),
        "acknowledge": staff_with("orders.confirm_order"),
        "confirm": staff_with("orders.confirm_order"),
        "hold": staff_with("orders.confirm_order"),
        "release": staff_with("orders.confirm_order"),
        "cancel": staff_with("orders.confirm_order"),
        "recheck": staff_with("orders.confirm_order"),
        "flags": staff_with("flags.add_flag"),
        "flag_clear": staff_with("flags.change_flag"),
        "ship": storefront_or_staff_with("orders.ship_order"),
        "deliver": storefront_or_staff_with("orders.ship_order"),
        "tracking": staff_with("orders.ship_order"),
        "abnormal": staff_with("orders.view_order"),
        "adjust_price": staff_with("orders.edit_order_price"),
        "adjust_shipping": staff_with("orders.edit_order_shipping"),
        "merge": staff_with("orders.merge_orders"),
        "unmerge": staff_with("orders.merge_orders"),
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
            validated = validate(OrderCreateSerializer, request.data)
            order, created = order_create(storefront=storefront, data=order_input(validated), intake_hash=body_hash)
            return self.detail_response(order, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

        key = request.headers.get("Idempotency-Key")
        if key is None:
            return handle()
        return idempotent_response(storefront=storefront, key=key, body_hash=body_hash, handler=handle)

    @extend_schema(responses=OrderListSerializer(many=True), summary="List orders, newest first")
    def list(self, request):
        queryset = order_list_queryset(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        data = render(OrderListSerializer, page, many=True, context=self.serializer_context())
        return self.get_paginated_response(data)

    @extend_schema(responses=OrderDetailSerializer, summary="One order with its checks, flags and history")
    def retrieve(self, request, pk: int):
        return self.detail_response(self.order_or_404(pk))

    @extend_schema(
        request=OrderPatchSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Correct the address, lines or requests (re-runs the checks)",
    )
    def partial_update(self, request, pk: int):
        serializer = OrderPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        order = order_edit(
            order_id=self.order_or_404(pk).pk,
            changes=serializer.to_changes(),
            actor=staff_actor(request),
            expected_version=if_match(request),
        )
        return self.detail_response(order)

    @extend_schema(
        request=AcknowledgeSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Acknowledge a warning read back to the buyer",
    )
    @action(detail=True, methods=["post"], url_path=r"checks/(?P<code>[a-z_]+\.[a-z_]+)/acknowledge")
    def acknowledge(self, request, pk: int, code: str):
        serializer = AcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = order_check_acknowledge(
            order_id=self.order_or_404(pk).pk,
            code=code,
            note=serializer.validated_data["note"],
            key=serializer.validated_data.get("key") or None,
            actor=staff_actor(request),
            expected_version=if_match(request),
        )
        return self.detail_response(order)

    @extend_schema(
        request=EmptySerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Confirm (409 with the open blockers and unread warnings)",
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk: int):
        order = order_confirm(
            order_id=self.order_or_404(pk).pk, actor=staff_actor(request), expected_version=if_match(request)
        )
        return self.detail_response(order)

    @extend_schema(
        request=ReasonSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Park the order with a reason",
    )
    @action(detail=True, methods=["post"])
    def hold(self, request, pk: int):
        reason = _validated(ReasonSerializer, request)["reason"]
        order = order_hold(
            order_id=self.order_or_404(pk).pk,
            reason=reason,
            actor=staff_actor(request),
            expected_version=if_match(request),
        )
        return self.detail_response(order)

    @extend_schema(
        request=EmptySerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Back from hold into the queue",
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk: int):
        order = order_release(
            order_id=self.order_or_404(pk).pk, actor=staff_actor(request), expected_version=if_match(request)
        )
        return self.detail_response(order)

    @extend_schema(
        request=ReasonSerializer, responses=OrderDetailSerializer, parameters=[IF_MATCH], summary="Cancel with a reason"
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk: int):
        reason = _validated(ReasonSerializer, request)["reason"]
        order = order_cancel(
            order_id=self.order_or_404(pk).pk,
            reason=reason,
            actor=staff_actor(request),
            expected_version=if_match(request),
        )
        return self.detail_response(order)

    @extend_schema(
        request=FlagCreateSerializer,
        responses={201: FlagOutputSerializer},
        summary="Add a flag; its colour comes from the category's rule",
    )
    @action(detail=True, methods=["post"])
    def flags(self, request, pk: int):
        data = _validated(FlagCreateSerializer, request)
        flag = flag_add(
            order_id=self.order_or_404(pk).pk, category_code=data["category"], note=data["note"], actor=self.actor()
        )
        return Response(FlagOutputSerializer(flag).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=OrderDetailSerializer, summary="Clear a flag")
    @action(detail=True, methods=["delete"], url_path=r"flags/(?P<flag_id>\d+)")
    def flag_clear(self, request, pk: int, flag_id: int):
        flag_clear(order_id=self.order_or_404(pk).pk, flag_id=int(flag_id), actor=self.actor())
        return self.detail_response(self.order_or_404(pk))

    @extend_schema(
        request=ShipSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Ship: courier and tracking number, validated; the promised courier is enforced",
    )
    @action(detail=True, methods=["post"])
    def ship(self, request, pk: int):
        data = _validated(ShipSerializer, request)
        order = order_ship(
            order_id=self.order_or_404(pk).pk,
            courier=data["courier"],
            tracking_number=data["tracking_number"],
            override_reason=data["override_reason"],
            actor=self.actor(),
            expected_version=if_match(request),
        )
        return self.detail_response(order)

    @extend_schema(
        request=TrackingCorrectionSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Correct the tracking number of a shipped order",
    )
    @action(detail=True, methods=["post"])
    def tracking(self, request, pk: int):
        data = _validated(TrackingCorrectionSerializer, request)
        order = order_tracking_correct(
            order_id=self.order_or_404(pk).pk,
            tracking_number=data["tracking_number"],
            courier=data.get("courier"),
            reason=data["reason"],
            actor=self.actor(),
            expected_version=if_match(request),
        )
        return self.detail_response(order)

    @extend_schema(
        request=DeliverSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Record the delivery (starts the return window)",
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk: int):
        data = _validated(DeliverSerializer, request)
        order = order_deliver(
            order_id=self.order_or_404(pk).pk,
            delivered_at=data["delivered_at"],
            actor=self.actor(),
            expected_version=if_match(request),
        )
        return self.detail_response(order)

    @extend_schema(
        responses=AbnormalOrderSerializer(many=True),
        summary="Abnormal orders (异常订单): what needs attention, oldest first, with the reasons",
    )
    @action(detail=False, methods=["get"], pagination_class=OldestFirstPagination)
    def abnormal(self, request):
        page = self.paginate_queryset(abnormal_orders().prefetch_related(open_flags_prefetch()))
        data = AbnormalOrderSerializer(page, many=True, context=self.serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(request=EmptySerializer, responses=OrderDetailSerializer, summary="Run the checks again")
    @action(detail=True, methods=["post"])
    def recheck(self, request, pk: int):
        order = order_recheck(order_id=self.order_or_404(pk).pk, actor=staff_actor(request))
        return self.detail_response(order)

    @extend_schema(
        request=PriceAdjustSerializer,
        responses={200: OrderDetailSerializer, **EDIT_ERRORS},
        parameters=[IF_MATCH],
        summary="Discount or mark up the order or one line, with a reason",
        description=(
            "`amount` is added to the price (negative: a discount); `percent` is the share of the price to pay "
            "(95 on an items total of 99.00 adds -4.95). With `line_id` the edit applies to that line instead. "
            "Agents may take off at most the shop's limit in all (default: 10% of the goods or 50.00, whichever "
            "is less, counted over every edit of the order); supervisors have no limit. A discount never takes "
            "off more than the goods cost. On a paid order a decrease becomes `refund_due` and an increase is "
            "refused (409). Each edit is listed in `price_edits` and `events` with the totals before and after."
        ),
        examples=[
            OpenApiExample("5.00 off", value={"amount": "-5.00", "reason": "老客户优惠"}, request_only=True),
            OpenApiExample("95折", value={"percent": "95", "reason": "活动价"}, request_only=True),
            OpenApiExample("A line", value={"line_id": 5, "amount": "-10.00", "reason": "瑕疵品"}, request_only=True),
        ],
    )
    @action(detail=True, methods=["post"], url_path="adjust-price")
    def adjust_price(self, request, pk: int):
        serializer = PriceAdjustSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = order_adjust_price(
            order_id=self.order_or_404(pk).pk,
            change=serializer.to_change(),
            reason=serializer.validated_data["reason"],
            actor=staff_actor(request),
            expected_version=if_match(request),
        )
        return self.detail_response(order)

    @extend_schema(
        request=ShippingAdjustSerializer,
        responses={200: OrderDetailSerializer, **EDIT_ERRORS},
        parameters=[IF_MATCH],
        summary="Override the shipping fee, with a reason",
        description=(
            "The order's `shipping_quote` shows the fee by the rules (base fee by province, free shipping above "
            "the threshold except to remote provinces, the requested courier's surcharge) beside the fee charged. "
            "A paid order's fee may only go down; the difference becomes `refund_due`."
        ),
    )
    @action(detail=True, methods=["post"], url_path="adjust-shipping")
    def adjust_shipping(self, request, pk: int):
        data = _validated(ShippingAdjustSerializer, request)
        order = order_adjust_shipping(
            order_id=self.order_or_404(pk).pk,
            fee=data["fee"],
            reason=data["reason"],
            actor=staff_actor(request),
            expected_version=if_match(request),
        )
        return self.detail_response(order)

    @extend_schema(
        request=MergeSerializer,
        responses={
            201: OrderDetailSerializer,
            400: error_response("Invalid input."),
            403: error_response("The caller's role may not merge orders."),
            409: error_response(
                "`merge_refused`: nothing changed; `data.refusals` lists each reason with its order: `too_few`, "
                "`duplicate`, `not_found`, `on_hold`, `shipped`, `cancelled`, `merged`, `status`, "
                "`other_customer`, `other_address`, `refunded`, `payment_differs`, `courier_differs`, "
                "`engraving_differs`, `card_message_differs`."
            ),
            412: error_response("One of `versions` is stale; `data.orders` has the current versions."),
        },
        summary="Merge unshipped orders of one customer to one address",
        description=(
            "Creates a new primary order (`MERGE-<first id>-<n>`) with the goods and adjustments of every order; "
            "shipping is charged once, by the rules for the merged goods, and never more than the orders' fees "
            "together. The payment (amount paid, refund due) moves to the primary. Each original stays "
            "readable by its id with status `merged` and `merged_into`. The primary enters the agents' queue "
            "with fresh checks. Orders with open blockers may be merged: the blockers come back on the primary."
        ),
    )
    @action(detail=False, methods=["post"])
    def merge(self, request):
        data = _validated(MergeSerializer, request)
        primary = orders_merge(
            order_ids=data["order_ids"],
            actor=staff_actor(request),
            reason=data["reason"],
            expected_versions=data.get("versions"),
        )
        return self.detail_response(primary, status.HTTP_201_CREATED)

    @extend_schema(
        request=UnmergeSerializer,
        responses={
            200: OrderDetailSerializer,
            403: error_response("The caller's role may not unmerge orders."),
            404: error_response("No such order."),
            409: error_response(
                "`merge_refused`: not the primary of an active merge (`not_merged`), already shipped (`shipped`), "
                "or merged again into another order (`merged`)."
            ),
            412: error_response("If-Match is stale."),
        },
        parameters=[IF_MATCH],
        summary="Undo a merge before shipping",
        description=(
            "Call it on the primary order. Every original gets back exactly the status and payment it had "
            "before the merge; the primary is cancelled with an `unmerged` event. Refused once the primary "
            "has shipped. Price edits made on the primary are not carried back (the event lists them)."
        ),
    )
    @action(detail=True, methods=["post"])
    def unmerge(self, request, pk: int):
        data = _validated(UnmergeSerializer, request)
        primary = order_unmerge(
            order_id=self.order_or_404(pk).pk,
            actor=staff_actor(request),
            reason=data["reason"],
            expected_version=if_match(request),
        )
        return self.detail_response(primary)


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
