"""Payments and refunds over REST (API.md 1.1): balance due, replays by reference, who may, every refusal."""

import pytest

from orders.messaging.models import Message
from orders.models import Order, OrderEvent, PaymentRecord
from tests.orders.helpers import act, codes, create_confirmed_order, create_flat_fee_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpaid(api, catalogue) -> dict:
    """99.00 of goods and 10.00 shipping, not paid yet."""
    return create_flat_fee_order(api, payment_status="unpaid")


@pytest.fixture
def paid(api, catalogue) -> dict:
    """99.00 of goods and 10.00 shipping, paid 109.00."""
    return create_flat_fee_order(api)


def pay(client, order, amount="109.00", reference="ALI001", **extra):
    return act(client, order, "payments", {"amount": amount, "reference": reference, **extra})


def refund(client, order, amount, reference="RF001", reason="退差价"):
    return act(client, order, "refunds", {"amount": amount, "reference": reference, "reason": reason})


def money(order: dict | int) -> tuple[str, str, str, str]:
    stored = Order.objects.get(pk=order if isinstance(order, int) else order["id"])
    return str(stored.amount_paid), str(stored.balance_due), str(stored.refund_due), stored.payment_status


def messages(order: dict, kind: str) -> list[Message]:
    return list(Message.objects.filter(order_id=order["id"], kind=kind).order_by("id"))


# --- balance_due in the order body ---------------------------------------------------------------------------


def test_the_body_says_what_the_buyer_still_owes(api, unpaid, paid):
    assert (unpaid["amount_paid"], unpaid["balance_due"], unpaid["refund_due"]) == ("0.00", "109.00", "0.00")
    assert (paid["amount_paid"], paid["balance_due"], paid["refund_due"]) == ("109.00", "0.00", "0.00")
    assert api.get(f"/api/v1/orders/{paid['id']}/").json()["balance_due"] == "0.00"


# --- payments ------------------------------------------------------------------------------------------------


def test_the_storefront_says_an_unpaid_order_was_paid(api, unpaid):
    response = pay(api, unpaid, paid_at="2026-11-22T12:00:00+08:00")

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["amount"], body["reference"], body["replayed"]) == ("payment", "109.00", "ALI001", False)
    assert body["paid_at"].startswith("2026-11-22T")
    assert body["order"]["payment_status"] == "paid"
    assert (body["order"]["amount_paid"], body["order"]["balance_due"]) == ("109.00", "0.00")
    assert response.headers["ETag"] == f'"{body["order"]["version"]}"'
    event = OrderEvent.objects.get(order_id=unpaid["id"], type="payment_recorded")
    assert event.actor_label == "storefront:shop-a"
    assert event.data["amount_paid"] == {"before": "0.00", "after": "109.00"}
    assert event.data["payment_status"] == {"before": "unpaid", "after": "paid"}


def test_a_part_payment_leaves_the_order_unpaid_with_the_rest_due(api, unpaid):
    pay(api, unpaid, amount="100.00")

    assert money(unpaid) == ("100.00", "9.00", "0.00", "unpaid")
    pay(api, unpaid, amount="9.00", reference="ALI002")
    assert money(unpaid) == ("109.00", "0.00", "0.00", "paid")


def test_paying_more_than_is_due_leaves_a_refund_due(api, unpaid):
    pay(api, unpaid, amount="120.00")

    assert money(unpaid) == ("120.00", "0.00", "11.00", "paid")


def test_the_same_reference_and_amount_again_is_a_replay_counted_once(api, unpaid):
    first = pay(api, unpaid)
    again = pay(api, unpaid)

    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["id"] == first.json()["id"]
    assert money(unpaid) == ("109.00", "0.00", "0.00", "paid")
    assert PaymentRecord.objects.filter(order_id=unpaid["id"]).count() == 1
    assert OrderEvent.objects.filter(order_id=unpaid["id"], type="payment_recorded").count() == 1


def test_the_same_reference_with_another_amount_is_a_conflict(api, unpaid):
    pay(api, unpaid, amount="100.00")
    before = Order.objects.get(pk=unpaid["id"]).version

    response = pay(api, unpaid, amount="109.00")

    assert response.status_code == 409
    assert response.json()["code"] == "payment_reference_conflict"
    assert response.json()["data"]["amount"] == "100.00"
    assert money(unpaid) == ("100.00", "9.00", "0.00", "unpaid")
    assert Order.objects.get(pk=unpaid["id"]).version == before


def test_the_same_reference_on_another_order_is_another_payment(api, unpaid, catalogue):
    other = create_flat_fee_order(api, payment_status="unpaid", customer={"external_id": "buyer-9"})

    assert pay(api, unpaid).status_code == 201
    assert pay(api, other).status_code == 201


@pytest.mark.parametrize("amount", ["0.00", "-1.00", "0"])
def test_an_amount_of_zero_or_less_is_refused(api, unpaid, amount):
    response = pay(api, unpaid, amount=amount)

    assert response.status_code == 400
    assert "amount" in response.json()["fields"]
    assert not PaymentRecord.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 6, "reference": "A"},  # a JSON number: money is a string
        {"amount": "6.001", "reference": "A"},
        {"amount": "6.00"},
        {"amount": "6.00", "reference": ""},
        {"amount": "6.00", "reference": "   "},
        {"amount": "6.00", "reference": "x" * 65},
        {"amount": "6.00", "reference": "A", "paid_at": "yesterday"},
    ],
)
def test_malformed_payments_are_refused_with_field_errors(api, unpaid, body):
    response = act(api, unpaid, "payments", body)

    assert response.status_code == 400
    assert response.json()["fields"]
    assert not PaymentRecord.objects.exists()


def test_payments_go_to_the_primary_of_a_merge(api, agent_api, catalogue):
    first, second = (
        create_flat_fee_order(api, customer={"external_id": "buyer-7"}, payment_status="unpaid") for _ in "ab"
    )
    primary = agent_api.post(
        "/api/v1/orders/merge/",
        data={"order_ids": [first["id"], second["id"]], "reason": "同一地址"},
        format="json",
    ).json()

    response = pay(api, first)

    assert response.status_code == 409
    assert response.json()["code"] == "payment_refused"
    assert response.json()["data"]["merged_into"] == primary["id"]
    assert api.get(f"/api/v1/orders/{first['id']}/").json()["balance_due"] == "0.00"  # its money is the primary's
    assert pay(api, primary, amount=primary["totals"]["total"]).status_code == 201


def test_a_cancelled_order_takes_no_payment(api, agent_api, unpaid):
    act(agent_api, unpaid, "cancel", {"reason": "买家不要了"})

    assert pay(api, unpaid).json()["code"] == "payment_refused"


# --- who may -------------------------------------------------------------------------------------------------


def test_agents_and_supervisors_record_payments_warehouse_may_not(agent_api, supervisor_api, warehouse_api, unpaid):
    assert pay(warehouse_api, unpaid, amount="1.00").status_code == 403
    assert pay(agent_api, unpaid, amount="1.00", reference="A1").status_code == 201
    assert pay(supervisor_api, unpaid, amount="1.00", reference="A2").status_code == 201
    event = OrderEvent.objects.filter(order_id=unpaid["id"], type="payment_recorded").first()
    assert event.actor == agent_api.user


def test_only_supervisors_and_storefronts_record_refunds(agent_api, supervisor_api, warehouse_api, api, paid):
    act(agent_api, paid, "adjust-price", {"amount": "-9.00", "reason": "老客户"})

    assert refund(agent_api, paid, "1.00").status_code == 403
    assert refund(warehouse_api, paid, "1.00").status_code == 403
    assert refund(supervisor_api, paid, "1.00", reference="R1").status_code == 201
    assert refund(api, paid, "1.00", reference="R2").status_code == 201


def test_another_storefronts_order_is_not_found(other_api, unpaid, paid):
    assert pay(other_api, unpaid).status_code == 404
    assert refund(other_api, paid, "1.00").status_code == 404
    assert other_api.get(f"/api/v1/orders/{unpaid['id']}/payments/").status_code == 404


def test_anonymous_callers_get_401_with_json(client, unpaid):
    response = client.post(f"/api/v1/orders/{unpaid['id']}/payments/", {"amount": "1.00", "reference": "A"})

    assert response.status_code == 401
    assert response.json()["code"]


def test_the_ledger_lists_payments_and_refunds_oldest_first(api, agent_api, supervisor_api, unpaid):
    pay(api, unpaid, amount="120.00")
    refund(supervisor_api, unpaid, "11.00")

    body = agent_api.get(f"/api/v1/orders/{unpaid['id']}/payments/").json()

    assert [(row["kind"], row["amount"], row["recorded_by"]) for row in body["results"]] == [
        ("payment", "120.00", "storefront:shop-a"),
        ("refund", "11.00", supervisor_api.user.username),
    ]


# --- refunds -------------------------------------------------------------------------------------------------


def test_a_refund_of_a_discount_after_payment_is_recorded_and_the_buyer_told(api, agent_api, paid):
    act(agent_api, paid, "adjust-price", {"percent": "95", "reason": "活动价95折"})
    assert money(paid) == ("109.00", "0.00", "4.95", "paid")

    response = refund(api, paid, "4.95", reason="95折退差价")

    assert response.status_code == 201
    assert response.json()["order"]["refund_due"] == "0.00"
    assert money(paid) == ("104.05", "0.00", "0.00", "paid")
    [message] = messages(paid, "refund_issued")
    assert "¥4.95" in message.body and "95折退差价" in message.body and "RF001" in message.body
    event = OrderEvent.objects.get(order_id=paid["id"], type="refund_recorded")
    assert event.data["refund_due"] == {"before": "4.95", "after": "0.00"}
    assert event.data["reason"] == "95折退差价"


def test_a_refund_replay_sends_no_second_message(api, agent_api, paid):
    act(agent_api, paid, "adjust-price", {"amount": "-5.00", "reason": "老客户"})
    refund(api, paid, "5.00")

    again = refund(api, paid, "5.00")

    assert again.status_code == 200 and again.json()["replayed"] is True
    assert len(messages(paid, "refund_issued")) == 1
    assert money(paid) == ("104.00", "0.00", "0.00", "paid")


def test_two_refunds_are_two_messages(api, agent_api, paid):
    act(agent_api, paid, "adjust-price", {"amount": "-5.00", "reason": "老客户"})
    refund(api, paid, "2.00", reference="R1")
    refund(api, paid, "3.00", reference="R2")

    assert len(messages(paid, "refund_issued")) == 2


def test_a_refund_above_the_refund_due_is_refused(api, agent_api, paid):
    act(agent_api, paid, "adjust-price", {"amount": "-5.00", "reason": "老客户"})

    response = refund(api, paid, "5.01")

    assert response.status_code == 409
    assert response.json()["code"] == "refund_exceeds_due"
    assert response.json()["data"]["refund_due"] == "5.00"
    assert money(paid) == ("109.00", "0.00", "5.00", "paid")
    assert not messages(paid, "refund_issued")


def test_nothing_to_refund_is_refused(api, paid):
    assert refund(api, paid, "1.00").json()["code"] == "refund_exceeds_due"


def test_a_refund_needs_a_reason(api, agent_api, paid):
    act(agent_api, paid, "adjust-price", {"amount": "-5.00", "reason": "老客户"})

    response = act(api, paid, "refunds", {"amount": "5.00", "reference": "R1"})

    assert response.status_code == 400
    assert "reason" in response.json()["fields"]


def test_a_refund_may_not_reuse_a_payments_reference(api, agent_api, unpaid):
    pay(api, unpaid, amount="120.00", reference="SAME")

    response = refund(api, unpaid, "11.00", reference="SAME")

    assert response.status_code == 409
    assert response.json()["code"] == "payment_reference_conflict"


def test_refunding_everything_paid_makes_the_order_refunded(api, supervisor_api, paid):
    act(supervisor_api, paid, "adjust-price", {"amount": "-99.00", "reason": "质量问题全额补偿"})
    act(supervisor_api, paid, "adjust-shipping", {"fee": "0.00", "reason": "质量问题全额补偿"})

    refund(api, paid, "109.00")

    assert money(paid) == ("0.00", "0.00", "0.00", "refunded")


# --- a paid order's price or fee goes up ----------------------------------------------------------------------


def test_raising_a_paid_orders_fee_asks_the_buyer_for_the_difference(api, agent_api, paid):
    response = act(agent_api, paid, "adjust-shipping", {"fee": "16.00", "reason": "改发顺丰"})

    body = response.json()
    assert (body["balance_due"], body["payment_status"]) == ("6.00", "paid")
    check = next(c for c in body["checks"] if c["code"] == "payment.balance_due")
    assert (check["severity"], check["status"], check["data"]["balance_due"]) == ("blocker", "open", "6.00")
    [message] = messages(paid, "balance_due")
    assert "¥6.00" in message.body and "改发顺丰" in message.body and "shop-a" in message.body
    types = [(e["type"], e["data"].get("kind")) for e in body["events"]]
    assert types.index(("shipping_adjusted", "shipping_fee")) < types.index(("message_queued", "balance_due"))


def test_a_payment_covering_the_balance_resolves_the_blocker(api, agent_api, paid):
    act(agent_api, paid, "adjust-price", {"amount": "12.50", "reason": "加急定制"})

    response = pay(api, paid, amount="12.50", reference="ALI-DIFF")

    assert response.json()["order"]["open_blockers"] == 0
    body = api.get(f"/api/v1/orders/{paid['id']}/").json()
    assert "payment.balance_due" not in codes(body)
    assert [c["status"] for c in body["checks"] if c["code"] == "payment.balance_due"] == ["resolved"]


def test_a_part_payment_of_the_balance_keeps_the_blocker(api, agent_api, paid):
    act(agent_api, paid, "adjust-price", {"amount": "12.50", "reason": "加急定制"})

    pay(api, paid, amount="10.00", reference="ALI-DIFF")

    body = api.get(f"/api/v1/orders/{paid['id']}/").json()
    check = next(c for c in body["checks"] if c["code"] == "payment.balance_due")
    assert (check["status"], check["data"]["balance_due"]) == ("open", "2.50")


def test_each_raise_is_its_own_balance_due_message(agent_api, paid):
    act(agent_api, paid, "adjust-price", {"amount": "1.00", "reason": "a"})
    act(agent_api, paid, "adjust-price", {"amount": "2.00", "reason": "b"})

    assert [m.body.count("¥") > 0 for m in messages(paid, "balance_due")] == [True, True]
    assert "¥3.00" in messages(paid, "balance_due")[1].body  # the whole balance now


def test_a_raise_that_only_takes_back_a_refund_due_asks_nothing(agent_api, paid):
    act(agent_api, paid, "adjust-price", {"amount": "-5.00", "reason": "a"})
    act(agent_api, paid, "adjust-price", {"amount": "3.00", "reason": "b"})

    assert not messages(paid, "balance_due")
    assert money(paid) == ("109.00", "0.00", "2.00", "paid")


def test_more_items_on_a_paid_order_ask_for_the_difference(agent_api, paid):
    response = act(agent_api, paid, "adjust-price", {"amount": "0.01", "reason": "x"})
    assert response.status_code == 200
    agent_api.patch(
        f"/api/v1/orders/{paid['id']}/", {"lines": [{"id": paid["lines"][0]["id"], "quantity": 2}]}, format="json"
    )

    assert money(paid) == ("109.00", "99.01", "0.00", "paid")
    assert "订单内容有调整" in messages(paid, "balance_due")[-1].body


def test_raising_an_unpaid_order_sends_nothing(agent_api, unpaid):
    body = act(agent_api, unpaid, "adjust-shipping", {"fee": "16.00", "reason": "改发顺丰"}).json()

    assert not messages(unpaid, "balance_due")
    assert "payment.balance_due" not in codes(body)
    assert body["balance_due"] == "115.00"  # the buyer pays the new total


# --- nothing owing ships --------------------------------------------------------------------------------------


def test_an_unpaid_order_does_not_ship_until_paid(api, agent_api, warehouse_api, catalogue):
    order = create_confirmed_order(api, agent_api, payment_status="unpaid", shipping_fee="10.00")
    ship = {"courier": "ZTO", "tracking_number": "753456789012"}

    refused = act(warehouse_api, order, "ship", ship)

    assert refused.status_code == 409
    assert refused.json()["code"] == "payment_due"
    assert refused.json()["data"]["balance_due"] == "109.00"
    assert Order.objects.get(pk=order["id"]).status == "confirmed"
    pay(api, order)
    assert act(warehouse_api, order, "ship", ship).json()["status"] == "shipped"


def test_a_confirmed_order_raised_after_payment_waits_for_the_difference(api, agent_api, warehouse_api, catalogue):
    order = create_confirmed_order(api, agent_api, shipping_fee="10.00")

    body = act(agent_api, order, "adjust-price", {"amount": "6.00", "reason": "加购"}).json()

    assert body["status"] == "pending_confirmation"  # the blocker sends it back to the queue
    assert act(agent_api, order, "confirm").json()["code"] == "open_blockers"
    pay(api, order, amount="6.00")
    assert act(agent_api, order, "confirm").json()["status"] == "confirmed"
    ship = {"courier": "ZTO", "tracking_number": "753456789012"}
    assert act(warehouse_api, order, "ship", ship).json()["status"] == "shipped"


def test_a_merge_with_money_moved_since_cannot_be_unmerged(api, agent_api, catalogue):
    first, second = (create_flat_fee_order(api, customer={"external_id": "buyer-8"}) for _ in "ab")
    primary = agent_api.post(
        "/api/v1/orders/merge/", data={"order_ids": [first["id"], second["id"]], "reason": "同一地址"}, format="json"
    ).json()
    assert primary["refund_due"] == "20.00"  # 198.00 of goods ship free: both fees back
    refund(api, primary, "20.00", reason="合并发货退运费")

    response = act(agent_api, primary, "unmerge", {"reason": "买家要求分开发"})

    assert response.status_code == 409
    assert [r["code"] for r in response.json()["data"]["refusals"]] == ["payments_recorded"]
    assert Order.objects.get(pk=first["id"]).status == "merged"


def test_a_cancelled_paid_order_owes_the_buyer_everything_paid(api, agent_api, paid):
    body = act(agent_api, paid, "cancel", {"reason": "缺货，买家同意取消"}).json()

    assert (body["status"], body["refund_due"]) == ("cancelled", "109.00")
    cancelled = next(e for e in body["events"] if e["type"] == "cancelled")
    assert cancelled["data"]["refund_due"] == "109.00"
    assert refund(api, paid, "109.00", reason="取消订单全额退款").status_code == 201
    assert money(paid) == ("0.00", "0.00", "0.00", "refunded")  # a cancelled order owes nothing
    assert len(messages(paid, "refund_issued")) == 1


def test_a_cancelled_unpaid_order_owes_nothing(api, agent_api, unpaid):
    body = act(agent_api, unpaid, "cancel", {"reason": "买家不要了"}).json()

    assert (body["refund_due"], body["balance_due"]) == ("0.00", "0.00")
    assert "refund_due" not in next(e for e in body["events"] if e["type"] == "cancelled")["data"]
