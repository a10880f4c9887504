"""One event row per change (the admin timeline and the API read them), written one way.

Each event type has its factory here, named after it (``<type>_event``), taking exactly the data
that event carries and returning the event unsaved; ``events_record`` writes what they build, one
event or several in one INSERT (intake writes its ``received`` event with the new order's other rows,
``orders.services.intake_rows``). Status changes are the exception: ``order_transition``
(``orders.services.lifecycle``) writes them through ``transition_event`` (before, after, and what
the transition adds). Nothing else builds an ``OrderEvent``, so each type's ``data`` has one shape.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from orders.models import Case, Message, Order, OrderEvent, OrderEventType, OrderStatus, PaymentRecord, PriceEdit


@dataclass(frozen=True)
class Actor:
    """Who does something: a staff user, or a named non-user (a storefront, the buyer, the system)."""

    user: AbstractBaseUser | None = None
    label: str = ""

    @classmethod
    def system(cls) -> "Actor":
        return cls(label="system")

    @classmethod
    def storefront(cls, storefront: Any) -> "Actor":
        return cls(label=f"storefront:{storefront.name}")

    @classmethod
    def buyer(cls) -> "Actor":
        return cls(label="buyer")

    @property
    def is_storefront(self) -> bool:
        return self.user is None and self.label.startswith("storefront:")

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    def __str__(self) -> str:
        return self.user.get_username() if self.user is not None else self.label


# The types ``order_transition`` writes: a status change, named for what moved the order.
TRANSITION_EVENT_TYPES = frozenset(
    {
        OrderEventType.STATUS_CHANGED,
        OrderEventType.CONFIRMED,
        OrderEventType.AUTO_CONFIRMED,
        OrderEventType.HELD,
        OrderEventType.RELEASED,
        OrderEventType.CANCELLED,
        OrderEventType.MERGED,
        OrderEventType.UNMERGED,
        OrderEventType.SHIPPED,
        OrderEventType.DELIVERED,
    }
)


def _event(order: Order | int, type_: OrderEventType, actor: Actor, data: Mapping[str, object]) -> OrderEvent:
    """The one builder: an unsaved event of ``order`` (or of the order with that id)."""
    target = {"order_id": order} if isinstance(order, int) else {"order": order}
    return OrderEvent(**target, type=type_, actor=actor.user, actor_label=actor.label, data=dict(data))


def events_record(*events: OrderEvent) -> list[OrderEvent]:
    """Write events built by the factories below, in one INSERT, and return them saved."""
    return OrderEvent.objects.bulk_create(events)


def transition_event(
    *, order: Order, type: OrderEventType, actor: Actor, before: str, after: str, **data: object
) -> OrderEvent:
    """A change of status (``before`` → ``after``) and what the transition adds (a reason, a link)."""
    if type not in TRANSITION_EVENT_TYPES:
        raise ValueError(f"{type} is not a status change: use its own factory")
    return _event(order, type, actor, {"before": before, "after": after, **data})


# Intake, checks and agents' edits.


def received_event(
    *,
    order: Order,
    actor: Actor,
    totals: dict[str, str],
    checks: list[str],
    flags: list[str],
    gifts: list[dict[str, object]] | None = None,
) -> OrderEvent:
    """The order as received, the status it entered the queue with, the checks it raised, its flags,
    and the free gifts the shop's rules added (only when there are some)."""
    data = {
        "external_id": order.external_id,
        "totals": totals,
        "before": OrderStatus.RECEIVED,
        "after": OrderStatus.PENDING_CONFIRMATION,
        "checks": checks,
        "flags": flags,
    }
    if gifts:
        data["gifts"] = gifts
    return _event(order, OrderEventType.RECEIVED, actor, data)


def checks_run_event(*, order: Order, actor: Actor, opened: list[str], resolved: list[str]) -> OrderEvent:
    return _event(order, OrderEventType.CHECKS_RUN, actor, {"opened": opened, "resolved": resolved})


def check_acknowledged_event(*, order: Order, actor: Actor, code: str, keys: list[str], note: str) -> OrderEvent:
    return _event(order, OrderEventType.CHECK_ACKNOWLEDGED, actor, {"code": code, "keys": keys, "note": note})


def address_changed_event(
    *, order: Order, actor: Actor, fields: list[str], before: dict[str, str], after: dict[str, str]
) -> OrderEvent:
    """The address fields that changed, with their values before and after."""
    return _event(order, OrderEventType.ADDRESS_CHANGED, actor, {"fields": fields, "before": before, "after": after})


def lines_changed_event(*, order: Order, actor: Actor, lines: list[dict[str, object]]) -> OrderEvent:
    """Per changed line: its position, and sku, size, colour and quantity before and after."""
    return _event(order, OrderEventType.LINES_CHANGED, actor, {"lines": lines})


def requests_changed_event(
    *,
    order: Order,
    actor: Actor,
    before: dict[str, object] | None = None,
    after: dict[str, object] | None = None,
    buyer_note: dict[str, str] | None = None,
    seller_memo: dict[str, str] | None = None,
    from_note: dict[str, object] | None = None,
) -> OrderEvent:
    """The special requests before and after, and the buyer's note and the seller's memo before and
    after: each when it changed. ``from_note``: the note's finding an agent made the request from."""
    data: dict[str, object] = {}
    if before is not None or after is not None:
        data.update(before=before, after=after)
    if buyer_note is not None:
        data.update(buyer_note=buyer_note)
    if seller_memo is not None:
        data.update(seller_memo=seller_memo)
    if from_note is not None:
        data.update(from_note=from_note)
    return _event(order, OrderEventType.REQUESTS_CHANGED, actor, data)


def _price_edit_data(edit: PriceEdit) -> dict[str, object]:
    return {
        "price_edit": edit.pk,
        "kind": str(edit.kind),
        "value": str(edit.value),
        "applied": str(edit.applied),
        "reason": edit.reason,
        "before": edit.totals_before,
        "after": edit.totals_after,
        "refund_due": {"before": str(edit.refund_due_before), "after": str(edit.refund_due_after)},
    }


def price_adjusted_event(*, edit: PriceEdit, actor: Actor) -> OrderEvent:
    """A stored price edit (on the order, or on a line: then the line too) as the order's history shows it."""
    data = _price_edit_data(edit)
    if edit.line is not None:
        data["line"] = {"id": edit.line.pk, "position": edit.line.position, "sku": edit.line.sku}
    return _event(edit.order, OrderEventType.PRICE_ADJUSTED, actor, data)


def shipping_adjusted_event(*, edit: PriceEdit, actor: Actor, rules_fee: Decimal) -> OrderEvent:
    """A stored shipping-fee edit, with the fee the shop's rules give beside the one charged."""
    data = {**_price_edit_data(edit), "rules_fee": str(rules_fee)}
    return _event(edit.order, OrderEventType.SHIPPING_ADJUSTED, actor, data)


def merged_event(
    *,
    order: Order,
    actor: Actor,
    orders: list[dict[str, object]],
    totals: dict[str, str],
    shipping: dict[str, str],
    reason: str,
    gifts: list[dict[str, object]] | None = None,
    gifts_added: list[dict[str, object]] | None = None,
) -> OrderEvent:
    """The primary of a merge: the originals with their totals, its totals and its shipping (the
    originals' own ``merged`` events are status changes); its free gifts, and those of them the
    merged goods earned beyond the originals' (only when there are some)."""
    data = {"orders": orders, "totals": totals, "shipping": shipping, "reason": reason}
    if gifts:
        data["gifts"] = gifts
    if gifts_added:
        data["gifts_added"] = gifts_added
    return _event(order, OrderEventType.MERGED, actor, data)


# Flags (``flags.services`` writes them; the flag's category is given by its code).


def flag_added_event(*, order: Order, actor: Actor, colour: str, category: str, note: str, source: str) -> OrderEvent:
    data = {"colour": colour, "category": category, "note": note, "source": source}
    return _event(order, OrderEventType.FLAG_ADDED, actor, data)


def flag_cleared_event(
    *, order: Order, actor: Actor, colour: str, category: str, cause: str, reason: str = "", note: str = ""
) -> OrderEvent:
    """A flag cleared: by somebody (its ``note`` kept), or by its automatic cause going (``reason``)."""
    data = {"colour": colour, "category": category, "cause": cause}
    if reason:
        data["reason"] = reason
    else:
        data["note"] = note
    return _event(order, OrderEventType.FLAG_CLEARED, actor, data)


# Shipping.


def courier_overridden_event(*, order: Order, actor: Actor, promised: str, courier: str, reason: str) -> OrderEvent:
    data = {"promised": promised, "courier": courier, "reason": reason}
    return _event(order, OrderEventType.COURIER_OVERRIDDEN, actor, data)


def tracking_corrected_event(
    *, order: Order, actor: Actor, before: dict[str, str], after: dict[str, str], reason: str
) -> OrderEvent:
    """The courier and tracking number before and after a correction."""
    data = {"before": before, "after": after, "reason": reason}
    return _event(order, OrderEventType.TRACKING_CORRECTED, actor, data)


def tracking_recorded_event(
    *, order: Order, actor: Actor, status: str, at: str, location: str, description: str
) -> OrderEvent:
    """News from the courier about the parcel (``orders.services.tracking``)."""
    data = {"status": status, "at": at, "location": location, "description": description}
    return _event(order, OrderEventType.TRACKING_RECORDED, actor, data)


# Messages to the buyer, and the buyer's answers. A message's event names its order by id: a
# claimed row does not carry its order, and the event needs no more.


def _message_data(message: Message) -> dict[str, object]:
    return {"message": message.pk, "kind": str(message.kind), "channel": message.channel}


def message_queued_event(*, message: Message, actor: Actor, retry: bool = False) -> OrderEvent:
    """A message in the outbox, due at its time (with the agent's reason for a resend); or, with
    ``retry``, a failed one an agent sends again."""
    data = _message_data(message)
    if retry:
        data["retry"] = True
    else:
        data["due_at"] = message.due_at.isoformat()
        if message.reason:
            data["reason"] = message.reason
    return _event(message.order_id, OrderEventType.MESSAGE_QUEUED, actor, data)


def message_sent_event(*, message: Message, actor: Actor) -> OrderEvent:
    data = {**_message_data(message), "attempts": message.attempts}
    return _event(message.order_id, OrderEventType.MESSAGE_SENT, actor, data)


def message_failed_event(*, message: Message, actor: Actor, error: str, queued: bool = False) -> OrderEvent:
    """A message that failed: when ``queued``, at once (no channel reaches the buyer: its due time
    and reason as when queued), else after its attempts."""
    data = _message_data(message)
    if queued:
        data["due_at"] = message.due_at.isoformat()
        if message.reason:
            data["reason"] = message.reason
    else:
        data["attempts"] = message.attempts
    data["error"] = error
    return _event(message.order_id, OrderEventType.MESSAGE_FAILED, actor, data)


def buyer_confirmed_event(*, order: Order, actor: Actor) -> OrderEvent:
    return _event(order, OrderEventType.BUYER_CONFIRMED, actor, {})


def buyer_change_requested_event(*, order: Order, actor: Actor, text: str) -> OrderEvent:
    """The buyer's request for a change, word for word."""
    return _event(order, OrderEventType.BUYER_CHANGE_REQUESTED, actor, {"text": text})


# Money received and returned (``orders.services.payments``).


def _payment_data(record: PaymentRecord) -> dict[str, object]:
    return {"payment": record.pk, "amount": str(record.amount), "reference": record.reference}


def payment_recorded_event(*, record: PaymentRecord, actor: Actor, changes: Mapping[str, object]) -> OrderEvent:
    """Money received: the record, when it was paid, and the order's money before → after (``changes``:
    amount paid, balance due, refund due, payment status, those that moved)."""
    data = {**_payment_data(record), "paid_at": record.at.isoformat(), **changes}
    return _event(record.order, OrderEventType.PAYMENT_RECORDED, actor, data)


def refund_recorded_event(*, record: PaymentRecord, actor: Actor, changes: Mapping[str, object]) -> OrderEvent:
    """Money returned: the record, why, and the order's money before → after."""
    data = {**_payment_data(record), "reason": record.reason, **changes}
    return _event(record.order, OrderEventType.REFUND_RECORDED, actor, data)


# After-sale cases: each write on a case is an event of its order.


def case_opened_event(*, case: Case, actor: Actor) -> OrderEvent:
    data = {"case": case.pk, "kind": str(case.kind), "priority": case.priority, "urgent": case.urgent}
    data["due_at"] = case.due_at.isoformat()
    return _event(case.order_id, OrderEventType.CASE_OPENED, actor, data)


def case_assigned_event(*, case: Case, actor: Actor, assignee: str) -> OrderEvent:
    return _event(case.order_id, OrderEventType.CASE_ASSIGNED, actor, {"case": case.pk, "assigned_to": assignee})


def case_noted_event(*, case: Case, actor: Actor, note: str) -> OrderEvent:
    return _event(case.order_id, OrderEventType.CASE_NOTED, actor, {"case": case.pk, "note": note})


def case_resolved_event(*, case: Case, actor: Actor, note: str) -> OrderEvent:
    data = {"case": case.pk, "kind": str(case.kind), "outcome": str(case.outcome), "note": note}
    return _event(case.order_id, OrderEventType.CASE_RESOLVED, actor, data)


def resent_event(*, case: Case, replacement: Order, actor: Actor) -> OrderEvent:
    """On the original order: its goods go out again as ``replacement`` (the parcel was lost or damaged)."""
    data = {"case": case.pk, "replacement": replacement.pk, "replacement_external_id": replacement.external_id}
    return _event(case.order_id, OrderEventType.RESENT, actor, data)


def replacement_created_event(*, case: Case, replacement: Order, original: Order, actor: Actor) -> OrderEvent:
    """On the replacement order: which order and case it replaces, and the goods it carries again."""
    data = {"case": case.pk, "original": original.pk, "original_external_id": original.external_id}
    return _event(replacement, OrderEventType.REPLACEMENT_CREATED, actor, data)


def return_accepted_event(*, case: Case, actor: Actor, lines: list[dict], refused: list[dict]) -> OrderEvent:
    """The buyer may send ``lines`` back, each with the policy that allows it; ``refused`` says why not the rest."""
    data = {"case": case.pk, "lines": lines, "refused": refused}
    return _event(case.order_id, OrderEventType.RETURN_ACCEPTED, actor, data)
