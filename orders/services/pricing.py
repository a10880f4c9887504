"""Agents' money edits (改价, 改运费): price adjustments on the order or a line, and shipping overrides.

Each edit locks the order, is computed by ``orders.pricing``, is stored as its own ``PriceEdit`` row
and one event with the totals before and after, and re-runs the checks (a lower shipping fee may
leave a courier surcharge unpaid, a line edit may change the goods total).
"""

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from orders.events import Actor, events_record, price_adjusted_event, shipping_adjusted_event
from orders.exceptions import InvalidInput, OrderNotEditable
from orders.models import SHIPPED_STATUSES, Order, OrderLine, PriceEdit, PriceEditKind
from orders.money import quantize
from orders.pricing import (
    PriceChange,
    Totals,
    discount_allowance,
    discount_given,
    discount_limit_check,
    list_price_total,
    order_shipping_quote,
    order_totals,
    payment_reconcile,
    price_change_apply,
    totals_refresh,
)
from orders.services.locking import order_lock
from orders.services.payments import balance_due_notify
from orders.services.pipeline import order_changed
from orders.shop_config import shop_config
from orders.text import REASON

# The checks of the fee against the rules (orders.checks.shipping), settled by a deliberate shipping edit.
FEE_RULE_CODES = ("shipping.fee_below_rule", "shipping.fee_above_rule")

UNLIMITED_DISCOUNT = "orders.unlimited_discount"


def _editable_order(order_id: int, expected_version: int | None) -> tuple[Order, list[OrderLine]]:
    order = order_lock(order_id=order_id, expected_version=expected_version)
    if not order.is_editable:
        raise OrderNotEditable()
    return order, list(order.lines.select_related("variant__product").order_by("position", "id"))


def _may_discount_without_limit(actor: Actor) -> bool:
    return actor.user is not None and actor.user.has_perm(UNLIMITED_DISCOUNT)


def discount_allowance_for(*, actor: Actor, lines: Sequence[OrderLine]) -> Decimal | None:
    """The most ``actor`` may take off the order of ``lines`` in all (every edit counted), or None
    when the role has no limit (supervisors)."""
    if _may_discount_without_limit(actor):
        return None
    settings = shop_config().settings
    return discount_allowance(
        list_total=list_price_total(lines),
        max_percent=settings.agent_max_discount_percent,
        max_amount=settings.agent_max_discount_amount,
    )


def price_edit_apply(*, order: Order, lines: Sequence[OrderLine], change: PriceChange, actor: Actor) -> Decimal:
    """Apply ``change`` to the in-memory order and lines under every rule of a price edit: the
    actor's discount limit; on a paid order a decrease becomes a refund due, an increase a balance
    due. Saves nothing: the service saves what it did, the admin shows it as a preview. Returns the
    amount applied."""
    discount_before = discount_given(order, lines)
    applied = price_change_apply(order=order, lines=lines, change=change)
    allowance = discount_allowance_for(actor=actor, lines=lines)
    if allowance is not None:
        discount_limit_check(before=discount_before, after=discount_given(order, lines), allowance=allowance)
    payment_reconcile(order)
    return applied


def shipping_fee_apply(*, order: Order, lines: Sequence[OrderLine], fee: Decimal) -> None:
    """Charge ``fee`` (not negative, quantised) for shipping on the in-memory order; on a paid order
    the difference is a refund due or a balance due. Saves nothing (the service saves, the admin previews)."""
    if fee == order.shipping_fee:
        raise InvalidInput(_("The edit changes nothing."))
    order.shipping_fee = fee
    totals_refresh(order, lines)
    payment_reconcile(order)


def _price_edit_kind(change: PriceChange) -> PriceEditKind:
    if change.line_id is not None:
        return PriceEditKind.LINE_AMOUNT if change.amount is not None else PriceEditKind.LINE_PERCENT
    return PriceEditKind.ORDER_AMOUNT if change.amount is not None else PriceEditKind.ORDER_PERCENT


def _record(
    *,
    order: Order,
    kind: PriceEditKind,
    value: Decimal,
    applied: Decimal,
    reason: str,
    actor: Actor,
    before: Totals,
    refund_due_before: Decimal,
    line: OrderLine | None = None,
) -> PriceEdit:
    """Store the edit as its own row (before → after), bump the version, save. The caller records
    the edit's event."""
    order.version += 1
    order.save()
    after = order_totals(order)
    edit = PriceEdit.objects.create(
        order=order,
        line=line,
        kind=kind,
        value=value,
        applied=applied,
        reason=reason,
        totals_before=before.as_strings(),
        totals_after=after.as_strings(),
        refund_due_before=refund_due_before,
        refund_due_after=order.refund_due,
        actor=actor.user,
        actor_label=actor.label,
    )
    return edit


@transaction.atomic
def order_adjust_price(
    *, order_id: int, change: PriceChange, reason: str, actor: Actor, expected_version: int | None = None
) -> Order:
    """An agent's discount or markup, on the order or one line, with a reason.

    Refused, changing nothing: past the role's discount limit (counted over all edits of the order
    against the goods' original prices; supervisors have none), and when a line or the goods would go
    below zero. On a paid order a decrease becomes a refund due and an increase a balance due (the
    buyer is asked to pay it; the order does not ship until it is paid); an unpaid order's buyer pays
    the new total."""
    reason = REASON.required(reason)
    order, lines = _editable_order(order_id, expected_version)
    before, refund_due_before, balance_due_before = order_totals(order), order.refund_due, order.balance_due
    applied = price_edit_apply(order=order, lines=lines, change=change, actor=actor)

    line = next((line for line in lines if line.pk == change.line_id), None)
    if line is not None:
        OrderLine.objects.bulk_update([line], ["adjustment", "line_total"])
    kind = _price_edit_kind(change)
    value = quantize(change.amount if change.amount is not None else change.percent)
    edit = _record(
        order=order,
        kind=kind,
        value=value,
        applied=applied,
        reason=reason,
        actor=actor,
        before=before,
        refund_due_before=refund_due_before,
        line=line,
    )
    events_record(price_adjusted_event(edit=edit, actor=actor))
    balance_due_notify(order=order, balance_before=balance_due_before, reason=reason, actor=actor)
    order_changed(order=order, actor=actor, lines=lines)
    return order


@transaction.atomic
def order_adjust_shipping(
    *, order_id: int, fee: Decimal, reason: str, actor: Actor, expected_version: int | None = None
) -> Order:
    """Override the shipping fee with a reason; the event keeps the rules' fee beside the one charged.

    On a paid order a lower fee becomes a refund due, a higher one a balance due (补差价)."""
    reason = REASON.required(reason)
    fee = quantize(fee)
    if fee < 0:
        raise InvalidInput(fields={"fee": [_("The shipping fee cannot be negative.")]})
    order, lines = _editable_order(order_id, expected_version)
    before, refund_due_before, balance_due_before = order_totals(order), order.refund_due, order.balance_due
    shipping_fee_apply(order=order, lines=lines, fee=fee)
    quote = order_shipping_quote(order, config=shop_config())
    edit = _record(
        order=order,
        kind=PriceEditKind.SHIPPING_FEE,
        value=fee,
        applied=fee - before.shipping,
        reason=reason,
        actor=actor,
        before=before,
        refund_due_before=refund_due_before,
    )
    events_record(shipping_adjusted_event(edit=edit, actor=actor, rules_fee=quote.fee))
    balance_due_notify(order=order, balance_before=balance_due_before, reason=reason, actor=actor)
    # A fee the agent sets on purpose, against the rules, is the agent's decision: its reason is the
    # acknowledgement (the rules' fee is in the edit's event beside it).
    order_changed(order=order, actor=actor, lines=lines, decided=FEE_RULE_CODES, reason=reason)
    return order


@transaction.atomic
def order_after_sale_reduce(*, order_id: int, amount: Decimal, reason: str, actor: Actor) -> Order:
    """After shipping, an after-sale decision lowers what the goods cost by ``amount`` (compensation for a
    flaw, part of the goods returned), so that much becomes a refund due on a paid order. Price edits are
    closed once an order ships; this is the one way money comes back then, and only as a refund recorded
    on the order (``orders.services.payments.refund_record``). No discount limit: who may record refunds
    decides. Refused (``NegativeTotal``) past what the goods cost."""
    reason = REASON.required(reason)
    order = order_lock(order_id=order_id)
    if order.status not in SHIPPED_STATUSES:
        raise OrderNotEditable(_("Only a shipped or delivered order is reduced after sale."))
    lines = list(order.lines.select_related("variant__product").order_by("position", "id"))
    before, refund_due_before = order_totals(order), order.refund_due
    applied = price_change_apply(order=order, lines=lines, change=PriceChange(amount=-quantize(amount)))
    payment_reconcile(order)
    edit = _record(
        order=order,
        kind=PriceEditKind.ORDER_AMOUNT,
        value=-quantize(amount),
        applied=applied,
        reason=reason,
        actor=actor,
        before=before,
        refund_due_before=refund_due_before,
    )
    events_record(price_adjusted_event(edit=edit, actor=actor))
    return order
