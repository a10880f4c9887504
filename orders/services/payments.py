"""Money received and returned (补差价, 退款): payments, refunds, the balance due after an edit, and
the rule that nothing with money owed ships.

``amount_paid`` is what the buyer paid net of refunds; the balance due (``Order.balance_due``) and the
refund due (``Order.refund_due``, kept by ``orders.pricing.payment_reconcile``) both follow from it and
the total. Each payment and refund is a ``PaymentRecord`` whose ``reference`` is unique per order: the
same reference and amount again is a replay (nothing changes, the record is returned), another amount
or kind is a conflict. The order's row lock serialises concurrent calls, and the unique constraint
backs it, so a replay racing its original is counted once.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.events import Actor, events_record, payment_recorded_event, refund_recorded_event
from orders.exceptions import InvalidInput, PaymentDue, PaymentReferenceConflict, PaymentRefused, RefundExceedsDue
from orders.messaging.payments import balance_due_message_queue, refund_issued_message_queue
from orders.models import CLOSED_STATUSES, Order, OrderStatus, PaymentKind, PaymentRecord, PaymentStatus
from orders.money import ZERO, quantize
from orders.pricing import MAX_ORDER_AMOUNT, payment_reconcile
from orders.services.locking import order_lock
from orders.services.pipeline import order_changed
from orders.text import PAYMENT_REFERENCE, REASON

# Where money may still come in: a merged order's money lives on its primary, a cancelled one takes none.
PAYABLE_STATUSES = frozenset(OrderStatus) - CLOSED_STATUSES


@dataclass(frozen=True)
class Recorded:
    """A payment or refund as recorded, and whether this call recorded it (False: a replay)."""

    record: PaymentRecord
    created: bool


def _amount(amount: Decimal) -> Decimal:
    amount = quantize(amount)
    if amount <= ZERO:
        raise InvalidInput(fields={"amount": [_("The amount must be more than 0.00.")]})
    if amount > MAX_ORDER_AMOUNT:
        raise InvalidInput(fields={"amount": [_("The amount is larger than the shop can record.")]})
    return amount


def _replay(order: Order, *, kind: PaymentKind, reference: str, amount: Decimal) -> PaymentRecord | None:
    """The record this call repeats, or None when the reference is new; 409 when it was used otherwise."""
    existing = PaymentRecord.objects.filter(order=order, reference=reference).first()
    if existing is None:
        return None
    if existing.kind != kind or existing.amount != amount:
        raise PaymentReferenceConflict(
            data={"reference": reference, "kind": existing.kind, "amount": str(existing.amount)},
        )
    return existing


def _money(order: Order) -> dict[str, str]:
    return {
        "amount_paid": str(order.amount_paid),
        "balance_due": str(order.balance_due),
        "refund_due": str(order.refund_due),
        "payment_status": order.payment_status,
    }


def _changes(before: dict[str, str], after: dict[str, str]) -> dict[str, dict[str, str]]:
    return {name: {"before": before[name], "after": after[name]} for name in before if before[name] != after[name]}


def _create(**fields: object) -> PaymentRecord:
    """Insert the record. The order's lock already serialises calls on one order; should an insert of
    the same reference slip past it, the unique constraint refuses it (409) rather than count it twice."""
    try:
        with transaction.atomic():
            return PaymentRecord.objects.create(**fields)
    except IntegrityError as error:
        raise PaymentReferenceConflict(data={"reference": fields["reference"]}) from error


def _save_and_recheck(order: Order, actor: Actor) -> None:
    order.version += 1
    order.save()
    if order.is_editable:
        # The blocker payment.balance_due resolves (or stays) with the new amount paid.
        order_changed(order=order, actor=actor)


@transaction.atomic
def payment_record(
    *, order_id: int, amount: Decimal, reference: str, actor: Actor, paid_at: datetime | None = None
) -> Recorded:
    """Money received from the buyer. Once nothing is due the order is ``paid``; paying more than is
    due leaves the difference as a refund due. Refused (409) on merged and cancelled orders."""
    amount = _amount(amount)
    reference = PAYMENT_REFERENCE.required(reference)
    order = order_lock(order_id=order_id)
    replayed = _replay(order, kind=PaymentKind.PAYMENT, reference=reference, amount=amount)
    if replayed is not None:
        return Recorded(replayed, False)
    if order.status not in PAYABLE_STATUSES:
        raise PaymentRefused(
            _("The order is %s: it takes no payment.") % order.get_status_display(),
            data={"status": order.status, "merged_into": order.merged_into_id},
        )
    before = _money(order)
    record = _create(
        order=order,
        kind=PaymentKind.PAYMENT,
        amount=amount,
        reference=reference,
        at=paid_at or timezone.now(),
        actor=actor.user,
        actor_label=actor.label,
    )
    order.amount_paid += amount
    payment_reconcile(order)
    if order.balance_due == ZERO:
        order.payment_status = PaymentStatus.PAID
    events_record(payment_recorded_event(record=record, actor=actor, changes=_changes(before, _money(order))))
    _save_and_recheck(order, actor)
    return Recorded(record, True)


@transaction.atomic
def refund_record(*, order_id: int, amount: Decimal, reference: str, reason: str, actor: Actor) -> Recorded:
    """Money returned to the buyer: at most the refund due (409 otherwise). The buyer is told
    (``refund_issued``). An order refunded down to nothing paid is ``refunded``."""
    amount = _amount(amount)
    reference = PAYMENT_REFERENCE.required(reference)
    reason = REASON.required(reason)
    order = order_lock(order_id=order_id)
    replayed = _replay(order, kind=PaymentKind.REFUND, reference=reference, amount=amount)
    if replayed is not None:
        return Recorded(replayed, False)
    if amount > order.refund_due:
        raise RefundExceedsDue(
            _("At most %(due)s can be refunded on this order.") % {"due": order.refund_due},
            data={"refund_due": str(order.refund_due), "amount": str(amount)},
        )
    before = _money(order)
    record = _create(
        order=order,
        kind=PaymentKind.REFUND,
        amount=amount,
        reference=reference,
        at=timezone.now(),
        reason=reason,
        actor=actor.user,
        actor_label=actor.label,
    )
    order.amount_paid -= amount
    payment_reconcile(order)
    if order.amount_paid == ZERO:
        order.payment_status = PaymentStatus.REFUNDED
    events_record(refund_recorded_event(record=record, actor=actor, changes=_changes(before, _money(order))))
    _save_and_recheck(order, actor)
    refund_issued_message_queue(order=order, record=record, actor=actor)
    return Recorded(record, True)


def balance_due_notify(*, order: Order, balance_before: Decimal, reason: str, actor: Actor) -> None:
    """After an edit of a paid order: when it left the buyer owing more than before, ask them to pay
    the difference (``balance_due`` message with the amount and the reason). The blocker
    ``payment.balance_due`` comes from the checks, which the edit re-runs."""
    if order.payment_status != PaymentStatus.PAID or order.balance_due <= balance_before:
        return
    balance_due_message_queue(order=order, amount=order.balance_due - balance_before, reason=reason, actor=actor)


def payment_ship_guard(order: Order) -> None:
    """Nothing ships unpaid or with a balance due (409 ``payment_due``)."""
    if order.payment_status != PaymentStatus.PAID or order.balance_due > ZERO:
        raise PaymentDue(
            data={
                "payment_status": order.payment_status,
                "balance_due": str(order.balance_due),
                "amount_paid": str(order.amount_paid),
                "total": str(order.total),
            }
        )
