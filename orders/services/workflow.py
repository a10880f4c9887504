"""The agent's confirm workflow: acknowledge warnings, confirm, hold, release, cancel, re-check.

Every function locks the order's row, checks the caller's expected version (optimistic
concurrency from REST's If-Match or the admin's form), changes it and records one event.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.events import Actor
from orders.exceptions import (
    CheckNotAcknowledgeable,
    ConfirmBlocked,
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


@transaction.atomic
def order_hold(*, order_id: int, reason: str, actor: Actor, expected_version: int | None = None) -> Order:
    reason = REASON.required(reason)
    order = order_lock(order_id=order_id, expected_version=expected_version)
    order.hold_reason = reason
    order_transition(
        order=order,
        to=OrderStatus.ON_HOLD,
        actor=actor,
        event_type=OrderEventType.HELD,
        also_save=["hold_reason"],
        reason=reason,
    )
    siblings_recheck_later(order)
    return order


@transaction.atomic
def order_release(*, order_id: int, actor: Actor, expected_version: int | None = None) -> Order:
    """Back from hold into the agents' queue, with fresh checks."""
    order = order_lock(order_id=order_id, expected_version=expected_version)
    previous_reason = order.hold_reason
    order.hold_reason = ""
    order_transition(
        order=order,
        to=OrderStatus.PENDING_CONFIRMATION,
        actor=actor,
        event_type=OrderEventType.RELEASED,
        also_save=["hold_reason"],
        reason=previous_reason,
    )
    order_changed(order=order, actor=actor)
    siblings_recheck_later(order)
    return order


@transaction.atomic
def order_cancel(*, order_id: int, reason: str, actor: Actor, expected_version: int | None = None) -> Order:
    reason = REASON.required(reason)
    order = order_lock(order_id=order_id, expected_version=expected_version)
    order_transition(
        order=order, to=OrderStatus.CANCELLED, actor=actor, event_type=OrderEventType.CANCELLED, reason=reason
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
