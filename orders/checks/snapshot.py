"""Load what the checks read: the order, its lines with catalogue facts, the buyer's other orders."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from orders.addresses import Address
from orders.checks.base import LineFacts, OrderSnapshot, OtherOrder, VariantFacts
from orders.checks.lines import BOUGHT_STATUSES
from orders.models import Order, OrderLine, OrderStatus, Variant
from orders.shop_config import ShopConfig, shop_config

# The history checks look at this many of the buyer's most recent other orders: enough for the
# mergeable hint and duplicates (both about the last day) and for the sizes a buyer usually takes.
HISTORY_DEPTH = 20


def variant_facts(variant: Variant | None) -> VariantFacts | None:
    if variant is None:
        return None
    product = variant.product
    return VariantFacts(
        sku=variant.sku,
        size=variant.size,
        colour=variant.colour,
        price=variant.price,
        stock=variant.stock,
        product_code=product.code,
        product_name=product.name,
        category=product.category,
        bulky=product.bulky,
        engravable=product.engravable,
        max_engraving_chars=product.max_engraving_chars,
        usual_max_quantity=product.usual_max_quantity,
    )


def order_lines_with_catalogue(order: Order) -> list[OrderLine]:
    return list(order.lines.select_related("variant__product").order_by("position", "id"))


def _other_orders(order: Order, *, recent_since: datetime) -> tuple[OtherOrder, ...]:
    """The buyer's other orders. Their lines are read only where a check looks at them: orders the
    buyer bought (size history) and orders since ``recent_since`` (duplicates)."""
    rows = list(
        Order.objects.filter(customer_id=order.customer_id)
        .exclude(pk=order.pk)
        .exclude(status__in=[OrderStatus.CANCELLED, OrderStatus.MERGED])
        .order_by("-id")
        .values_list(
            "id",
            "external_id",
            "status",
            "placed_at",
            "created_at",
            "ship_province",
            "ship_city",
            "ship_district",
            "ship_street",
        )[:HISTORY_DEPTH]
    )
    if not rows:
        return ()
    skus: dict[int, set[str]] = defaultdict(set)
    sizes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    wanted = [row[0] for row in rows if row[2] in BOUGHT_STATUSES or (row[3] or row[4]) >= recent_since]
    line_rows = (
        OrderLine.objects.filter(order_id__in=wanted).values_list(
            "order_id", "sku", "size", "variant__product__category"
        )
        if wanted
        else ()
    )
    for order_id, sku, size, category in line_rows:
        skus[order_id].add(sku)
        if category and size:
            sizes[order_id].append((category, size))
    others = []
    for order_id, external_id, status, placed_at, created_at, province, city, district, street in rows:
        address = Address(province=province, city=city, district=district, street=street)
        others.append(
            OtherOrder(
                id=order_id,
                external_id=external_id,
                status=status,
                at=placed_at or created_at,
                address_key=address.comparison_key(),
                skus=frozenset(skus[order_id]),
                sizes=tuple(sizes[order_id]),
            )
        )
    return tuple(others)


def order_snapshot(
    order: Order,
    *,
    lines: Sequence[OrderLine] | None = None,
    config: ShopConfig | None = None,
    now: datetime | None = None,
    history: bool = True,
) -> OrderSnapshot:
    """The snapshot of a stored order. ``lines`` must have ``variant__product`` loaded when given;
    ``history=False`` when the buyer is known to have no other orders (saves the query)."""
    lines = order_lines_with_catalogue(order) if lines is None else lines
    config = config or shop_config()
    ordered_at = order.placed_at or order.created_at or now or timezone.now()
    duplicate_window = timedelta(hours=config.settings.duplicate_window_hours)
    customer = order.customer
    default = customer.default_address
    return OrderSnapshot(
        order_id=order.pk,
        at=order.placed_at or now or timezone.now(),
        ordered_at=ordered_at,
        shipping_address=order.shipping_address,
        default_address=None if default.is_empty else default,
        lines=tuple(
            LineFacts(
                position=line.position,
                sku=line.sku,
                quantity=line.quantity,
                size=line.size,
                colour=line.colour,
                unit_price=line.unit_price,
                variant=variant_facts(line.variant),
            )
            for line in lines
        ),
        courier=order.requested_courier,
        gift_wrap=order.gift_wrap,
        engraving=order.engraving_text,
        card_message=order.card_message,
        shipping_fee=order.shipping_fee,
        items_total=order.items_total,
        config=config,
        other_orders=_other_orders(order, recent_since=ordered_at - duplicate_window) if history else (),
    )
