"""When each line's no-reason return window closes, and when the reminder goes out.

Which policy applies to a line is ``orders.returns.line_return_policy`` (engraved goods: none).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from orders.models import Order, OrderLine, ReturnPolicy
from orders.returns import ReturnPolicies, line_is_customised, line_return_policy

# Reminders go out at a civil hour of the shop's day, not at the minute the parcel was signed for.
REMINDER_LOCAL_HOUR = 10


@dataclass(frozen=True)
class LinePolicy:
    line: OrderLine
    policy: ReturnPolicy | None
    customised: bool

    @property
    def return_days(self) -> int:
        return self.policy.return_days if self.policy is not None else 0

    @property
    def warranty_months(self) -> int:
        return self.policy.warranty_months if self.policy is not None else 0


def order_lines_with_policies(order: Order) -> list[LinePolicy]:
    """Every line of ``order`` with the return policy that applies to it (None when the product has none)."""
    lines = list(order.lines.select_related("variant__product").order_by("position", "id"))
    policies = ReturnPolicies.load()
    return [
        LinePolicy(
            line=line, policy=line_return_policy(line, order, policies), customised=line_is_customised(line, order)
        )
        for line in lines
    ]


def window_closes_on(*, delivered_at: datetime, return_days: int) -> date:
    """The last day (shop's time zone) of a no-reason window that starts on the delivery day."""
    return timezone.localdate(delivered_at) + timedelta(days=return_days)


def reminder_due_at(*, delivered_at: datetime, policies: list[LinePolicy], days_before_close: int) -> datetime | None:
    """When the return-policy reminder goes out, or None when no line can be returned without reason.

    An order may mix policies (a T-shirt for 7 days, a sofa for 15, an engraved ring for none). One
    reminder per order, due ``days_before_close`` days before the *first* window closes, at
    ``REMINDER_LOCAL_HOUR`` in the shop's time zone: so no line's window closes unannounced, and the
    message states each line's own last day. Never before the delivery itself.
    """
    windows = [lp.return_days for lp in policies if lp.return_days > 0]
    if not windows:
        return None
    closes_on = window_closes_on(delivered_at=delivered_at, return_days=min(windows))
    reminder_day = closes_on - timedelta(days=days_before_close)
    due = timezone.make_aware(datetime.combine(reminder_day, time(REMINDER_LOCAL_HOUR)))
    return max(due, delivered_at)
