"""Fees off the rules over REST: named at intake, fixed or kept on purpose with the shipping edit."""

from orders.models import CheckResult
from tests.orders.helpers import act, codes, create_order

HEILONGJIANG = {"province": "黑龙江省", "city": "哈尔滨市", "district": "南岗区", "street": "西大直街92号"}


def fee_check(order_id: int, code: str) -> CheckResult:
    return CheckResult.objects.get(order_id=order_id, code=code)


def test_a_fee_below_the_rule_is_named_and_fixed_by_charging_the_rule(agent_api, api, catalogue):
    order = create_order(api, shipping_address=HEILONGJIANG, shipping_fee="0.00", payment_status="unpaid")
    check = next(c for c in order["checks"] if c["code"] == "shipping.fee_below_rule")
    assert (check["severity"], check["data"]["expected"], check["data"]["difference"]) == ("warning", "10.00", "10.00")

    response = act(agent_api, order, "adjust-shipping", {"fee": "10.00", "reason": "按规则收运费"})

    assert response.status_code == 200, response.content
    assert "shipping.fee_below_rule" not in codes(response.json())
    assert fee_check(order["id"], "shipping.fee_below_rule").status == "resolved"


def test_a_fee_kept_off_the_rule_on_purpose_is_acknowledged_by_the_edits_reason(agent_api, api, catalogue):
    order = create_order(api, shipping_fee="6.00")

    response = act(agent_api, order, "adjust-shipping", {"fee": "0.00", "reason": "老客户包邮"})

    assert response.status_code == 200, response.content
    check = fee_check(order["id"], "shipping.fee_below_rule")
    assert (check.status, check.note, check.resolved_by) == ("acknowledged", "老客户包邮", agent_api.user)
    assert response.json()["refund_due"] == "6.00"  # paid: lowering the fee refunds the difference


def test_a_fee_above_the_rule_on_a_paid_order_is_lowered_and_refunded(agent_api, api, catalogue):
    order = create_order(api, lines=[{"sku": "TEE-RED-M", "quantity": 2}], shipping_fee="10.00")  # 198.00: free
    assert "shipping.fee_above_rule" in codes(order)

    response = act(agent_api, order, "adjust-shipping", {"fee": "0.00", "reason": "满108包邮"})

    assert response.status_code == 200, response.content
    assert "shipping.fee_above_rule" not in codes(response.json())
    assert response.json()["refund_due"] == "10.00"


def test_a_confirmed_order_given_free_shipping_on_purpose_stays_confirmed(agent_api, api, catalogue):
    order = create_order(api, shipping_fee="6.00")
    assert act(agent_api, order, "confirm").status_code == 200

    response = act(agent_api, order, "adjust-shipping", {"fee": "0.00", "reason": "老客户包邮"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"
    assert codes(response.json(), status="acknowledged") == ["shipping.fee_below_rule"]
