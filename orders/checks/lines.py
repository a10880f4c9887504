"""Line checks: the SKU exists, matches what the buyer saw, is in stock, in a sane quantity and size."""

from collections import defaultdict
from collections.abc import Iterable

from orders.checks.base import BLOCKER, INFO, WARNING, Finding, OrderSnapshot, check
from orders.models import BOUGHT_STATUSES
from orders.text import normalise_text


def same_option(sent: str, catalogue: str) -> bool:
    """红色 and 红, ＸＬ and xl, 'M ' and 'M' are the same option; an empty value was not sent."""
    a, b = normalise_text(sent), normalise_text(catalogue)
    return not a or a == b or a.removesuffix("色") == b.removesuffix("色")


@check("line.unknown_sku")
def line_unknown_sku(snapshot: OrderSnapshot) -> Iterable[Finding]:
    for line in snapshot.lines:
        if line.variant is None:
            yield Finding("line.unknown_sku", BLOCKER, {"line": line.position, "sku": line.sku}, key=str(line.position))


@check("line.variant_mismatch")
def line_variant_mismatch(snapshot: OrderSnapshot) -> Iterable[Finding]:
    for line in snapshot.lines:
        variant = line.variant
        if variant is None:
            continue
        if not same_option(line.size, variant.size) or not same_option(line.colour, variant.colour):
            yield Finding(
                "line.variant_mismatch",
                BLOCKER,
                {
                    "line": line.position,
                    "sku": line.sku,
                    "sent": {"size": line.size, "colour": line.colour},
                    "catalogue": {"size": variant.size, "colour": variant.colour},
                },
                key=str(line.position),
            )


@check("line.out_of_stock")
def line_out_of_stock(snapshot: OrderSnapshot) -> Iterable[Finding]:
    wanted: dict[str, int] = defaultdict(int)
    stock: dict[str, int] = {}
    for line in snapshot.lines:
        if line.variant is not None:
            wanted[line.sku] += line.quantity
            stock[line.sku] = line.variant.stock
    for sku, quantity in wanted.items():
        if stock[sku] < quantity:
            yield Finding(
                "line.out_of_stock", BLOCKER, {"sku": sku, "stock": stock[sku], "quantity": quantity}, key=sku
            )


@check("line.quantity_unusual")
def line_quantity_unusual(snapshot: OrderSnapshot) -> Iterable[Finding]:
    default_max = snapshot.config.settings.usual_max_quantity
    for line in snapshot.bought_lines:
        usual = (line.variant.usual_max_quantity if line.variant else None) or default_max
        if line.quantity > usual:
            yield Finding(
                "line.quantity_unusual",
                WARNING,
                {"line": line.position, "sku": line.sku, "quantity": line.quantity, "usual_max": usual},
                key=str(line.position),
            )


@check("line.multiple_sizes")
def line_multiple_sizes(snapshot: OrderSnapshot) -> Iterable[Finding]:
    by_product: dict[str, list] = defaultdict(list)
    for line in snapshot.bought_lines:
        if line.variant is not None:
            by_product[line.variant.product_code].append(line)
    for product_code, lines in by_product.items():
        sizes = sorted({line.size for line in lines if line.size})
        colours = sorted({line.colour for line in lines if line.colour})
        if len(sizes) > 1 or len(colours) > 1:
            yield Finding(
                "line.multiple_sizes",
                WARNING,
                {
                    "product": lines[0].variant.product_name,
                    "product_code": product_code,
                    "sizes": sizes,
                    "colours": colours,
                },
                key=product_code,
            )


@check("line.size_differs_from_history")
def line_size_differs_from_history(snapshot: OrderSnapshot) -> Iterable[Finding]:
    before: dict[str, set[str]] = defaultdict(set)
    for other in snapshot.other_orders:
        if other.at <= snapshot.history_at and other.status in BOUGHT_STATUSES:
            for category, size in other.sizes:
                before[category].add(normalise_text(size))
    reported: set[str] = set()
    for line in snapshot.bought_lines:
        if line.variant is None or not line.size:
            continue
        category = line.variant.category
        sizes = before.get(category)
        if sizes and normalise_text(line.size) not in sizes and category not in reported:
            reported.add(category)
            yield Finding(
                "line.size_differs_from_history",
                INFO,
                {"category": category, "size": line.size, "sizes_before": sorted(sizes)},
                key=category,
            )


@check("price.mismatch")
def price_mismatch(snapshot: OrderSnapshot) -> Iterable[Finding]:
    for line in snapshot.bought_lines:
        if line.variant is not None and line.unit_price != line.variant.price:
            yield Finding(
                "price.mismatch",
                WARNING,
                {
                    "line": line.position,
                    "sku": line.sku,
                    "sent": str(line.unit_price),
                    "catalogue": str(line.variant.price),
                },
                key=str(line.position),
            )
