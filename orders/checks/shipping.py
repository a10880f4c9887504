"""The shipping fee charged against the shop's own rules (seed 000 §1: base fee by province, free
shipping from a threshold except to remote provinces, a named courier's surcharge).

A storefront may charge what its own page said; these warnings make the difference visible so an
agent either corrects the fee (the shipping edit) or keeps it on purpose (the edit's reason, or an
acknowledgement). A fee below the rules for a requested courier is ``request.courier_surcharge_due``'s
business: reported once, there.
"""

from collections.abc import Iterable

from orders.checks.base import WARNING, Finding, OrderSnapshot, check
from orders.pricing import ShippingQuote, shipping_quote


def _quote(snapshot: OrderSnapshot) -> tuple[ShippingQuote, bool]:
    """The rules' fee, and whether it includes a courier the buyer asked for (one the shop can use)."""
    courier = snapshot.config.couriers.get(snapshot.courier) if snapshot.courier else None
    usable = courier is not None and courier.in_use and courier.serves(snapshot.shipping_address.province)
    quote = shipping_quote(
        config=snapshot.config,
        province=snapshot.shipping_address.province,
        items_total=snapshot.items_total,
        courier=courier.code if usable else "",
    )
    return quote, usable


def _data(snapshot: OrderSnapshot, quote: ShippingQuote) -> dict:
    charged = snapshot.shipping_fee
    return {
        "expected": str(quote.fee),
        "charged": str(charged),
        "difference": str(abs(quote.fee - charged)),
        "province": snapshot.shipping_address.province,
        "items_total": str(snapshot.items_total),
        "free_shipping": quote.free_shipping,
        "free_shipping_threshold": str(snapshot.config.settings.free_shipping_threshold or ""),
        "surcharge": str(quote.surcharge),
    }


@check("shipping.fee_below_rule")
def shipping_fee_below_rule(snapshot: OrderSnapshot) -> Iterable[Finding]:
    if not snapshot.shipping_address.province:
        return
    quote, requested_courier = _quote(snapshot)
    if requested_courier:
        return  # request.courier_surcharge_due says it, with the courier's surcharge
    if snapshot.shipping_fee < quote.fee:
        yield Finding("shipping.fee_below_rule", WARNING, _data(snapshot, quote))


@check("shipping.fee_above_rule")
def shipping_fee_above_rule(snapshot: OrderSnapshot) -> Iterable[Finding]:
    if not snapshot.shipping_address.province:
        return
    quote, _requested = _quote(snapshot)
    if snapshot.shipping_fee > quote.fee:
        yield Finding("shipping.fee_above_rule", WARNING, _data(snapshot, quote))
