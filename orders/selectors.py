"""Reads that are more than a one-line query: scoped order lists and the detail prefetch."""

from django.db.models import Prefetch, QuerySet

from orders.models import CheckResult, Order, OrderEvent, OrderLine, PriceEdit


def orders_visible_to(*, storefront=None) -> QuerySet[Order]:
    """Every order for staff; a storefront's own orders only for a storefront."""
    queryset = Order.objects.all()
    if storefront is not None:
        queryset = queryset.filter(storefront=storefront)
    return queryset


def order_detail_queryset(queryset: QuerySet[Order]) -> QuerySet[Order]:
    return queryset.select_related("customer", "storefront").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("position", "id")),
        Prefetch("checks", queryset=CheckResult.objects.select_related("resolved_by").order_by("id")),
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor").order_by("id")),
        Prefetch("price_edits", queryset=PriceEdit.objects.select_related("actor").order_by("id")),
        "merged_orders",
    )


def order_list_queryset(queryset: QuerySet[Order]) -> QuerySet[Order]:
    return queryset.select_related("customer")
