"""Reads that are more than a one-line query: scoped order lists and the detail prefetch."""

from datetime import timedelta

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from flags.models import Flag
from flags.rules import ABNORMAL
from flags.selectors import open_flag_of_category_exists, open_flags, open_flags_prefetch
from orders.json_rows import Join, JSONRows, prefetched, user_name_join
from orders.messaging.models import Message
from orders.models import (
    ABNORMAL_CANDIDATE_STATUSES,
    ACTIVE_STATUSES,
    AWAITING_CONFIRMATION_STATUSES,
    Case,
    CaseNote,
    CheckResult,
    CheckStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentStatus,
    PriceEdit,
    TrackingEvent,
    statuses_in_order,
)
from orders.shop_config import shop_config


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


DETAIL_RELATIONS = ("lines", "checks", "events", "price_edits", "merged_orders", "tracking_events")

_ORDER_ID = '"orders_order"."id"'
# Every relation the detail renders, read as JSON columns of the order's own row (``orders.json_rows``).
_DETAIL_ROWS = {
    "lines": JSONRows(OrderLine, fk="order", outer=_ORDER_ID, order_by=("position", "id")),
    "checks": JSONRows(CheckResult, fk="order", outer=_ORDER_ID, joins=(user_name_join("resolved_by"),)),
    "events": JSONRows(OrderEvent, fk="order", outer=_ORDER_ID, joins=(user_name_join("actor"),)),
    "price_edits": JSONRows(PriceEdit, fk="order", outer=_ORDER_ID, joins=(user_name_join("actor"),)),
    "merged_orders": JSONRows(Order, fk="merged_into", outer=_ORDER_ID, fields=("id",), order_by=("-id",)),
    "tracking_events": JSONRows(TrackingEvent, fk="order", outer=_ORDER_ID, order_by=("at", "id")),
    "open_flags": JSONRows(
        Flag,
        fk="order",
        outer=_ORDER_ID,
        where='r."cleared_at" IS NULL',
        joins=(Join("category"), user_name_join("author")),
    ),
}


def _attach(order: Order, relations: dict[str, list], flags: list) -> Order:
    prefetched(order, relations)
    order.open_flags = sorted(flags, key=lambda flag: (flag.category.position, flag.pk))
    return order


def order_detail_attach(order: Order, *, lines, checks, flags, events) -> Order:
    """Give a new order the relations ``order_detail_fetch`` would load, from the objects intake just
    wrote: its response needs no second round of queries."""
    relations = {
        "lines": lines,
        "checks": checks,
        "events": sorted(events, key=lambda event: event.pk),
        "price_edits": (),
        "merged_orders": (),
        "tracking_events": (),
    }
    return _attach(order, relations, flags)


def order_detail_forget(order: Order) -> None:
    order.__dict__.pop("_prefetched_objects_cache", None)
    order.__dict__.pop("open_flags", None)


def order_detail_loaded(order: Order) -> bool:
    cache = getattr(order, "_prefetched_objects_cache", {})
    return hasattr(order, "open_flags") and all(name in cache for name in DETAIL_RELATIONS)


def order_detail_fetch(queryset: QuerySet[Order], pk: int | str) -> Order | None:
    """The order of ``queryset`` with that pk and everything its detail renders, in ONE query (its
    relations as JSON columns), or None."""
    annotations = {f"detail_{name}": rows for name, rows in _DETAIL_ROWS.items()}
    order = queryset.select_related("customer", "storefront").annotate(**annotations).filter(pk=pk).first()
    if order is None:
        return None
    loaded = {
        name: rows.instances(order.__dict__.pop(f"detail_{name}"), order._state.db)
        for name, rows in _DETAIL_ROWS.items()
    }
    flags = loaded.pop("open_flags")
    return _attach(order, loaded, flags)


_CASE_NOTES = JSONRows(CaseNote, fk="case", outer='"orders_case"."id"', joins=(user_name_join("author"),))


def case_detail_fetch(queryset: QuerySet[Case], pk: int) -> Case | None:
    """The case of ``queryset`` with that pk, its assignee, its replacement order and its timeline (oldest
    first), in one query, or None."""
    case = (
        queryset.select_related("assigned_to", "replacement").annotate(detail_notes=_CASE_NOTES).filter(pk=pk).first()
    )
    if case is not None:
        prefetched(case, {"notes": _CASE_NOTES.instances(case.__dict__.pop("detail_notes"), case._state.db)})
    return case


def order_workbench_queryset(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """The agent's order page: the detail plus each line's product (its return policy and engravability),
    the price edits and, on a merged primary, its merge."""
    return queryset.select_related(
        "customer", "storefront", "confirmed_by", "merge_record__created_by", "merge_record__unmerged_by"
    ).prefetch_related(
        open_flags_prefetch(),
        Prefetch("messages", queryset=Message.objects.order_by("id")),
        Prefetch("lines", queryset=OrderLine.objects.select_related("variant__product").order_by("position", "id")),
        Prefetch("checks", queryset=CheckResult.objects.select_related("resolved_by").order_by("id")),
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor").order_by("id")),
        Prefetch("price_edits", queryset=PriceEdit.objects.select_related("actor", "line").order_by("id")),
    )


# "purple_flag" is the abnormal category's flag, whatever colour a supervisor gives it; the code stays
# as the API has always written it.
ABNORMAL_REASONS = (
    "unconfirmed_overdue",
    "on_hold",
    "open_blockers",
    "stock_shortfall",
    "purple_flag",
    "payment_missing",
    "unpaid_overdue",
    "logistics.stalled",
)
ABNORMAL_REASON_LABELS = {
    "unconfirmed_overdue": _("unconfirmed past the time limit"),
    "on_hold": _("on hold"),
    "open_blockers": _("open blockers"),
    "stock_shortfall": _("stock shortfall"),
    "purple_flag": _("abnormal (purple) flag"),
    "payment_missing": _("confirmed but unpaid"),
    "unpaid_overdue": _("unpaid past the time limit"),
    "logistics.stalled": _("parcel without tracking news"),
}


# The reasons whose condition is an EXISTS over another table.
_ABNORMAL_BY_SUBQUERY = frozenset({"stock_shortfall", "purple_flag"})


def abnormal_field(reason: str) -> str:
    """The annotation that says whether an order is listed for ``reason`` (``logistics.stalled`` →
    ``abnormal_logistics_stalled``)."""
    return "abnormal_" + reason.replace(".", "_")


def abnormal_orders(*, now=None) -> QuerySet[Order]:
    """异常订单: orders that need attention, oldest first, annotated with why.

    Active orders unconfirmed past the shop's time limit, on hold, with open blockers, a stock shortfall,
    confirmed but unpaid, or unpaid past the shop's limit after it was placed; active or shipped orders with
    an open flag of the abnormal category (purple unless re-coloured) — which the buyer's change requests and
    the courier's bad news raise —; shipped orders whose parcel had no tracking news past the shop's limit
    (``logistics.stalled``: ``Order.stalled_after``, kept by shipping and tracking news, so the query reads it
    straight, no beat task: always as of ``now``).

    Only ``ABNORMAL_CANDIDATE_STATUSES`` are read, in id order along their partial index
    (``order_abnormal_candidate``); the stalled ones alone are a range of ``order_shipped_stalled_after``.
    """
    now = now or timezone.now()
    settings = shop_config().settings
    cutoff = now - timedelta(hours=settings.unconfirmed_alert_hours)
    unpaid_cutoff = now - timedelta(hours=settings.unpaid_abnormal_hours)
    active = Q(status__in=statuses_in_order(ACTIVE_STATUSES))
    conditions = {
        "unconfirmed_overdue": Q(status__in=AWAITING_CONFIRMATION_STATUSES, created_at__lt=cutoff),
        "on_hold": Q(status=OrderStatus.ON_HOLD),
        # Never true of a shipped order (nothing ships with a blocker; its checks are settled): no status
        # guard, which would cost the planner its estimate and the walk along the index.
        "open_blockers": Q(open_blockers__gt=0),
        "stock_shortfall": Q(
            Exists(CheckResult.objects.filter(order_id=OuterRef("pk"), code="line.out_of_stock", status="open"))
        ),
        # A shipped order counts only the flags raised since it shipped (the courier's bad news, the
        # warehouse's): the ones left over from confirmation are not news about the parcel.
        "purple_flag": (active & Q(open_flag_of_category_exists(ABNORMAL)))
        | Q(
            Exists(
                open_flags().filter(
                    order_id=OuterRef("pk"), category__code=ABNORMAL, created_at__gte=OuterRef("shipped_at")
                )
            ),
            status=OrderStatus.SHIPPED,
        ),
        "payment_missing": Q(status=OrderStatus.CONFIRMED, payment_status=PaymentStatus.UNPAID),
        "unpaid_overdue": Q(payment_status=PaymentStatus.UNPAID)
        & (Q(placed_at__lt=unpaid_cutoff) | Q(placed_at__isnull=True, created_at__lt=unpaid_cutoff)),
        "logistics.stalled": Q(status=OrderStatus.SHIPPED, stalled_after__lt=now),
    }
    annotations = {
        abnormal_field(name): ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in conditions.items()
    }
    # PostgreSQL tries an OR's terms in the order written: the ones on the order's own columns first, so that
    # an order listed for one of them (a stalled parcel, a hold) is never put through the EXISTS subqueries.
    any_reason = Q()
    for name in sorted(conditions, key=lambda name: name in _ABNORMAL_BY_SUBQUERY):
        any_reason |= conditions[name]
    return (
        Order.objects.filter(status__in=statuses_in_order(ABNORMAL_CANDIDATE_STATUSES))
        .filter(any_reason)
        .annotate(**annotations)
        .select_related("customer", "storefront")
        .order_by("id")
    )


def abnormal_reasons(order: Order) -> list[str]:
    """The reasons an order from ``abnormal_orders`` is listed."""
    return [name for name in ABNORMAL_REASONS if getattr(order, abnormal_field(name), False)]
