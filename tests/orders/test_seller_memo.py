"""The seller's memo (卖家备注): optional in the order body and the PATCH, read for requests like the
buyer's note (findings name their source), and, like a note, never auto-confirmed."""

import pytest
from django.test import Client

from orders.models import Order, ShopSettings
from orders.roles import WAREHOUSE
from orders.shop_config import shop_config_invalidate
from tests.factories import order_payload
from tests.orders.helpers import create_confirmed_order, create_order, patch

pytestmark = pytest.mark.django_db


def found(order: dict) -> list[dict]:
    check = next((c for c in order["checks"] if c["code"] == "request.in_note" and c["status"] != "resolved"), None)
    return check["data"]["found"] if check else []


def test_the_order_body_takes_a_seller_memo_and_its_requests_are_findings(api, catalogue):
    order = create_order(api, buyer_note="", seller_memo="已与买家确认：发京东，易碎")

    assert order["seller_memo"] == "已与买家确认：发京东，易碎"
    assert [(f["kind"], f["value"], f["source"]) for f in found(order)] == [
        ("courier", "JD", "seller_memo"),
        ("fragile", None, "seller_memo"),
    ]


def test_a_seller_memo_is_optional_and_blank_by_default(api, catalogue):
    order = create_order(api)

    assert order["seller_memo"] == ""


def test_a_seller_memo_past_its_limit_is_a_field_error_and_nothing_is_stored(api, catalogue):
    response = api.post("/api/v1/orders/", data=order_payload(seller_memo="x" * 1001), format="json")

    assert response.status_code == 400
    assert "seller_memo" in response.json()["fields"]
    assert not Order.objects.exists()


def test_an_agent_writes_the_memo_over_patch_and_the_checks_read_it(api, agent_api, catalogue):
    order = create_order(api, buyer_note="")

    response = patch(agent_api, order, {"seller_memo": "买家电话说要发票"})

    assert response.status_code == 200
    body = response.json()
    assert body["seller_memo"] == "买家电话说要发票"
    assert [(f["kind"], f["source"]) for f in found(body)] == [("invoice", "seller_memo")]
    event = next(e for e in body["events"] if e["type"] == "requests_changed")
    assert event["data"]["seller_memo"] == {"before": "", "after": "买家电话说要发票"}


def test_findings_of_both_notes_say_where_they_came_from(api, catalogue):
    order = create_order(api, buyer_note="请发顺丰", seller_memo="易碎品")

    assert [(f["kind"], f["source"]) for f in found(order)] == [("courier", "buyer_note"), ("fragile", "seller_memo")]


def test_auto_confirm_leaves_an_order_with_a_seller_memo_to_an_agent(api, catalogue):
    ShopSettings.objects.filter(pk=1).update(auto_confirm=True)
    shop_config_invalidate()

    memo = create_order(api, buyer_note="", seller_memo="老客户")
    clean = create_order(api, buyer_note="", seller_memo="  ", customer={"external_id": "buyer-clean"})

    assert memo["status"] == "pending_confirmation"
    assert clean["status"] == "confirmed"


def test_a_merge_keeps_the_memo_of_every_original(api, agent_api, catalogue):
    first = create_order(api, buyer_note="", seller_memo="易碎")
    second = create_order(api, buyer_note="", seller_memo="发票已开", lines=[{"sku": "SHOE-WHITE-40", "quantity": 1}])

    response = agent_api.post("/api/v1/orders/merge/", {"order_ids": [first["id"], second["id"]]}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["seller_memo"] == "易碎\n发票已开"


def test_the_pick_list_shows_the_memo(api, agent_api, catalogue, staff_user):
    order = create_confirmed_order(api, agent_api, buyer_note="", seller_memo="已和买家确认：周六送")
    client = Client()
    client.force_login(staff_user(WAREHOUSE))

    response = client.get(f"/admin/warehouse/pick-list/?ids={order['id']}")

    assert response.status_code == 200
    assert "已和买家确认：周六送" in response.content.decode()
