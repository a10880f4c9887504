"""Check engine benchmark: what the confirmation checks cost per order, and which check costs what.

    python -m bench.checks              # 5 repeats of 2,000 orders; target under 2 ms per order
    python -m bench.checks --smoke      # CI

The order: five lines (apparel in two sizes, an engravable ring, two mugs, shoes), every special
request (SF courier, gift wrap, engraving, a card), shipped to a school address that is not the
buyer's default, by a buyer with ten earlier orders (the history checks have something to compare).
The engine is pure (no queries): the snapshot is built once, in memory, from the demo catalogue and
the shop settings of the bench database. Also timed: the flag rules that turn findings into flags.
"""

import argparse
import statistics
import timeit
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bench.common import database_url, django_setup, fail, machine, results_write, table

TARGET_MS = 2.0


def _snapshot():
    from orders import demo
    from orders.addresses import Address, phone_normalise
    from orders.checks.base import LineFacts, OrderSnapshot, OtherOrder, VariantFacts
    from orders.shop_config import shop_config

    catalogue = {row.sku: row for row in demo.CATALOGUE}

    def facts(sku: str) -> VariantFacts:
        row = catalogue[sku]
        return VariantFacts(
            sku=row.sku,
            size=row.size,
            colour=row.colour,
            price=row.price,
            stock=row.stock,
            product_code=row.product_code,
            product_name=row.product_name,
            category=row.category,
            bulky=row.bulky,
            engravable=row.engravable,
            max_engraving_chars=row.max_engraving_chars,
            usual_max_quantity=row.usual_max_quantity,
        )

    def address(data: dict) -> Address:
        return Address(**{**data, "phone": phone_normalise(data["phone"])})

    wanted = [("SHIRT-WHITE-M", 1), ("SHIRT-WHITE-L", 1), ("RING-SILVER-12", 1), ("MUG-WHITE", 2), ("SHOE-WHITE-40", 1)]
    lines = tuple(
        LineFacts(
            position=position,
            sku=sku,
            quantity=quantity,
            size=catalogue[sku].size,
            colour=catalogue[sku].colour,
            unit_price=catalogue[sku].price,
            variant=facts(sku),
        )
        for position, (sku, quantity) in enumerate(wanted, start=1)
    )
    items_total = sum((line.unit_price * line.quantity for line in lines), Decimal("0.00"))
    now = datetime(2026, 1, 20, 10, 0, tzinfo=UTC)  # in the winter holidays: the school address matters
    home = address(demo.CUSTOMERS["han"]["default_address"] | {"street": "海淀区中关村大街1号", "kind": "home"})
    school = address(demo.HAN_SCHOOL)
    other_orders = tuple(
        OtherOrder(
            id=1000 + n,
            external_id=f"TB-HISTORY-{n}",
            status="delivered" if n > 1 else "pending_confirmation",
            at=now - timedelta(days=3 * n, minutes=20),
            address_key=(school if n % 2 else home).comparison_key(),
            skus=frozenset({"SHOE-WHITE-42", "TEE-WHITE-M"} if n % 3 else {"MUG-WHITE"}),
            sizes=(("shoes", "42"), ("apparel", "M")),
        )
        for n in range(10)
    )
    return OrderSnapshot(
        order_id=None,
        at=now,
        ordered_at=now,
        shipping_address=school,
        default_address=home,
        lines=lines,
        courier="SF",
        gift_wrap=True,
        engraving="致韩梅梅",
        card_message="新年快乐，学业进步！",
        shipping_fee=Decimal("12.00"),
        items_total=items_total,
        config=shop_config(),
        other_orders=other_orders,
    )


def _order_for_flags(snapshot):
    from orders.models import Order

    return Order(
        requested_courier=snapshot.courier,
        gift_wrap=snapshot.gift_wrap,
        engraving_text=snapshot.engraving,
        card_message=snapshot.card_message,
    )


def _per_call_ms(function, number: int, repeat: int) -> tuple[float, float]:
    """(median, best) milliseconds per call over ``repeat`` runs of ``number`` calls."""
    runs = timeit.Timer(function).repeat(repeat=repeat, number=number)
    per_call = [1000 * run / number for run in runs]
    return statistics.median(per_call), min(per_call)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000, help="orders per timed run")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs; the median is reported")
    parser.add_argument("--database-url", help="default: $BENCH_DATABASE_URL (the shop settings live there)")
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.orders, args.repeat = 50, 3

    django_setup(database_url(args.database_url), "")
    from django.conf import settings
    from django.utils import translation

    from flags.rules import desired_auto_flags
    from orders.checks import REGISTRY, checks_run

    snapshot = _snapshot()
    findings = checks_run(snapshot)
    if not findings:
        fail("the benchmark order raised no findings: it no longer exercises the checks")
    order = _order_for_flags(snapshot)

    engine = _per_call_ms(lambda: checks_run(snapshot), args.orders, args.repeat)
    with translation.override(settings.LANGUAGE_CODE):
        flags = _per_call_ms(lambda: desired_auto_flags(order, findings), args.orders, args.repeat)
    per_check = {
        code: _per_call_ms(lambda function=function: list(function(snapshot)), args.orders, args.repeat)[0]
        for code, function in REGISTRY.items()
    }

    print(
        f"{len(snapshot.lines)} lines, courier {snapshot.courier}, gift wrap, engraving, card; "
        f"{len(snapshot.other_orders)} earlier orders; {len(REGISTRY)} checks; "
        f"findings: {', '.join(sorted({f.code for f in findings}))}"
    )
    verdict = f"< {TARGET_MS} {'met' if engine[0] < TARGET_MS else 'MISSED'}"
    rows = [
        ["check engine (every check)", engine[0], engine[1], verdict],
        ["flag rules (findings to flags)", flags[0], flags[1], ""],
    ]
    print(table(["per order", "median ms", "best ms", "target ms"], rows))
    print("\nslowest checks (median ms per order):")
    slowest = sorted(per_check.items(), key=lambda item: -item[1])
    print(table(["check", "ms"], [[code, f"{ms:.4f}"] for code, ms in slowest[:10]]))
    path = results_write(
        "checks",
        {
            "machine": machine(),
            "settings": vars(args),
            "engine_ms": {"median": engine[0], "best": engine[1]},
            "flag_rules_ms": {"median": flags[0], "best": flags[1]},
            "per_check_ms": dict(slowest),
            "findings": sorted(f.code for f in findings),
        },
    )
    print(f"written: {path.relative_to(path.parents[2])}")


if __name__ == "__main__":
    main()
