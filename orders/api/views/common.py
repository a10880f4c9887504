"""What every order endpoint shares: If-Match, the actor, scoping, pagination, filters, the detail response."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from flags.models import FlagColour
from flags.selectors import orders_with_flag
from orders.api.filtering import QuickFilterSet
from orders.api.output import (
    ErrorOutputSerializer,
    OrderDetailSerializer,
)
from orders.api.permissions import storefront_of
from orders.api.reuse import render
from orders.api.schema import CUSTOMER_FILTER_MAX_LENGTH, IF_MATCH_SCHEMA
from orders.api.schema import IF_MATCH as IF_MATCH_HEADER
from orders.events import Actor
from orders.exceptions import DomainError, InvalidInput, NotFound
from orders.models import Order, OrderStatus
from orders.selectors import (
    order_detail_fetch,
    order_detail_loaded,
    orders_visible_to,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    IF_MATCH_SCHEMA,
    OpenApiParameter.HEADER,
    required=False,
    description="The order's version as its ETag gave it; a stale one gets 412.",
)


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorOutputSerializer, description=description)


EDIT_ERRORS = {
    400: error_response("Invalid input, past the role's discount limit, or a total that would go negative."),
    403: error_response("The caller's role may not do this (warehouse staff and storefronts never may)."),
    409: error_response("Not in an editable status."),
    412: error_response("If-Match is stale: somebody else changed the order; reload it."),
}


class DenyAll(BasePermission):
    def has_permission(self, request, view) -> bool:
        return False


def if_match(request) -> int | None:
    """The version the client saw (ETag "7" or W/"7"); None when it sent no If-Match or '*'."""
    match = IF_MATCH_HEADER.fullmatch(request.headers.get("If-Match", "").strip())
    if match is None:
        raise InvalidInput(fields={"If-Match": [_('Send the order\'s ETag, e.g. "3".')]})
    return int(match.group(3)) if match.group(3) else None


def staff_actor(request) -> Actor:
    return Actor(user=request.user)


def validated(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class OrderCursorPagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        """A cursor this API did not give out is the client's mistake: 400, not DRF's 404 (or a 500 when
        its position is not an id)."""
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            cursor = False
        if cursor is None or (cursor and (cursor.position is None or _is_id(cursor.position))):
            return cursor
        raise exceptions.ValidationError(
            {self.cursor_query_param: [_("Not a cursor of this list; start from its first page.")]}
        )

    def get_page_size(self, request) -> int:
        return page_size_asked(request, self)


def page_size_asked(request, pagination: BasePagination) -> int:
    """``?page_size=`` is a positive integer (more than the maximum is the maximum), not a hint ignored when
    it is not one."""
    raw = request.query_params.get(pagination.page_size_query_param)
    if raw is None:
        return pagination.page_size
    if not (raw.isascii() and raw.isdigit() and int(raw) > 0):
        raise exceptions.ValidationError({pagination.page_size_query_param: [_("A whole number from 1.")]})
    return min(int(raw), pagination.max_page_size)


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit()


class OldestFirstPagination(OrderCursorPagination):
    ordering = "id"


class OrderFilterForm(forms.Form):
    """``?updated_after=`` sent empty is a client's mistake, not "no filter": 400, not every order."""

    def clean(self):
        cleaned = super().clean()
        if "updated_after" in self.data and not str(self.data["updated_after"]).strip():
            self.add_error("updated_after", _("Give a date and time, or leave the parameter out."))
        return cleaned


class OrderFilter(QuickFilterSet):
    status = filters.ChoiceFilter(choices=OrderStatus.choices)
    has_blockers = filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        method="filter_has_blockers",
    )
    customer = filters.CharFilter(field_name="customer__external_id", max_length=CUSTOMER_FILTER_MAX_LENGTH)
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")
    flag = filters.ChoiceFilter(choices=FlagColour.choices, method="filter_flag")

    class Meta:
        model = Order
        fields = ["status", "has_blockers", "customer", "updated_after", "flag"]
        form = OrderFilterForm

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

    def change(self, service: Callable[..., Order], pk: int, *, versioned: bool = True, **fields: Any) -> Response:
        """Run a service that changes one order and answer with the order: the order must be in the
        caller's scope (404 otherwise, ``on_order``), the caller is the actor and, when ``versioned``,
        ``If-Match`` the expected version. The answer renders the order from one load after the service,
        never before it as well."""
        if versioned:
            try:
                fields["expected_version"] = if_match(self.request)
            except InvalidInput:
                self.order_in_scope(pk)  # a missing order is a 404 before a malformed If-Match is a 400
                raise
        return self.detail_response(self.on_order(pk, service, actor=self.actor(), **fields))

    def scoped_orders(self) -> QuerySet[Order]:
        return orders_visible_to(storefront=storefront_of(self.request))

    def serializer_context(self) -> dict:
        request = self.request
        mask = not (storefront_of(request) is not None or request.user.has_perm("orders.view_full_phone"))
        return {"request": request, "mask_pii": mask}

    def order_in_scope(self, pk: int | str) -> int:
        """The id of an order the caller may see, or 404: what an action checks before its service runs
        (one ``EXISTS`` query, nothing loaded)."""
        if not self.scoped_orders().filter(pk=pk).exists():
            raise NotFound()
        return int(pk)

    def on_order(self, pk: int | str, service: Callable[..., Any], **kwargs: Any) -> Any:
        """``service(order_id=pk, **kwargs)`` on an order in the caller's scope, or 404.

        A storefront's order must be its own: one ``EXISTS`` first (``order_in_scope``). Staff may act on
        every order and the service locks or looks the order up anyway, so no query before it; when it
        refuses, a missing order still answers 404 before any other refusal, as the ``EXISTS`` first did."""
        if storefront_of(self.request) is not None:
            return service(order_id=self.order_in_scope(pk), **kwargs)
        try:
            return service(order_id=int(pk), **kwargs)
        except DomainError:
            self.order_in_scope(pk)
            raise

    def order_or_404(self, pk: int | str) -> Order:
        """The order with everything its detail renders, in one query, or 404."""
        order = order_detail_fetch(self.scoped_orders(), pk)
        if order is None:
            raise NotFound()
        return order

    def detail_response(self, order: Order, status_code: int = status.HTTP_200_OK) -> Response:
        """The order's detail with its ETag; an order a service returned is loaded (once) for it."""
        if not order_detail_loaded(order):
            order = self.order_or_404(order.pk)
        body = render(OrderDetailSerializer, order, context=self.serializer_context())
        return Response(body, status=status_code, headers={"ETag": f'"{order.version}"'})
