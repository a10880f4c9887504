"""The money rules, in one place: line totals, order totals and the shipping fee by the rules."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from orders.exceptions import PaidIncreaseRefused
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
    return quantize(unit_price * quantity + adjustment)


def totals_compute(*, line_totals: Iterable[Decimal], adjustment: Decimal, shipping: Decimal) -> Totals:
    """Each part is quantised first and the total is their sum, so the parts always add up."""
    items = quantize(sum(line_totals, ZERO))
    adjustment = quantize(adjustment)
    shipping = quantize(shipping)
    return Totals(items=items, adjustment=adjustment, shipping=shipping, total=items + adjustment + shipping)


def order_totals(order) -> Totals:
    """The stored totals of an order, as a value."""
    return Totals(items=order.items_total, adjustment=order.adjustment, shipping=order.shipping_fee, total=order.total)


def totals_refresh(order, lines) -> Totals:
    """Recompute every line total and the order's totals in place (the caller saves)."""
    for line in lines:
        line.line_total = line_total(unit_price=line.unit_price, quantity=line.quantity, adjustment=line.adjustment)
    totals = totals_compute(
        line_totals=(line.line_total for line in lines), adjustment=order.adjustment, shipping=order.shipping_fee
    )
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


def payment_reconcile(order) -> None:
    """After a change of a paid order's total: a decrease becomes a refund due, an increase is refused.
    Unpaid orders need nothing: the buyer pays the new total."""
    if order.payment_status != "paid":
        return
    if order.total > order.amount_paid:
        raise PaidIncreaseRefused(data={"amount_paid": str(order.amount_paid), "total": str(order.total)})
    order.refund_due = order.amount_paid - order.total
