"""The order life cycle: one function moves an order and records the change."""

from collections.abc import Iterable
from dataclasses import dataclass

from orders.events import Actor, events_record, transition_event
from orders.exceptions import InvalidTransition
from orders.models import ALLOWED_TRANSITIONS, Order, OrderEventType, OrderStatus


def transition_allowed(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())


def _leaves_merge_without_unmerge(current: str, event_type: OrderEventType) -> bool:
    """A merged order's goods travel with its primary: only an unmerge brings it back (confirming or
    releasing it would leave the goods in two orders at once)."""
    return current == OrderStatus.MERGED and event_type != OrderEventType.UNMERGED


def move_allowed(current: str, to: str, event_type: OrderEventType = OrderEventType.STATUS_CHANGED) -> bool:
    """Whether ``order_transition`` moves an order from ``current`` to ``to`` with ``event_type``."""
    return transition_allowed(current, to) and not _leaves_merge_without_unmerge(current, event_type)


@dataclass(frozen=True)
class Move:
    """What an action of the staff's screens does to the status: where it leads, the event it records,
    and where it starts when that is narrower than the life cycle (a release is the way out of hold)."""

    to: str
    event_type: OrderEventType
    only_from: frozenset[str] | None = None


# The actions that move an order, by the name the admin's buttons and forms use.
ACTION_MOVES: dict[str, Move] = {
    "confirm": Move(OrderStatus.CONFIRMED, OrderEventType.CONFIRMED),
    "hold": Move(OrderStatus.ON_HOLD, OrderEventType.HELD),
    "release": Move(OrderStatus.PENDING_CONFIRMATION, OrderEventType.RELEASED, frozenset({OrderStatus.ON_HOLD})),
    "cancel": Move(OrderStatus.CANCELLED, OrderEventType.CANCELLED),
    "ship": Move(OrderStatus.SHIPPED, OrderEventType.SHIPPED),
    "deliver": Move(OrderStatus.DELIVERED, OrderEventType.DELIVERED),
    "unmerge": Move(OrderStatus.CANCELLED, OrderEventType.UNMERGED),  # the primary's move
}


def actions_allowed(current: str) -> frozenset[str]:
    """The actions (``ACTION_MOVES``) the life cycle allows an order in status ``current``: what a page offers."""
    return frozenset(
        name
        for name, move in ACTION_MOVES.items()
        if (move.only_from is None or current in move.only_from) and move_allowed(current, move.to, move.event_type)
    )


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
    if not move_allowed(before, to, event_type):
        raise InvalidTransition(data={"from": before, "to": str(to)})
    order.status = to
    order.version += 1
    order.save(update_fields=["status", "version", "updated_at", *also_save])
    events_record(transition_event(order=order, type=event_type, actor=actor, before=before, after=str(to), **data))
