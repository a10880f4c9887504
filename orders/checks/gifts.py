"""The gift check: the free gifts (赠品) the shop's rules added, to read back to the buyer and to pack."""

from collections.abc import Iterable

from orders.checks.base import INFO, Finding, OrderSnapshot, check


@check("gift.added")
def gift_added(snapshot: OrderSnapshot) -> Iterable[Finding]:
    gifts = [
        {
            "line": line.position,
            "sku": line.sku,
            "name": line.variant.product_name if line.variant is not None else line.sku,
            "quantity": line.quantity,
        }
        for line in snapshot.gift_lines
    ]
    if gifts:
        yield Finding("gift.added", INFO, {"gifts": gifts})
