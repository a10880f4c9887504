"""The shipping fee charged against the shop's rules (seed 000 §1): named with expected, charged, difference."""

from dataclasses import replace
from decimal import Decimal

from orders.checks import checks_run
from orders.checks.messages import check_message
from tests.orders.checks.factories import HOME, snapshot

HEILONGJIANG = replace(HOME, province="黑龙江省", city="哈尔滨市", district="南岗区", street="西大直街92号")
XINJIANG = replace(HOME, province="新疆维吾尔自治区", city="乌鲁木齐市", district="天山区", street="人民路1号")


def fee_findings(**overrides):
    return [(f.code, f.data) for f in checks_run(snapshot(**overrides)) if f.code.startswith("shipping.")]


def test_goods_to_heilongjiang_charged_nothing_are_ten_below_the_rule():
    found = fee_findings(shipping_address=HEILONGJIANG, shipping_fee=Decimal("0.00"))

    assert [code for code, _ in found] == ["shipping.fee_below_rule"]
    data = found[0][1]
    assert (data["expected"], data["charged"], data["difference"]) == ("10.00", "0.00", "10.00")
    assert (data["province"], data["free_shipping"]) == ("黑龙江省", False)


def test_shipping_charged_past_the_free_shipping_threshold_is_above_the_rule():
    found = fee_findings(items_total=Decimal("198.00"), shipping_fee=Decimal("10.00"))

    assert [code for code, _ in found] == ["shipping.fee_above_rule"]
    data = found[0][1]
    assert (data["expected"], data["charged"], data["difference"]) == ("0.00", "10.00", "10.00")
    assert (data["free_shipping"], data["free_shipping_threshold"]) == (True, "108.00")


def test_the_fee_of_the_rules_raises_nothing():
    assert fee_findings(shipping_fee=Decimal("6.00")) == []
    assert fee_findings(items_total=Decimal("108.00"), shipping_fee=Decimal("0.00")) == []
    # remote provinces never ship free: 20.00 is the rule for 198.00 of goods
    assert fee_findings(shipping_address=XINJIANG, items_total=Decimal("198.00"), shipping_fee=Decimal("20.00")) == []


def test_a_requested_courier_below_its_fee_is_reported_once_as_the_surcharge_due():
    found = [f.code for f in checks_run(snapshot(courier="SF", shipping_fee=Decimal("6.00")))]

    assert "request.courier_surcharge_due" in found
    assert "shipping.fee_below_rule" not in found


def test_a_requested_courier_charged_more_than_its_fee_is_above_the_rule():
    found = fee_findings(courier="SF", shipping_fee=Decimal("20.00"))  # 6.00 base + 6.00 SF to Shanghai

    assert [(code, data["expected"], data["difference"]) for code, data in found] == [
        ("shipping.fee_above_rule", "12.00", "8.00")
    ]


def test_an_address_without_a_province_is_left_to_the_address_check():
    assert fee_findings(shipping_address=replace(HOME, province=""), shipping_fee=Decimal("0.00")) == []


def test_the_message_names_the_amounts():
    data = fee_findings(shipping_address=HEILONGJIANG, shipping_fee=Decimal("0.00"))[0][1]

    message = check_message("shipping.fee_below_rule", data)

    assert "0.00" in message and "10.00" in message and "黑龙江省" in message
