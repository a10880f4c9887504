"""Reads that are more than a one-line query: scoped order lists and the detail prefetch."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from orders.models import AWAITING_CONFIRMATION_STATUSES, CheckResult, CheckStatus, Order, OrderEvent, OrderLine


def orders_visible_to(*, storefront=None) -> QuerySet[Order]:
    """Every order for staff; a storefront's own orders only for a storefront."""
    queryset = Order.objects.all()
    if storefront is not None:
        queryset = queryset.filter(storefront=storefront)
    return queryset


def orders_awaiting_confirmation(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """The agents' queue: orders waiting for a confirmation call, oldest first."""
    return queryset.filter(status__in=AWAITING_CONFIRMATION_STATUSES).order_by("created_at", "id")


def orders_with_open_check(
    queryset: QuerySet[Order], *, code: str | None = None, severity: str | None = None
) -> QuerySet[Order]:
    """Orders with at least one open check result of that code and/or severity (EXISTS: one row per order)."""
    open_checks = CheckResult.objects.filter(order_id=OuterRef("pk"), status=CheckStatus.OPEN)
    if code:
        open_checks = open_checks.filter(code=code)
    if severity:
        open_checks = open_checks.filter(severity=severity)
    return queryset.filter(Exists(open_checks))


def order_detail_queryset(queryset: QuerySet[Order]) -> QuerySet[Order]:
    return queryset.select_related("customer", "storefront").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("position", "id")),
        Prefetch("checks", queryset=CheckResult.objects.select_related("resolved_by").order_by("id")),
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor").order_by("id")),
    )


def order_workbench_queryset(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """The agent's order page: the detail plus each line's product (its return policy and engravability)."""
    return queryset.select_related("customer", "storefront", "confirmed_by").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("variant__product").order_by("position", "id")),
        Prefetch("checks", queryset=CheckResult.objects.select_related("resolved_by").order_by("id")),
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor").order_by("id")),
    )


def order_list_queryset(queryset: QuerySet[Order]) -> QuerySet[Order]:
    return queryset.select_related("customer")
