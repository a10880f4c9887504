"""The seeds' situations posted over REST produce exactly the expected checks (issue 3's "done")."""

import pytest

from tests.factories import BEIJING_SCHOOL, SHANGHAI_HOME, SHANGHAI_WORK
from tests.orders.helpers import codes, create_order

pytestmark = pytest.mark.django_db

XINJIANG_HOME = {
    "recipient": "张伟",
    "phone": "13609910000",
    "province": "新疆维吾尔自治区",
    "city": "乌鲁木齐市",
    "district": "天山区",
    "street": "解放北路88号",
    "postcode": "830002",
    "kind": "home",
}


def customer(external_id: str, address: dict) -> dict:
    return {
        "external_id": external_id,
        "name": address["recipient"],
        "phone": address["phone"],
        "default_address": address,
    }


def test_school_address_in_january(api, catalogue):
    order = create_order(
        api,
        placed_at="2026-01-15T09:00:00+08:00",
        customer=customer("han", BEIJING_SCHOOL),
        shipping_address=BEIJING_SCHOOL,
        shipping_fee="8.00",
    )

    assert codes(order) == ["address.school_in_holiday"]


def test_bulky_sofa_to_an_office(api, catalogue):
    order = create_order(
        api,
        customer=customer("li", SHANGHAI_WORK),
        shipping_address=SHANGHAI_WORK,
        lines=[{"sku": "SOFA-GREY", "quantity": 1}],
        shipping_fee="0.00",
    )

    assert codes(order) == ["address.bulky_to_work"]


def test_sf_to_a_far_province_with_only_the_base_fee_paid(api, catalogue):
    order = create_order(
        api,
        customer=customer("zhang", XINJIANG_HOME),
        shipping_address=XINJIANG_HOME,
        shipping_fee="20.00",
        special_requests={"courier": "SF"},
    )

    assert codes(order) == ["request.courier", "request.courier_surcharge_due"]
    due = next(c for c in order["checks"] if c["code"] == "request.courier_surcharge_due")
    assert due["data"]["due"] == "25.00"


def test_one_shirt_in_two_sizes(api, catalogue):
    order = create_order(
        api,
        customer=customer("wang", SHANGHAI_HOME),
        shipping_address=SHANGHAI_HOME,
        lines=[{"sku": "TEE-RED-M", "quantity": 1}, {"sku": "TEE-RED-L", "quantity": 1}],
        shipping_fee="0.00",
    )

    assert codes(order) == ["line.multiple_sizes"]


def test_engraving_too_long_for_the_ring(api, catalogue):
    order = create_order(
        api,
        customer=customer("chen", SHANGHAI_HOME),
        shipping_address=SHANGHAI_HOME,
        lines=[{"sku": "RING-SILVER-12", "quantity": 1}],
        shipping_fee="0.00",
        special_requests={"engraving": "致我最爱的陈静小姐"},
    )

    assert codes(order) == ["request.engraving"]
    engraving = order["checks"][0]
    assert engraving["severity"] == "blocker"
    assert order["open_blockers"] == 1
    assert "致我最爱的陈静小姐" in engraving["message"]


def test_a_clean_order_has_no_checks(api, catalogue):
    order = create_order(api)

    assert codes(order, status=None) == []
    assert order["status"] == "pending_confirmation"


def test_check_messages_read_in_chinese_by_default_and_english_on_request(api, catalogue):
    order = create_order(
        api,
        customer=customer("li", SHANGHAI_WORK),
        shipping_address=SHANGHAI_WORK,
        lines=[{"sku": "SOFA-GREY", "quantity": 1}],
        shipping_fee="0.00",
    )

    chinese = order["checks"][0]["message"]
    english = api.get(f"/api/v1/orders/{order['id']}/", headers={"Accept-Language": "en"}).json()["checks"][0]

    assert "大件" in chinese
    assert "Bulky goods" in english["message"]
