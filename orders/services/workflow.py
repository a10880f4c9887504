"""The agent's confirm workflow: acknowledge warnings, confirm, hold, release, cancel, re-check.

Every function locks the order's row, checks the caller's expected version (optimistic
concurrency from REST's If-Match or the admin's form), changes it and records one event.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.events import Actor
from orders.exceptions import (
    CheckNotAcknowledgeable,
    ConfirmBlocked,
    InvalidInput,
    InvalidTransition,
    NotFound,
    OrderNotEditable,
)
from orders.messaging.queue import confirmation_message_queue
from orders.models import EDITABLE_STATUSES, CheckStatus, Order, OrderEventType, OrderStatus, Severity
from orders.services.checks import checks_acknowledge
from orders.services.lifecycle import order_transition
from orders.services.locking import order_lock
from orders.services.pipeline import order_changed, siblings_recheck_later
from orders.text import ACKNOWLEDGE_NOTE, REASON

HOLD_LONGEST = timedelta(days=366)


def _problems(order: Order) -> dict:
    rows = order.checks.filter(status=CheckStatus.OPEN, severity__in=[Severity.BLOCKER, Severity.WARNING])
    blockers = [{"code": r.code, "key": r.key} for r in rows if r.severity == Severity.BLOCKER]
    warnings = [{"code": r.code, "key": r.key} for r in rows if r.severity == Severity.WARNING]
    return {"blockers": blockers, "warnings": warnings}


@transaction.atomic
def order_confirm(*, order_id: int, actor: Actor, expected_version: int | None = None) -> Order:
    """Confirm with the buyer's agreement: refused while a blocker is open or a warning is unread."""
    order = order_lock(order_id=order_id, expected_version=expected_version)
    problems = _problems(order)
    if problems["blockers"]:
        raise ConfirmBlocked(data=problems)
    if problems["warnings"]:
        raise ConfirmBlocked(
            _("Every warning must be read back to the buyer and acknowledged before confirming."),
            data=problems,
        )
    order.confirmed_at = timezone.now()
    order.confirmed_by = actor.user
    order_transition(
        order=order,
        to=OrderStatus.CONFIRMED,
        actor=actor,
        event_type=OrderEventType.CONFIRMED,
        also_save=["confirmed_at", "confirmed_by"],
    )
    confirmation_message_queue(order=order, actor=actor)
    return order


@transaction.atomic
def order_check_acknowledge(
    *,
    order_id: int,
    code: str,
    note: str,
    actor: Actor,
    key: str | None = None,
    expected_version: int | None = None,
) -> Order:
    """A named agent read the warning back to the buyer: it stops holding up the confirmation."""
    note = ACKNOWLEDGE_NOTE.required(note)
    order = order_lock(order_id=order_id, expected_version=expected_version)
    rows = list(order.checks.filter(code=code).exclude(status=CheckStatus.RESOLVED))
    if key is not None:
        rows = [row for row in rows if row.key == key]
    if not rows:
        raise NotFound(_("The order has no open check %s.") % code)
    if any(row.severity == Severity.BLOCKER for row in rows):
        raise CheckNotAcknowledgeable(
            _("%s is a blocker: fix its cause (the address, the lines or the request) instead.") % code
        )
    if not any(row.status == CheckStatus.OPEN for row in rows):
        raise CheckNotAcknowledgeable(_("%s is already acknowledged.") % code)
    checks_acknowledge(order=order, code=code, rows=rows, actor=actor, note=note)
    return order


def hold_end(value: date | datetime) -> datetime:
    """When a hold ``until`` ends: a date means the start of that day in the shop's time zone."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.combine(value, time.min))


def _hold_until(value: date | datetime | None) -> datetime | None:
    if value is None:
        return None
    try:
        until = hold_end(value)
        until.astimezone(UTC)  # a date-time at the calendar's edge cannot be compared: refused below
    except (OverflowError, ValueError):
        raise InvalidInput(fields={"until": [_("A hold lasts at most a year.")]}) from None
    now = timezone.now()
    if until <= now:
        raise InvalidInput(fields={"until": [_("The hold must end in the future.")]})
    if until > now + HOLD_LONGEST:
        raise InvalidInput(fields={"until": [_("A hold lasts at most a year.")]})
    return until


@transaction.atomic
def order_hold(
    *,
    order_id: int,
    reason: str,
    actor: Actor,
    until: date | datetime | None = None,
    expected_version: int | None = None,
) -> Order:
    """Park the order with a reason; with ``until`` (a date: that day's start) beat brings it back then."""
    reason = REASON.required(reason)
    hold_until = _hold_until(until)
    order = order_lock(order_id=order_id, expected_version=expected_version)
    order.hold_reason, order.hold_until = reason, hold_until
    data = {"until": hold_until.isoformat()} if hold_until else {}
    order_transition(
        order=order,
        to=OrderStatus.ON_HOLD,
        actor=actor,
        event_type=OrderEventType.HELD,
        also_save=["hold_reason", "hold_until"],
        reason=reason,
        **data,
    )
    siblings_recheck_later(order)
    return order


def _release(order: Order, actor: Actor, **data: object) -> None:
    """A held order back into the agents' queue with fresh checks (its row is locked)."""
    if order.status != OrderStatus.ON_HOLD:
        raise InvalidTransition(
            _("Only an order on hold can be released."), data={"from": order.status, "to": "pending_confirmation"}
        )
    previous_reason = order.hold_reason
    order.hold_reason, order.hold_until = "", None
    order_transition(
        order=order,
        to=OrderStatus.PENDING_CONFIRMATION,
        actor=actor,
        event_type=OrderEventType.RELEASED,
        also_save=["hold_reason", "hold_until"],
        reason=previous_reason,
        **data,
    )
    order_changed(order=order, actor=actor)
    siblings_recheck_later(order)


@transaction.atomic
def order_release(*, order_id: int, actor: Actor, expected_version: int | None = None) -> Order:
    """Back from hold into the agents' queue, with fresh checks."""
    order = order_lock(order_id=order_id, expected_version=expected_version)
    _release(order, actor)
    return order


def holds_release_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Periodic (beat): release the orders whose hold has passed its ``until``; each in its own
    transaction, re-read under its lock (an agent may have released or re-held it meanwhile).
    Returns how many came back; a backlog past ``limit`` is taken by the next runs."""
    now = now or timezone.now()
    due = list(
        Order.objects.filter(status=OrderStatus.ON_HOLD, hold_until__lte=now)
        .order_by("hold_until", "id")
        .values_list("id", flat=True)[:limit]
    )
    released = 0
    for order_id in due:
        with transaction.atomic():
            try:
                order = order_lock(order_id=order_id)
            except NotFound:
                continue
            if order.status != OrderStatus.ON_HOLD or order.hold_until is None or order.hold_until > now:
                continue
            _release(order, Actor.system(), until=order.hold_until.isoformat())
            released += 1
    return released


@transaction.atomic
def order_cancel(*, order_id: int, reason: str, actor: Actor, expected_version: int | None = None) -> Order:
    """Cancel with a reason. Whatever the buyer paid becomes a refund due (recorded with a refund)."""
    reason = REASON.required(reason)
    order = order_lock(order_id=order_id, expected_version=expected_version)
    refund = {"refund_due": str(order.amount_paid)} if order.amount_paid else {}
    order.refund_due = order.amount_paid
    order_transition(
        order=order,
        to=OrderStatus.CANCELLED,
        actor=actor,
        event_type=OrderEventType.CANCELLED,
        also_save=["refund_due"],
        reason=reason,
        **refund,
    )
    siblings_recheck_later(order)
    return order


@transaction.atomic
def order_recheck(*, order_id: int, actor: Actor, expected_version: int | None = None) -> Order:
    """Run the checks again, e.g. after the catalogue's stock or the shop's settings changed."""
    order = order_lock(order_id=order_id, expected_version=expected_version)
    if order.status not in EDITABLE_STATUSES:
        raise OrderNotEditable()
    order_changed(order=order, actor=actor)
    return order
