"""Gift lines (赠品) from the shop's gift rules: built for intake and for merges, unsaved.

The rules are evaluated by ``orders.gifts``; this module turns what they give into order lines
(the catalogue variant's name, size and colour, price 0.00, ``is_gift``) and names them for events.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from orders.catalogue_cache import catalogue_variants
from orders.gifts import gifts_due
from orders.models import Order, OrderLine, Variant
from orders.money import ZERO
from orders.shop_config import ShopConfig


def gift_skus(config: ShopConfig) -> set[str]:
    """The SKUs the active rules may give: intake reads them with the order's own SKUs, in one look-up."""
    return {rule.gift_sku for rule in config.gift_rules}


def gift_day(placed_at: datetime | None) -> date:
    """The shop's day the rules' dates are read on: when the buyer ordered, else today."""
    return timezone.localdate(placed_at) if placed_at is not None else timezone.localdate()


def gift_lines_build(
    *,
    config: ShopConfig,
    lines: Sequence[OrderLine],
    items_total: Decimal,
    day: date,
    variants: Mapping[str, Variant],
) -> list[OrderLine]:
    """The gift lines the rules give ``lines`` beyond the gifts they hold, numbered after them.

    ``variants`` holds the gift variants this order may carry (``catalogue_variants`` for the
    order's storefront): a rule whose gift is not among them gives nothing."""
    due = gifts_due(rules=config.gift_rules, lines=lines, items_total=items_total, day=day, available=variants)
    position = max((line.position for line in lines), default=0)
    built = []
    for gift in due:
        variant = variants[gift.sku]
        position += 1
        built.append(
            OrderLine(
                position=position,
                variant=variant,
                sku=variant.sku,
                product_name=variant.product.name,
                size=variant.size,
                colour=variant.colour,
                quantity=gift.quantity,
                unit_price=ZERO,
                line_total=ZERO,
                is_gift=True,
                gift_rule_id=gift.rule_id,
            )
        )
    return built


def gift_lines_data(lines: Sequence[OrderLine]) -> list[dict]:
    """The gift lines among ``lines`` as an event records them."""
    return [
        {"line": line.position, "sku": line.sku, "quantity": line.quantity, "rule": line.gift_rule_id}
        for line in lines
        if line.is_gift
    ]


def gift_lines_topup(*, order: Order, lines: Sequence[OrderLine], config: ShopConfig) -> list[OrderLine]:
    """A merged order's gifts: the originals' gift lines are among ``lines`` and stay; this gives only
    what the merged goods earn beyond them (两单合计满3000), never a trigger's gift twice."""
    variants = catalogue_variants(gift_skus(config), storefront_id=order.storefront_id)
    return gift_lines_build(
        config=config, lines=lines, items_total=order.items_total, day=gift_day(order.placed_at), variants=variants
    )
