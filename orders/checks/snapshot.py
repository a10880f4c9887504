"""Load what the checks read: the order, its lines with catalogue facts, the buyer's other orders."""

import functools
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from orders.addresses import Address
from orders.checks.base import LineFacts, OrderSnapshot, OtherOrder, VariantFacts
from orders.models import (
    BOUGHT_STATUSES,
    CLOSED_STATUSES,
    CheckResult,
    Order,
    OrderLine,
    Product,
    Variant,
    statuses_in_order,
)
from orders.raw_sql import prepared, row_datetime
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


@functools.cache
def _history_sql() -> str:
    """The history read, written out once: on intake's hot path the ORM spent more time compiling it
    than the database spent running it. One round trip: the buyer's most recent other orders, each
    joined to its lines where a check looks at them (orders the buyer bought: size history; orders
    since the duplicate window opened: duplicates), one row per line (or one for an order without).
    Names come from the models' metadata. Prepared: its planning took longer than its run."""
    q = connection.ops.quote_name
    order, line = Order._meta, OrderLine._meta
    variant, product = Variant._meta, Product._meta
    order_columns = ", ".join(
        "o." + q(order.get_field(name).column)
        for name in (
            "id",
            "external_id",
            "status",
            "placed_at",
            "created_at",
            "ship_province",
            "ship_city",
            "ship_district",
            "ship_street",
        )
    )
    check = CheckResult._meta
    merge_hint = (
        f"EXISTS (SELECT 1 FROM {q(check.db_table)} c WHERE c.{q('order_id')} = o.{q('id')} "  # noqa: S608
        f"AND c.{q('code')} = 'order.mergeable' AND c.{q('status')} <> 'resolved') AS {q('merge_hint')}"
    )
    closed = ", ".join(["%s"] * len(CLOSED_STATUSES))
    bought = ", ".join(["%s"] * len(BOUGHT_STATUSES))
    orders = (
        f"SELECT {order_columns}, {merge_hint} FROM {q(order.db_table)} o "  # noqa: S608 - metadata only
        f"WHERE o.{q('customer_id')} = %s AND o.{q('id')} <> %s AND o.{q('status')} NOT IN ({closed}) "
        f"ORDER BY o.{q('id')} DESC LIMIT {HISTORY_DEPTH}"
    )
    at = f"COALESCE(h.{q('placed_at')}, h.{q('created_at')})"
    return prepared(
        f"WITH h AS ({orders}) "  # noqa: S608 - as above
        f"SELECT h.*, l.{q('sku')}, l.{q('size')}, p.{q('category')} FROM h "
        f"LEFT JOIN {q(line.db_table)} l ON l.{q('order_id')} = h.{q('id')} "
        f"AND (h.{q('status')} IN ({bought}) OR {at} >= %s) "
        f"LEFT JOIN {q(variant.db_table)} v ON v.{q('id')} = l.{q('variant_id')} "
        f"LEFT JOIN {q(product.db_table)} p ON p.{q('id')} = v.{q('product_id')} "
        f"ORDER BY h.{q('id')} DESC, l.{q('id')}"
    )


def _other_orders(order: Order, *, recent_since: datetime) -> tuple[OtherOrder, ...]:
    """The buyer's other orders (at most ``HISTORY_DEPTH``, newest first). Their lines are read only
    where a check looks at them: orders the buyer bought (size history) and orders since
    ``recent_since`` (duplicates)."""
    params = [
        order.customer_id,
        order.pk or 0,
        *statuses_in_order(CLOSED_STATUSES),
        *statuses_in_order(BOUGHT_STATUSES),
        connection.ops.adapt_datetimefield_value(recent_since),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_history_sql(), params)
        rows = cursor.fetchall()
    orders: dict[int, tuple] = {}
    skus: dict[int, set[str]] = defaultdict(set)
    sizes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        order_id, sku, size, category = row[0], *row[-3:]
        orders.setdefault(order_id, row[:-3])
        if sku is None:  # no line read for this order
            continue
        skus[order_id].add(sku)
        if category and size:
            sizes[order_id].append((category, size))
    others = []
    for order_id, external_id, status, placed_at, created_at, province, city, district, street, hint in orders.values():
        address = Address(province=province, city=city, district=district, street=street)
        others.append(
            OtherOrder(
                id=order_id,
                external_id=external_id,
                status=status,
                at=row_datetime(placed_at) or row_datetime(created_at),
                address_key=address.comparison_key(),
                skus=frozenset(skus[order_id]),
                sizes=tuple(sizes[order_id]),
                merge_hint=bool(hint),
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
                is_gift=line.is_gift,
            )
            for line in lines
        ),
        courier=order.requested_courier,
        gift_wrap=order.gift_wrap,
        engraving=order.engraving_text,
        card_message=order.card_message,
        buyer_note=order.buyer_note,
        seller_memo=order.seller_memo,
        shipping_fee=order.shipping_fee,
        items_total=order.items_total,
        payment_status=order.payment_status,
        amount_paid=order.amount_paid,
        total=order.total,
        config=config,
        other_orders=_other_orders(order, recent_since=ordered_at - duplicate_window) if history else (),
    )
