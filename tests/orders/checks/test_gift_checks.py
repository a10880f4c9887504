"""The gift check and what the other checks make of gift lines: gift.added lists them, stock counts
them, price and quantity checks leave them alone, and a note's gift request the rules answered is
no request left to read back."""

from dataclasses import replace
from decimal import Decimal

import pytest

from orders.checks import checks_run
from orders.checks.messages import check_message
from tests.orders.checks.factories import SOFA, codes, line, product, snapshot

pytestmark = pytest.mark.django_db(databases=[])

CUSHION = product(
    "CUSHION",
    size="",
    colour="米色",
    price=Decimal("59.00"),
    stock=10,
    product_code="CUSHION",
    product_name="靠枕",
    category="home",
)


def gift(variant=CUSHION, *, position: int = 2, quantity: int = 1):
    return replace(line(variant, position=position, quantity=quantity, unit_price="0.00"), is_gift=True)


def test_gift_added_lists_the_gift_lines():
    findings = checks_run(snapshot(lines=(line(SOFA), gift()), items_total=Decimal("2999.00")))

    [added] = [f for f in findings if f.code == "gift.added"]
    assert added.severity == "info"
    assert added.data == {"gifts": [{"line": 2, "sku": "CUSHION", "name": "靠枕", "quantity": 1}]}
    assert check_message("gift.added", added.data) == "已按店铺赠品规则加赠：靠枕 × 1。请告知买家，并随单打包。"


def test_no_gift_no_finding():
    assert "gift.added" not in codes(checks_run(snapshot()))


def test_a_gift_priced_0_00_is_no_price_mismatch_and_no_unusual_quantity():
    findings = checks_run(snapshot(lines=(line(SOFA), gift(quantity=9))))

    assert "price.mismatch" not in codes(findings)
    assert "line.quantity_unusual" not in codes(findings)


def test_a_gift_of_another_size_of_a_bought_product_is_not_several_sizes():
    bought = line(product("TEE-RED-M"))
    given = gift(product("TEE-RED-L", size="L"))

    assert "line.multiple_sizes" not in codes(checks_run(snapshot(lines=(bought, given))))


def test_an_out_of_stock_gift_raises_the_usual_stock_finding():
    findings = checks_run(snapshot(lines=(line(SOFA), gift(replace(CUSHION, stock=0)))))

    [stock] = [f for f in findings if f.code == "line.out_of_stock"]
    assert (stock.key, stock.data) == ("CUSHION", {"sku": "CUSHION", "stock": 0, "quantity": 1})


def test_stock_counts_a_bought_line_and_its_gift_of_one_sku_together():
    # 买一送一 with one pair of socks left: two pairs are wanted
    socks = product("SOCKS", stock=1)
    findings = checks_run(snapshot(lines=(line(socks), gift(socks))))

    assert [f.data for f in findings if f.code == "line.out_of_stock"] == [{"sku": "SOCKS", "stock": 1, "quantity": 2}]


def _in_note(findings) -> list[dict]:
    return [found for f in findings if f.code == "request.in_note" for found in f.data["found"]]


def test_a_note_asking_for_the_gift_the_rules_gave_raises_nothing():
    findings = checks_run(snapshot(lines=(line(SOFA), gift()), buyer_note="客服说满3000有赠品，记得放"))

    assert _in_note(findings) == []


def test_a_note_asking_for_a_gift_the_rules_did_not_give_opens_request_in_note():
    findings = checks_run(snapshot(lines=(line(SOFA),), buyer_note="请多送一个赠品"))

    assert [found["kind"] for found in _in_note(findings)] == ["free_gift"]


def test_a_note_asking_for_more_than_the_rules_gave_still_opens_request_in_note():
    findings = checks_run(snapshot(lines=(line(SOFA), gift()), buyer_note="请多送一个赠品，谢谢"))

    assert [(found["kind"], found["text"]) for found in _in_note(findings)] == [("free_gift", "多送")]


def test_a_gift_line_does_not_hide_the_notes_other_requests():
    findings = checks_run(snapshot(lines=(line(SOFA), gift()), buyer_note="有赠品吗？请开发票"))

    assert [found["kind"] for found in _in_note(findings)] == ["invoice"]
