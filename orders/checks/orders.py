"""Checks across the customer's orders: the same order twice."""

from collections.abc import Iterable
from datetime import timedelta

from orders.checks.base import WARNING, Finding, OrderSnapshot, check
from orders.models import CLOSED_STATUSES


@check("order.possible_duplicate")
def order_possible_duplicate(snapshot: OrderSnapshot) -> Iterable[Finding]:
    skus = frozenset(line.sku for line in snapshot.lines)
    window = timedelta(hours=snapshot.config.settings.duplicate_window_hours)
    earlier = [
        other
        for other in snapshot.other_orders
        if other.status not in CLOSED_STATUSES
        and other.skus == skus
        and timedelta(0) <= snapshot.history_at - other.at <= window
        and (snapshot.order_id is None or other.id < snapshot.order_id or other.at < snapshot.history_at)
    ]
    if earlier:
        yield Finding(
            "order.possible_duplicate",
            WARNING,
            {
                "orders": [o.id for o in earlier],
                "external_ids": [o.external_id for o in earlier],
                "hours": snapshot.config.settings.duplicate_window_hours,
            },
        )
