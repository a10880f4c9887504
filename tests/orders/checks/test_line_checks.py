"""Line and history checks, positive and negative."""

from datetime import timedelta
from decimal import Decimal

import pytest

from orders.checks import lines, orders
from tests.orders.checks.factories import NOV_22, SHOE_40, SOFA, default_config, line, other_order, product, snapshot

pytestmark = pytest.mark.django_db(databases=[])


def run(check, **overrides):
    return list(check(snapshot(**overrides)))


def test_unknown_sku_is_a_blocker_per_line():
    findings = run(lines.line_unknown_sku, lines=(line(), line(None, sku="NOPE", position=2)))

    assert [(f.code, f.severity, f.key, f.data["sku"]) for f in findings] == [
        ("line.unknown_sku", "blocker", "2", "NOPE")
    ]


def test_known_skus_are_fine():
    assert run(lines.line_unknown_sku) == []


@pytest.mark.parametrize(("size", "colour"), [("L", "红色"), ("M", "白色"), ("XL", "蓝")])
def test_variant_mismatch_when_size_or_colour_differs(size, colour):
    findings = run(lines.line_variant_mismatch, lines=(line(size=size, colour=colour),))

    assert [(f.code, f.severity) for f in findings] == [("line.variant_mismatch", "blocker")]
    assert findings[0].data["catalogue"] == {"size": "M", "colour": "红色"}


@pytest.mark.parametrize(("size", "colour"), [("M", "红色"), ("m", "红"), ("Ｍ", " 红色 "), ("", "")])
def test_same_option_written_differently_or_not_sent_is_fine(size, colour):
    assert run(lines.line_variant_mismatch, lines=(line(size=size, colour=colour),)) == []


def test_out_of_stock_sums_quantities_of_one_sku():
    tee = product(stock=3)
    findings = run(lines.line_out_of_stock, lines=(line(tee, quantity=2), line(tee, quantity=2, position=2)))

    assert [(f.code, f.severity, f.data) for f in findings] == [
        ("line.out_of_stock", "blocker", {"sku": "TEE-RED-M", "stock": 3, "quantity": 4})
    ]


def test_enough_stock_is_fine():
    assert run(lines.line_out_of_stock, lines=(line(product(stock=2), quantity=2),)) == []


def test_quantity_unusual_against_the_shop_default():
    findings = run(lines.line_quantity_unusual, lines=(line(quantity=6),))

    assert [(f.code, f.severity, f.data["usual_max"]) for f in findings] == [("line.quantity_unusual", "warning", 5)]


def test_quantity_unusual_against_the_products_own_limit():
    assert run(lines.line_quantity_unusual, lines=(line(SOFA, quantity=2),))
    assert not run(lines.line_quantity_unusual, lines=(line(SOFA, quantity=1),))


def test_quantity_limit_is_a_shop_setting():
    assert not run(lines.line_quantity_unusual, lines=(line(quantity=6),), config=default_config(usual_max_quantity=10))


def test_usual_quantity_is_fine():
    assert run(lines.line_quantity_unusual, lines=(line(quantity=5),)) == []


def test_one_product_in_two_sizes():
    m, large = product(), product("TEE-RED-L", size="L")

    findings = run(lines.line_multiple_sizes, lines=(line(m), line(large, position=2)))

    assert [(f.code, f.severity, f.data["sizes"]) for f in findings] == [("line.multiple_sizes", "warning", ["L", "M"])]


def test_one_product_in_two_colours():
    red, white = product(), product("TEE-WHITE-M", colour="白色")

    findings = run(lines.line_multiple_sizes, lines=(line(red), line(white, position=2)))

    assert findings[0].data["colours"] == ["白色", "红色"]


def test_two_products_in_their_own_sizes_are_fine():
    assert run(lines.line_multiple_sizes, lines=(line(), line(SHOE_40, position=2))) == []


def test_size_differs_from_history():
    earlier = other_order(3, at=NOV_22 - timedelta(days=30), status="delivered", sizes=[("shoes", "42")])

    findings = run(lines.line_size_differs_from_history, lines=(line(SHOE_40),), other_orders=(earlier,))

    assert [(f.code, f.severity, f.data["sizes_before"]) for f in findings] == [
        ("line.size_differs_from_history", "info", ["42"])
    ]


def test_same_size_as_before_is_fine():
    earlier = other_order(3, at=NOV_22 - timedelta(days=30), status="delivered", sizes=[("shoes", "40")])

    assert run(lines.line_size_differs_from_history, lines=(line(SHOE_40),), other_orders=(earlier,)) == []


def test_size_history_of_another_category_does_not_count():
    earlier = other_order(3, at=NOV_22 - timedelta(days=30), status="delivered", sizes=[("apparel", "XL")])

    assert run(lines.line_size_differs_from_history, lines=(line(SHOE_40),), other_orders=(earlier,)) == []


def test_size_history_counts_only_orders_past_confirmation():
    pending = other_order(3, at=NOV_22 - timedelta(days=1), status="pending_confirmation", sizes=[("shoes", "42")])

    assert run(lines.line_size_differs_from_history, lines=(line(SHOE_40),), other_orders=(pending,)) == []


def test_history_of_a_stored_order_is_judged_at_its_own_time_not_at_the_recheck():
    from dataclasses import replace

    later = other_order(3, at=NOV_22 + timedelta(days=2), status="delivered", sizes=[("shoes", "42")])
    snap = replace(
        snapshot(lines=(line(SHOE_40),), other_orders=(later,)), at=NOV_22 + timedelta(days=5), ordered_at=NOV_22
    )

    assert list(lines.line_size_differs_from_history(snap)) == []


def test_size_history_ignores_later_and_cancelled_orders():
    later = other_order(3, at=NOV_22 + timedelta(days=1), sizes=[("shoes", "42")])
    cancelled = other_order(4, at=NOV_22 - timedelta(days=3), status="cancelled", sizes=[("shoes", "42")])

    assert run(lines.line_size_differs_from_history, lines=(line(SHOE_40),), other_orders=(later, cancelled)) == []


def test_price_mismatch_against_the_catalogue():
    findings = run(lines.price_mismatch, lines=(line(unit_price="89.00"),))

    assert [(f.code, f.severity, f.data["sent"], f.data["catalogue"]) for f in findings] == [
        ("price.mismatch", "warning", "89.00", "99.00")
    ]


def test_catalogue_price_is_fine():
    assert run(lines.price_mismatch, lines=(line(unit_price="99.00"),)) == []
    assert run(lines.price_mismatch, lines=(line(None, sku="X", unit_price="5.00"),)) == []


# --- order.possible_duplicate -------------------------------------------------------------------------------


def test_possible_duplicate_within_24_hours():
    earlier = other_order(5, at=NOV_22 - timedelta(hours=2))

    findings = run(orders.order_possible_duplicate, other_orders=(earlier,))

    assert [(f.code, f.severity, f.data["orders"]) for f in findings] == [("order.possible_duplicate", "warning", [5])]


def test_not_a_duplicate_after_the_window():
    earlier = other_order(5, at=NOV_22 - timedelta(hours=25))

    assert run(orders.order_possible_duplicate, other_orders=(earlier,)) == []


def test_not_a_duplicate_with_other_skus():
    earlier = other_order(5, at=NOV_22 - timedelta(hours=1), skus=("SHOE-40",))

    assert run(orders.order_possible_duplicate, other_orders=(earlier,)) == []


def test_only_the_later_of_two_duplicates_is_flagged():
    later = other_order(15, at=NOV_22 + timedelta(hours=1))

    assert run(orders.order_possible_duplicate, other_orders=(later,)) == []


def test_cancelled_order_is_not_a_duplicate():
    earlier = other_order(5, at=NOV_22 - timedelta(hours=1), status="cancelled")

    assert run(orders.order_possible_duplicate, other_orders=(earlier,)) == []


def test_duplicate_window_is_a_shop_setting():
    earlier = other_order(5, at=NOV_22 - timedelta(hours=30))

    assert run(
        orders.order_possible_duplicate, other_orders=(earlier,), config=default_config(duplicate_window_hours=48)
    )


def test_decimal_prices_compare_by_value():
    assert run(lines.price_mismatch, lines=(line(product(price=Decimal("99.0")), unit_price="99.00"),)) == []
