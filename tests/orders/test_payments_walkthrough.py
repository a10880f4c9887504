"""Issue 15's "Done means" for money, posted over REST: the SF difference is asked for, paid, and the order
ships; the 95折 and the merge refunds are recorded and the buyer told."""

import pytest

from orders.messaging.models import Message
from tests.factories import SHANGHAI_HOME
from tests.orders.helpers import act, codes, create_flat_fee_order

pytestmark = pytest.mark.django_db


def messages(order: dict, kind: str) -> list[Message]:
    return list(Message.objects.filter(order_id=order["id"], kind=kind).order_by("id"))


def read(client, order: dict) -> dict:
    return client.get(f"/api/v1/orders/{order['id']}/").json()


def acknowledge_warnings(agent_api, order: dict) -> None:
    for check in read(agent_api, order)["checks"]:
        if check["severity"] == "warning" and check["status"] == "open":
            response = act(agent_api, order, f"checks/{check['code']}/acknowledge", {"note": "已与买家核对"})
            assert response.status_code == 200, response.content


def test_sf_to_shanghai_with_the_base_fee_paid_is_asked_for_paid_and_shipped(api, agent_api, warehouse_api, catalogue):
    order = create_flat_fee_order(
        api, shipping_address=SHANGHAI_HOME, shipping_fee="6.00", special_requests={"courier": "SF"}
    )
    # The buyer paid Shanghai's base fee (6.00); the check says SF's surcharge, 6.00, is owed.
    due = next(c for c in order["checks"] if c["code"] == "request.courier_surcharge_due")
    assert due["data"]["due"] == "6.00"
    assert order["payment_status"] == "paid" and order["balance_due"] == "0.00"

    # The agent raises the fee by the rules (补差价): a balance due, the blocker, a message to the buyer.
    body = act(agent_api, order, "adjust-shipping", {"fee": "12.00", "reason": "顺丰到上海加收6元"}).json()
    assert (body["totals"]["total"], body["balance_due"]) == ("111.00", "6.00")
    assert "request.courier_surcharge_due" not in codes(body)
    assert "payment.balance_due" in codes(body)
    [asked] = messages(order, "balance_due")
    assert "¥6.00" in asked.body and "顺丰到上海加收6元" in asked.body and "【shop-a】" in asked.body
    assert "补付" in asked.body  # how to pay, on the storefront

    # Nothing ships before the buyer pays: the confirm is refused on the blocker.
    assert act(agent_api, order, "confirm").json()["code"] == "open_blockers"

    # The storefront posts the payment (twice: the second is a replay, counted once).
    payment = {"amount": "6.00", "reference": "ALI2026112200001", "paid_at": "2026-11-22T12:00:00+08:00"}
    assert act(api, order, "payments", payment).status_code == 201
    replay = act(api, order, "payments", payment)
    assert (replay.status_code, replay.json()["order"]["amount_paid"]) == (200, "111.00")

    body = read(agent_api, order)
    assert (body["balance_due"], body["payment_status"], body["open_blockers"]) == ("0.00", "paid", 0)

    # The agent confirms with the buyer, the warehouse ships with the promised courier.
    acknowledge_warnings(agent_api, order)
    assert act(agent_api, order, "confirm").json()["status"] == "confirmed"
    shipped = act(warehouse_api, order, "ship", {"courier": "SF", "tracking_number": "SF1234567890123"})
    assert shipped.status_code == 200, shipped.content
    assert shipped.json()["status"] == "shipped"

    types = [event["type"] for event in read(agent_api, order)["events"]]
    assert types.index("shipping_adjusted") < types.index("payment_recorded") < types.index("shipped")
    assert types.count("payment_recorded") == 1


def test_the_95_percent_and_merge_refunds_are_recorded_and_the_buyer_told(api, agent_api, catalogue):
    # 95折 on a paid order of two shirts: 9.90 back.
    percent = create_flat_fee_order(
        api, customer={"external_id": "buyer-2"}, lines=[{"sku": "TEE-RED-M", "quantity": 2}]
    )
    body = act(agent_api, percent, "adjust-price", {"percent": "95", "reason": "活动价95折"}).json()
    assert body["refund_due"] == "9.90"

    # Two paid orders of one buyer to one address, merged: the second shipping fee and free shipping, 20.00 back.
    first, second = (
        create_flat_fee_order(api, customer={"external_id": "buyer-4"}, lines=[{"sku": sku, "quantity": 1}])
        for sku in ("TEE-WHITE-M", "SHOE-WHITE-42")
    )
    merged = agent_api.post(
        "/api/v1/orders/merge/",
        data={"order_ids": [first["id"], second["id"]], "reason": "同一地址合并发货"},
        format="json",
    ).json()
    assert merged["refund_due"] == "20.00"

    for order, amount, reference, reason in (
        (percent, "9.90", "RF-95", "95折退差价"),
        (merged, "20.00", "RF-MERGE", "合并发货退运费"),
    ):
        response = act(api, order, "refunds", {"amount": amount, "reference": reference, "reason": reason})
        assert response.status_code == 201, response.content
        assert response.json()["order"]["refund_due"] == "0.00"
        [told] = messages(order, "refund_issued")
        assert f"¥{amount}" in told.body and reason in told.body and reference in told.body
        history = read(agent_api, order)["events"]
        refunded = next(event for event in history if event["type"] == "refund_recorded")
        assert refunded["data"]["refund_due"] == {"before": amount, "after": "0.00"}

    # Nothing more to refund.
    again = act(api, merged, "refunds", {"amount": "0.01", "reference": "RF-MORE", "reason": "x"})
    assert again.json()["code"] == "refund_exceeds_due"
