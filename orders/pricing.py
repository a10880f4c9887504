"""The money rules, in one place: line totals, order totals, the shipping fee by the rules, agents'
price edits and their discount limit, what a paid order owes or is owed after a change, and merged totals.

Pure functions on in-memory orders and lines: the services lock, call these, and save.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from orders.exceptions import AmountTooLarge, DiscountLimitExceeded, InvalidInput, NegativeTotal
from orders.money import ZERO, quantize
from orders.shop_config import ShopConfig


@dataclass(frozen=True)
class Totals:
    items: Decimal
    adjustment: Decimal
    shipping: Decimal
    total: Decimal

    def as_strings(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in ("items", "adjustment", "shipping", "total")}


def line_total(*, unit_price: Decimal, quantity: int, adjustment: Decimal = ZERO) -> Decimal:
    """A line's total; refused (``NegativeTotal``) when its adjustment takes off more than the line costs."""
    total = quantize(unit_price * quantity + adjustment)
    if total < ZERO:
        raise NegativeTotal(_("A line's total would become negative."), data={"line_total": str(total)})
    return total


def totals_compute(*, line_totals: Iterable[Decimal], adjustment: Decimal, shipping: Decimal) -> Totals:
    """Each part is quantised first and the total is their sum, so the parts always add up.

    The order-level adjustment may not take off more than the goods cost (so that neither a shipping
    override nor a merge can push a total below zero): ``NegativeTotal`` otherwise."""
    items = quantize(sum(line_totals, ZERO))
    adjustment = quantize(adjustment)
    shipping = quantize(shipping)
    if items + adjustment < ZERO:
        raise NegativeTotal(data={"items": str(items), "adjustment": str(adjustment)})
    return Totals(items=items, adjustment=adjustment, shipping=shipping, total=items + adjustment + shipping)


def order_totals(order) -> Totals:
    """The stored totals of an order, as a value."""
    return Totals(items=order.items_total, adjustment=order.adjustment, shipping=order.shipping_fee, total=order.total)


# What an order's and a line's money columns hold (12 digits, 2 places): 9,999 of a 99,999,999.99 item
# do not fit, and are refused (400) rather than failing in the database.
MAX_ORDER_AMOUNT = Decimal("9999999999.99")


def totals_refresh(order, lines) -> Totals:
    """Recompute every line total and the order's totals in place (the caller saves)."""
    for line in lines:
        line.line_total = line_total(unit_price=line.unit_price, quantity=line.quantity, adjustment=line.adjustment)
    totals = totals_compute(
        line_totals=(line.line_total for line in lines), adjustment=order.adjustment, shipping=order.shipping_fee
    )
    amounts = [totals.items, totals.adjustment, totals.total, *(line.line_total for line in lines)]
    if max(abs(amount) for amount in amounts) > MAX_ORDER_AMOUNT:
        raise AmountTooLarge()
    order.items_total, order.adjustment, order.shipping_fee, order.total = (
        totals.items,
        totals.adjustment,
        totals.shipping,
        totals.total,
    )
    return totals


@dataclass(frozen=True)
class ShippingQuote:
    base_fee: Decimal
    free_shipping: bool
    surcharge: Decimal
    fee: Decimal


def shipping_quote(*, config: ShopConfig, province: str, items_total: Decimal, courier: str = "") -> ShippingQuote:
    """The fee the rules ask for: base fee by province, free above the threshold except to remote
    provinces, plus the surcharge of a courier the buyer asked for (never waived)."""
    facts = config.province(province)
    threshold = config.settings.free_shipping_threshold
    free = bool(threshold) and items_total >= threshold and not facts.remote
    base = ZERO if free else quantize(facts.base_fee)
    courier_facts = config.couriers.get(courier) if courier else None
    surcharge = quantize(courier_facts.surcharge_for(province)) if courier_facts else ZERO
    return ShippingQuote(
        base_fee=quantize(facts.base_fee), free_shipping=free, surcharge=surcharge, fee=base + surcharge
    )


def order_shipping_quote(order, *, config: ShopConfig) -> ShippingQuote:
    """What the rules ask for this order's destination, goods and requested courier."""
    return shipping_quote(
        config=config, province=order.ship_province, items_total=order.items_total, courier=order.requested_courier
    )


def payment_reconcile(order) -> None:
    """After a change of an order's total: what the buyer paid beyond the total is a refund due; what
    the total asks beyond what they paid is the balance due (``Order.balance_due``, 补差价), which
    the buyer pays before the order ships. An order nobody paid for owes its new total."""
    order.refund_due = max(order.amount_paid - order.total, ZERO)


# --- agents' price edits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceChange:
    """An agent's price edit: an amount to add (negative: a discount) or a percentage of the price to
    pay (95 = 95%, 95折), on the whole order or on one line."""

    amount: Decimal | None = None
    percent: Decimal | None = None
    line_id: int | None = None

    def __post_init__(self) -> None:
        if (self.amount is None) == (self.percent is None):
            raise InvalidInput(_("Give either an amount or a percentage."))


def percent_adjustment(base: Decimal, percent: Decimal) -> Decimal:
    """What paying ``percent`` % of ``base`` adds to it: 95 on 99.00 is -4.95, 110 on 99.00 is 9.90."""
    return quantize(base * (percent - 100) / 100)


def price_change_apply(*, order, lines: Sequence, change: PriceChange) -> Decimal:
    """Apply ``change`` to the in-memory order and lines and recompute the totals. Returns the amount
    applied (what was added to an adjustment); ``NegativeTotal`` when a line or the goods would go
    below zero, ``InvalidInput`` when the edit changes nothing or names a line of another order."""
    if change.line_id is not None:
        line = next((line for line in lines if line.pk == change.line_id), None)
        if line is None:
            raise InvalidInput(fields={"line_id": [_("Line %s is not part of this order.") % change.line_id]})
        if line.is_gift:
            # Gifts never count toward the goods or a discount: their price stays 0.00.
            raise InvalidInput(fields={"line_id": [_("Line %s is a free gift: its price stays 0.00.") % line.position]})
        current = line_total(unit_price=line.unit_price, quantity=line.quantity, adjustment=line.adjustment)
        applied = quantize(change.amount) if change.amount is not None else percent_adjustment(current, change.percent)
        line.adjustment = quantize(line.adjustment + applied)
    else:
        base = order.items_total
        applied = quantize(change.amount) if change.amount is not None else percent_adjustment(base, change.percent)
        order.adjustment = quantize(order.adjustment + applied)
    if applied == ZERO:
        raise InvalidInput(_("The edit changes nothing."))
    totals_refresh(order, lines)
    return applied


def list_price_total(lines: Iterable) -> Decimal:
    """The goods at the prices they were ordered at, before any agent's edit: the discount limit's base."""
    return quantize(sum((quantize(line.unit_price * line.quantity) for line in lines), ZERO))


def discount_given(order, lines: Sequence) -> Decimal:
    """How much all price edits together take off the goods (line and order adjustments, net of markups)."""
    return max(ZERO, list_price_total(lines) - order.items_total - order.adjustment)


def discount_allowance(*, list_total: Decimal, max_percent: Decimal, max_amount: Decimal) -> Decimal:
    """The most an agent may take off an order in all: ``max_percent`` of its goods or ``max_amount``,
    whichever is less (10% or 50 CNY by default)."""
    return min(quantize(list_total * max_percent / 100), quantize(max_amount))


def discount_limit_check(*, before: Decimal, after: Decimal, allowance: Decimal) -> None:
    """Refuse an edit that adds to the discount past the allowance. An edit that gives back part of
    a discount (a supervisor's larger one, say) is always allowed."""
    if after > before and after > allowance:
        raise DiscountLimitExceeded(
            _("Your role may take at most %(allowance)s off this order in all; with this edit it would be %(after)s.")
            % {"allowance": allowance, "after": after},
            data={"allowance": str(allowance), "discount_before": str(before), "discount_after": str(after)},
        )


# --- merged orders -----------------------------------------------------------------------------------------


def merged_shipping_fee(*, quote: ShippingQuote, fees_charged: Iterable[Decimal]) -> Decimal:
    """Merged goods pay shipping once, by the rules, and never more than the originals' fees together
    (a free-shipping promise of a storefront stays kept)."""
    return min(quote.fee, quantize(sum(fees_charged, ZERO)))
