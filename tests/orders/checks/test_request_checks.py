"""Special-request checks: the promised courier and its surcharge, gift wrap, engraving, card."""

from dataclasses import replace
from decimal import Decimal

import pytest

from orders.checks import requests
from tests.orders.checks.factories import HOME, RING, default_config, line, snapshot

pytestmark = pytest.mark.django_db(databases=[])

XINJIANG = replace(HOME, province="新疆维吾尔自治区", city="乌鲁木齐市", district="天山区", street="解放北路88号")
HONG_KONG = replace(HOME, province="香港特别行政区", city="香港", district="", street="皇后大道中1号")


def run(check, **overrides):
    return list(check(snapshot(**overrides)))


def test_courier_request_carries_the_surcharge_for_the_destination():
    findings = run(requests.request_courier, courier="SF", shipping_address=XINJIANG)

    assert [(f.code, f.severity) for f in findings] == [("request.courier", "warning")]
    assert findings[0].data["surcharge"] == "25.00"


def test_no_courier_request_no_finding():
    assert run(requests.request_courier) == []
    assert run(requests.request_courier_surcharge_due) == []
    assert run(requests.request_courier_unavailable) == []


def test_surcharge_due_when_only_the_base_fee_was_paid():
    findings = run(
        requests.request_courier_surcharge_due, courier="SF", shipping_address=XINJIANG, shipping_fee=Decimal("20.00")
    )

    assert [(f.code, f.severity) for f in findings] == [("request.courier_surcharge_due", "warning")]
    assert findings[0].data == {
        "courier": "SF",
        "expected": "45.00",
        "paid": "20.00",
        "due": "25.00",
        "surcharge": "25.00",
    }


def test_surcharge_paid_in_full_is_fine():
    assert (
        run(
            requests.request_courier_surcharge_due,
            courier="SF",
            shipping_address=XINJIANG,
            shipping_fee=Decimal("45.00"),
        )
        == []
    )


def test_free_shipping_waives_the_base_fee_but_not_the_surcharge():
    near = replace(HOME)  # 上海: base 6, SF surcharge 6, free from 108 of goods
    findings = run(
        requests.request_courier_surcharge_due,
        courier="SF",
        shipping_address=near,
        items_total=Decimal("200.00"),
        shipping_fee=Decimal("0.00"),
    )

    assert findings[0].data["expected"] == "6.00"
    assert (
        run(
            requests.request_courier_surcharge_due,
            courier="SF",
            shipping_address=near,
            items_total=Decimal("200.00"),
            shipping_fee=Decimal("6.00"),
        )
        == []
    )


def test_remote_province_gets_no_free_shipping():
    findings = run(
        requests.request_courier_surcharge_due,
        courier="SF",
        shipping_address=XINJIANG,
        items_total=Decimal("500.00"),
        shipping_fee=Decimal("25.00"),
    )

    assert findings[0].data["expected"] == "45.00"


def test_default_courier_without_surcharge_is_never_due():
    assert (
        run(requests.request_courier_surcharge_due, courier="ZTO", shipping_address=HOME, shipping_fee=Decimal("6.00"))
        == []
    )


def test_courier_the_shop_does_not_use_is_a_blocker():
    findings = run(requests.request_courier_unavailable, courier="JD")

    assert [(f.code, f.severity, f.data["reason"]) for f in findings] == [
        ("request.courier_unavailable", "blocker", "not_used")
    ]
    assert findings[0].data["alternatives"] == ["STO", "YD", "ZTO"]


def test_courier_that_does_not_serve_the_region_is_a_blocker():
    findings = run(requests.request_courier_unavailable, courier="ZTO", shipping_address=HONG_KONG)

    assert findings[0].data["reason"] == "not_served"


def test_courier_serving_the_region_is_available():
    assert run(requests.request_courier_unavailable, courier="SF", shipping_address=HONG_KONG) == []
    assert run(requests.request_courier_unavailable, courier="ZTO", shipping_address=HOME) == []


def test_gift_wrap_is_information():
    assert [(f.code, f.severity) for f in run(requests.request_gift_wrap, gift_wrap=True)] == [
        ("request.gift_wrap", "info")
    ]
    assert run(requests.request_gift_wrap) == []


def test_engraving_that_fits_is_a_warning_to_read_back():
    findings = run(requests.request_engraving, engraving="致韩梅梅", lines=(line(RING),))

    assert [(f.code, f.severity) for f in findings] == [("request.engraving", "warning")]
    assert findings[0].data["text"] == "致韩梅梅"
    assert findings[0].data["problems"] == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("致我最爱的陈静小姐生日快乐", "too_long"),
        ("I ♥ U 😀", "unsupported_characters"),
        ("李雷\u200b", "unsupported_characters"),
    ],
)
def test_engraving_the_workshop_cannot_do_is_a_blocker(text, problem):
    findings = run(requests.request_engraving, engraving=text, lines=(line(RING),))

    assert findings[0].severity == "blocker"
    assert problem in findings[0].data["problems"]


def test_engraving_on_a_product_that_is_not_engravable_is_a_blocker():
    findings = run(requests.request_engraving, engraving="LOVE", lines=(line(),))

    assert findings[0].severity == "blocker"
    assert findings[0].data["problems"] == ["not_engravable"]


def test_engraving_symbols_allowed_by_the_shop():
    config = default_config(engraving_extra_characters="♥")

    findings = run(requests.request_engraving, engraving="I♥U", lines=(line(RING),), config=config)

    assert findings[0].severity == "warning"


def test_card_message_to_read_back():
    findings = run(requests.request_card_message, card_message="生日快乐")

    assert [(f.code, f.severity, f.data["text"]) for f in findings] == [("request.card_message", "warning", "生日快乐")]


def test_card_message_too_long_is_a_blocker():
    findings = run(requests.request_card_message, card_message="祝" * 101)

    assert findings[0].severity == "blocker"
    assert run(requests.request_card_message, card_message="祝" * 100)[0].severity == "warning"
    assert run(requests.request_card_message) == []
