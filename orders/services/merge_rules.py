"""The rules of merging and unmerging orders (合并订单): every refusal, order by order, with a code
and a message (the API and the admin show them all; a refused request changes nothing).

A merge (documented in the API schema) needs:
- at least two distinct, existing orders; each pending confirmation or confirmed (not on hold,
  shipped, delivered, cancelled or already merged), of one customer, to one address (the same place
  by ``Address.comparison_key``);
- all paid or all unpaid (a mixed merge would leave part of the goods paid and part not), none refunded;
- the same requested courier (or none), and no two different engraving or card texts: promises to the
  buyer are never dropped or mixed up;
- open blockers do not stop a merge: the checks run again on the primary, which cannot be confirmed
  while they remain.

An unmerge needs an active merge whose primary has not shipped and is not itself merged.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from orders.exceptions import MergeRefused
from orders.models import SHIPPED_STATUSES, Order, OrderStatus, PaymentStatus
from orders.services.lifecycle import transition_allowed


@dataclass(frozen=True)
class Refusal:
    """Why one order (or the request as a whole, ``order`` None) cannot be merged or unmerged."""

    order: int | None
    code: str
    message: str


def merge_refused(refusals: list[Refusal]) -> MergeRefused:
    """The error that refuses a merge or an unmerge with every reason (one message per refusal)."""
    messages = [refusal.message for refusal in refusals]
    return MergeRefused(
        " ".join(messages), fields={"order_ids": messages}, data={"refusals": [asdict(r) for r in refusals]}
    )


def request_refusals(order_ids: Sequence[int]) -> list[Refusal]:
    """What is wrong with the request itself: fewer than two orders, an order listed twice."""
    refusals = []
    if len(set(order_ids)) < 2:
        refusals.append(Refusal(None, "too_few", _("Choose at least two different orders to merge.")))
    counts = Counter(order_ids)
    refusals.extend(
        Refusal(order_id, "duplicate", _("Order %s is listed more than once.") % order_id)
        for order_id in sorted(order_id for order_id, count in counts.items() if count > 1)
    )
    return refusals


def missing_refusals(order_ids: Sequence[int], orders: Mapping[int, Order]) -> list[Refusal]:
    """The ids of ``order_ids`` that ``orders`` (id → order, as loaded) does not hold."""
    return [
        Refusal(order_id, "not_found", _("Order %s does not exist.") % order_id)
        for order_id in dict.fromkeys(order_ids)
        if order_id not in orders
    ]


def _status_refusal(order: Order) -> Refusal | None:
    name = order.external_id
    if order.status == OrderStatus.ON_HOLD:
        return Refusal(order.pk, "on_hold", _("Order %s is on hold: release it first.") % name)
    if order.status in SHIPPED_STATUSES:
        return Refusal(order.pk, "shipped", _("Order %s has already shipped.") % name)
    if order.status == OrderStatus.CANCELLED:
        return Refusal(order.pk, "cancelled", _("Order %s is cancelled.") % name)
    if order.status == OrderStatus.MERGED:
        return Refusal(order.pk, "merged", _("Order %s is already merged into another order.") % name)
    if not transition_allowed(order.status, OrderStatus.MERGED):
        return Refusal(order.pk, "status", _("Order %s cannot be merged in its current status.") % name)
    return None


def _conflicting_texts(orders: list[Order], field: str) -> list[Order]:
    """The orders whose non-empty ``field`` differs from the first non-empty one."""
    texts = [getattr(order, field) for order in orders if getattr(order, field)]
    return [order for order in orders if getattr(order, field) and getattr(order, field) != texts[0]]


def order_refusals(orders: list[Order]) -> list[Refusal]:
    """Every reason why ``orders`` (existing, in id order) cannot be merged together."""
    first = orders[0]
    place = first.shipping_address.comparison_key()
    refusals = []
    for order in orders:
        name = order.external_id
        status = _status_refusal(order)
        if status is not None:
            refusals.append(status)
        if order.customer_id != first.customer_id:
            refusals.append(Refusal(order.pk, "other_customer", _("Order %s belongs to another customer.") % name))
        elif order.shipping_address.comparison_key() != place:
            refusals.append(Refusal(order.pk, "other_address", _("Order %s ships to another address.") % name))
        if order.payment_status == PaymentStatus.REFUNDED:
            refusals.append(Refusal(order.pk, "refunded", _("Order %s has been refunded.") % name))
        elif order.payment_status != first.payment_status:
            refusals.append(
                Refusal(
                    order.pk,
                    "payment_differs",
                    _("Order %s is paid and another is not: merge only orders paid alike.") % name,
                )
            )
        if order.requested_courier != first.requested_courier:
            refusals.append(Refusal(order.pk, "courier_differs", _("Order %s asks for another courier.") % name))
    for field, code, message in (
        ("engraving_text", "engraving_differs", _("Order %s asks for another engraving text.")),
        ("card_message", "card_message_differs", _("Order %s asks for another card message.")),
    ):
        refusals.extend(
            Refusal(order.pk, code, message % order.external_id) for order in _conflicting_texts(orders, field)
        )
    return refusals


def not_merged_refusal(order_id: int) -> Refusal:
    return Refusal(order_id, "not_merged", _("Order %s is not an active merge of other orders.") % order_id)


def unmerge_refusal(primary: Order) -> Refusal | None:
    """Why the primary of an active merge cannot be unmerged now, or None."""
    if primary.status == OrderStatus.MERGED:
        return Refusal(
            primary.pk,
            "merged",
            _("Order %s is itself merged into another order: unmerge that one first.") % primary.external_id,
        )
    if primary.status in SHIPPED_STATUSES:
        return Refusal(
            primary.pk,
            "shipped",
            _("Order %s has already shipped: it can no longer be unmerged.") % primary.external_id,
        )
    if not transition_allowed(primary.status, OrderStatus.CANCELLED):
        return Refusal(
            primary.pk, "status", _("Order %s cannot be unmerged in its current status.") % primary.external_id
        )
    if primary.payments.exists():
        # The originals get back what they had paid before the merge: money moved since would be lost.
        return Refusal(
            primary.pk,
            "payments_recorded",
            _("Money was paid or refunded on order %s after the merge: it can no longer be unmerged.")
            % primary.external_id,
        )
    return None
