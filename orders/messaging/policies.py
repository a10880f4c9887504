"""Which return policy applies to each line of an order, and when its no-reason window closes.

A private helper of the messages for now: ``orders/returns.py`` (another branch) grows the same
rule and the two are to be unified. The rule: an engravable product in an order that carries
engraving text is customised, so it falls under ``custom-none`` (no no-reason return); every
other line follows its product's policy.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from orders.models import Order, OrderLine, ReturnPolicy

CUSTOM_POLICY_CODE = "custom-none"
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
    lines = list(order.lines.select_related("variant__product__return_policy").order_by("position", "id"))
    custom = None
    if order.engraving_text and any(_engravable(line) for line in lines):
        custom = ReturnPolicy.objects.filter(code=CUSTOM_POLICY_CODE).first()
    result = []
    for line in lines:
        if order.engraving_text and _engravable(line):
            result.append(LinePolicy(line=line, policy=custom, customised=True))
        else:
            product = line.variant.product if line.variant_id else None
            result.append(LinePolicy(line=line, policy=product.return_policy if product else None, customised=False))
    return result


def _engravable(line: OrderLine) -> bool:
    return bool(line.variant_id and line.variant.product.engravable)


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
