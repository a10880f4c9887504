"""Checks of the money: a paid order that an edit left owing more (补差价)."""

from collections.abc import Iterable

from orders.checks.base import BLOCKER, Finding, OrderSnapshot, check


@check("payment.balance_due")
def payment_balance_due(snapshot: OrderSnapshot) -> Iterable[Finding]:
    """A paid order whose total went up after payment: the buyer owes the difference, and the order
    waits for it (resolved when a payment covers it). An unpaid order is not this: its buyer pays the
    whole total, and it does not ship unpaid either."""
    if snapshot.payment_status != "paid" or snapshot.total <= snapshot.amount_paid:
        return
    yield Finding(
        "payment.balance_due",
        BLOCKER,
        {
            "balance_due": str(snapshot.total - snapshot.amount_paid),
            "amount_paid": str(snapshot.amount_paid),
            "total": str(snapshot.total),
        },
    )
