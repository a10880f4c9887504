"""The free-gift rules (赠品), evaluated without a database: threshold, trigger SKUs, dates, the limit
per order, what an order already holds, and a note's gift request the rules answered."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from orders.gifts import GiftDue, GiftRuleFacts, gifts_due, note_gift_covered

DAY = date(2026, 11, 22)
CUSHION = GiftRuleFacts(id=1, name="满3000送靠枕", gift_sku="CUSHION", threshold=Decimal("3000.00"))
BOGO = GiftRuleFacts(id=2, name="买一送一", gift_sku="SOCKS", trigger_skus=frozenset({"SOCKS"}), limit_per_order=10)


@dataclass
class Line:
    sku: str
    quantity: int = 1
    is_gift: bool = False
    gift_rule_id: int | None = None


def due(rules, lines, total="0.00", day=DAY, available=None) -> list[GiftDue]:
    return gifts_due(rules=rules, lines=lines, items_total=Decimal(total), day=day, available=available)


def test_threshold_reached_gives_the_gift_once():
    assert due([CUSHION], [Line("SOFA")], "3000.00") == [GiftDue(rule_id=1, sku="CUSHION", quantity=1)]
    # reaching it twice over is still one gift: the threshold applies once per order
    assert due([CUSHION], [Line("SOFA", 3)], "9000.00") == [GiftDue(rule_id=1, sku="CUSHION", quantity=1)]


def test_threshold_not_reached_gives_nothing():
    assert due([CUSHION], [Line("SOFA")], "2999.99") == []


def test_a_trigger_sku_bought_gives_the_gift_per_unit():
    rule = GiftRuleFacts(
        id=3, name="买书桌送椅子", gift_sku="CHAIR", trigger_skus=frozenset({"DESK"}), limit_per_order=5
    )
    assert due([rule], [Line("DESK", 2), Line("TEE")]) == [GiftDue(rule_id=3, sku="CHAIR", quantity=2)]
    assert due([rule], [Line("TEE")]) == []


def test_buy_one_get_one_the_trigger_is_the_gift_itself():
    assert due([BOGO], [Line("SOCKS", 3)]) == [GiftDue(rule_id=2, sku="SOCKS", quantity=3)]


def test_a_gift_line_is_no_trigger():
    # the socks given do not earn more socks
    assert due([BOGO], [Line("SOCKS", 1), Line("SOCKS", 1, is_gift=True, gift_rule_id=2)]) == []


def test_threshold_or_trigger_whichever_gives_more():
    rule = GiftRuleFacts(
        id=4,
        name="either",
        gift_sku="PEN",
        threshold=Decimal("500"),
        trigger_skus=frozenset({"BOOK"}),
        quantity=1,
        limit_per_order=9,
    )
    assert due([rule], [Line("TEE")], "500.00") == [GiftDue(rule_id=4, sku="PEN", quantity=1)]
    assert due([rule], [Line("BOOK", 3)], "60.00") == [GiftDue(rule_id=4, sku="PEN", quantity=3)]
    assert due([rule], [Line("BOOK", 3)], "600.00") == [GiftDue(rule_id=4, sku="PEN", quantity=3)]


def test_quantity_is_given_each_time_up_to_the_limit_per_order():
    rule = GiftRuleFacts(
        id=5, name="买一送二", gift_sku="SAMPLE", trigger_skus=frozenset({"CREAM"}), quantity=2, limit_per_order=5
    )
    assert due([rule], [Line("CREAM", 1)]) == [GiftDue(rule_id=5, sku="SAMPLE", quantity=2)]
    assert due([rule], [Line("CREAM", 2)]) == [GiftDue(rule_id=5, sku="SAMPLE", quantity=4)]
    assert due([rule], [Line("CREAM", 9)]) == [GiftDue(rule_id=5, sku="SAMPLE", quantity=5)]


def test_the_default_limit_is_one_per_order():
    rule = GiftRuleFacts(id=6, name="买就送", gift_sku="BAG", trigger_skus=frozenset({"TEE"}))
    assert due([rule], [Line("TEE", 4)]) == [GiftDue(rule_id=6, sku="BAG", quantity=1)]


@pytest.mark.parametrize(
    ("day", "given"),
    [
        (date(2026, 10, 31), False),  # before it starts
        (date(2026, 11, 1), True),  # its first day
        (date(2026, 11, 11), True),
        (date(2026, 11, 30), True),  # its last day (inclusive)
        (date(2026, 12, 1), False),  # after it ended
    ],
)
def test_a_rule_gives_only_within_its_dates(day, given):
    rule = GiftRuleFacts(
        id=7,
        name="双11",
        gift_sku="CUSHION",
        threshold=Decimal("100"),
        valid_from=date(2026, 11, 1),
        valid_to=date(2026, 11, 30),
    )
    assert bool(due([rule], [Line("TEE")], "100.00", day=day)) is given


def test_open_ended_dates():
    starts = GiftRuleFacts(id=8, name="from", gift_sku="G", threshold=Decimal("1"), valid_from=date(2026, 11, 1))
    ends = GiftRuleFacts(id=9, name="to", gift_sku="G", threshold=Decimal("1"), valid_to=date(2026, 11, 1))
    assert due([starts], [Line("TEE")], "1.00", day=date(2030, 1, 1))
    assert not due([ends], [Line("TEE")], "1.00", day=date(2030, 1, 1))


def test_an_order_holding_the_gift_gets_only_what_it_lacks():
    held = Line("CUSHION", 1, is_gift=True, gift_rule_id=1)
    assert due([CUSHION], [Line("SOFA"), held], "3000.00") == []
    # another rule's gift of the same SKU does not count for this rule
    other = Line("CUSHION", 1, is_gift=True, gift_rule_id=99)
    assert due([CUSHION], [Line("SOFA"), other], "3000.00") == [GiftDue(rule_id=1, sku="CUSHION", quantity=1)]


def test_merged_goods_never_earn_a_triggers_gift_twice():
    # two originals each bought socks and got socks: the merged order holds both gifts, earns none more
    lines = [
        Line("SOCKS"),
        Line("SOCKS", is_gift=True, gift_rule_id=2),
        Line("SOCKS"),
        Line("SOCKS", is_gift=True, gift_rule_id=2),
    ]
    assert due([BOGO], lines) == []


def test_a_gift_the_storefront_cannot_carry_is_not_given():
    assert due([CUSHION], [Line("SOFA")], "3000.00", available=["SOFA"]) == []
    assert due([CUSHION], [Line("SOFA")], "3000.00", available=["SOFA", "CUSHION"])


def test_several_rules_give_in_rule_order():
    assert due([CUSHION, BOGO], [Line("SOCKS")], "3000.00") == [
        GiftDue(rule_id=1, sku="CUSHION", quantity=1),
        GiftDue(rule_id=2, sku="SOCKS", quantity=1),
    ]


@pytest.mark.parametrize(
    ("text", "covered"),
    [
        ("赠品", True),
        ("送个", True),
        ("送我一个", True),
        ("多送", False),
        ("再送一个", False),
        ("额外送", False),
        ("extra gift", False),
        ("free gift", True),
    ],
)
def test_a_note_asking_for_a_gift_is_covered_by_a_given_gift_unless_it_asks_for_more(text, covered):
    assert note_gift_covered(text, gifts_given=True) is covered
    assert note_gift_covered(text, gifts_given=False) is False
