"""The issue's "done" scenario over REST, end to end: 5 off, 95折, free shipping, merge and unmerge,
with totals right to the cent and the whole history readable."""

import json

import pytest

from tests.orders.helpers import act, create_flat_fee_order

pytestmark = pytest.mark.django_db


def test_an_agents_day_of_edits(agent_api, api, catalogue):
    five_off = create_flat_fee_order(api)
    percent = create_flat_fee_order(
        api, customer={"external_id": "buyer-2"}, lines=[{"sku": "TEE-RED-M", "quantity": 2}]
    )
    free_shipping = create_flat_fee_order(api, customer={"external_id": "buyer-3"}, payment_status="unpaid")
    first, second = (
        create_flat_fee_order(api, customer={"external_id": "buyer-4"}, lines=[{"sku": sku, "quantity": 1}])
        for sku in ("TEE-WHITE-M", "SHOE-WHITE-42")
    )

    assert act(agent_api, five_off, "adjust-price", {"amount": "-5.00", "reason": "老客户"}).json()["totals"] == {
        "items": "99.00",
        "adjustment": "-5.00",
        "shipping": "10.00",
        "total": "104.00",
    }
    assert act(agent_api, percent, "adjust-price", {"percent": "95", "reason": "95折"}).json()["totals"] == {
        "items": "198.00",
        "adjustment": "-9.90",
        "shipping": "10.00",
        "total": "198.10",
    }
    assert act(agent_api, free_shipping, "adjust-shipping", {"fee": "0.00", "reason": "包邮"}).json()["totals"] == {
        "items": "99.00",
        "adjustment": "0.00",
        "shipping": "0.00",
        "total": "99.00",
    }
    merged = agent_api.post(
        "/api/v1/orders/merge/",
        data=json.dumps({"order_ids": [first["id"], second["id"]], "reason": "同一地址合并发货"}),
        content_type="application/json",
    ).json()
    assert merged["totals"] == {"items": "358.00", "adjustment": "0.00", "shipping": "0.00", "total": "358.00"}
    assert merged["refund_due"] == "20.00"
    unmerged = act(agent_api, merged, "unmerge", {"reason": "买家要求分开发"}).json()
    assert unmerged["status"] == "cancelled"

    def history(order: dict) -> list[tuple[str, str]]:
        body = agent_api.get(f"/api/v1/orders/{order['id']}/").json()
        return [(event["type"], event["actor"]) for event in body["events"] if event["actor"] != "storefront:shop-a"]

    agent = agent_api.user.username
    assert history(five_off) == [("price_adjusted", agent)]
    assert history(percent) == [("price_adjusted", agent)]
    # set below the rules on purpose: the edit's reason acknowledges shipping.fee_below_rule
    assert history(free_shipping) == [
        ("shipping_adjusted", agent),
        ("checks_run", agent),
        ("check_acknowledged", agent),
    ]
    assert history(first) == [("merged", agent), ("unmerged", agent)]
    assert [event["type"] for event in unmerged["events"]] == ["merged", "status_changed", "unmerged"]
    for order in (first, second):
        restored = agent_api.get(f"/api/v1/orders/{order['id']}/").json()
        assert (restored["status"], restored["totals"], restored["amount_paid"]) == (
            order["status"],
            order["totals"],
            order["amount_paid"],
        )
