"""The order life cycle: one function moves an order and records the change."""

from collections.abc import Iterable

from orders.events import Actor, event_record
from orders.exceptions import InvalidTransition
from orders.models import ALLOWED_TRANSITIONS, Order, OrderEventType, OrderStatus


def transition_allowed(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())


def _leaves_merge_without_unmerge(current: str, event_type: OrderEventType) -> bool:
    """A merged order's goods travel with its primary: only an unmerge brings it back (confirming or
    releasing it would leave the goods in two orders at once)."""
    return current == OrderStatus.MERGED and event_type != OrderEventType.UNMERGED


def order_transition(
    *,
    order: Order,
    to: OrderStatus,
    actor: Actor,
    event_type: OrderEventType = OrderEventType.STATUS_CHANGED,
    also_save: Iterable[str] = (),
    **data: object,
) -> None:
    """Move ``order`` to ``to`` (refused unless the life cycle allows it), bump its version, save
    the status with ``also_save`` fields, and record one event with before and after."""
    before = order.status
    if not transition_allowed(before, to) or _leaves_merge_without_unmerge(before, event_type):
        raise InvalidTransition(data={"from": before, "to": str(to)})
    order.status = to
    order.version += 1
    order.save(update_fields=["status", "version", "updated_at", *also_save])
    event_record(order=order, type=event_type, actor=actor, before=before, after=str(to), **data)
