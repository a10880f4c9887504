"""Agents' price and shipping edits over REST (改价, 改运费): money right to the cent, limits per role,
paid orders, a reason and a history row for every edit, optimistic locking."""

import pytest

from orders.models import Order, OrderEvent, PriceEdit, ShopSettings
from orders.shop_config import shop_config_invalidate
from tests.orders.helpers import act, codes, create_flat_fee_order

pytestmark = pytest.mark.django_db

TEE = {"sku": "TEE-RED-M", "quantity": 1, "unit_price": "99.00"}


@pytest.fixture
def unpaid(api, catalogue) -> dict:
    """99.00 of goods and 10.00 shipping, not paid yet."""
    return create_flat_fee_order(api, payment_status="unpaid")


@pytest.fixture
def paid(api, catalogue) -> dict:
    """99.00 of goods and 10.00 shipping, paid 109.00."""
    return create_flat_fee_order(api)


def adjust(client, order, body, **headers):
    return act(client, order, "adjust-price", body, **headers)


def totals(response) -> dict:
    return response.json()["totals"]


def unchanged(order: dict) -> bool:
    """The order is exactly as the given response left it: no write, no edit row, no event."""
    stored = Order.objects.get(pk=order["id"])
    return (
        stored.version == order["version"]
        and str(stored.total) == order["totals"]["total"]
        and str(stored.refund_due) == order["refund_due"]
        and not PriceEdit.objects.filter(order_id=order["id"]).exists()
        and not OrderEvent.objects.filter(order_id=order["id"], type__in=["price_adjusted", "shipping_adjusted"])
    )


# --- order-level amounts and percentages ---------------------------------------------------------------------


def test_five_off_an_unpaid_order_is_what_the_buyer_pays(agent_api, unpaid):
    response = adjust(agent_api, unpaid, {"amount": "-5.00", "reason": "老客户优惠"})

    assert response.status_code == 200, response.content
    assert totals(response) == {"items": "99.00", "adjustment": "-5.00", "shipping": "10.00", "total": "104.00"}
    assert (response.json()["amount_paid"], response.json()["refund_due"]) == ("0.00", "0.00")


def test_a_discount_on_a_paid_order_becomes_a_refund_due(agent_api, paid):
    response = adjust(agent_api, paid, {"amount": "-5.00", "reason": "老客户优惠"})

    assert totals(response)["total"] == "104.00"
    assert (response.json()["amount_paid"], response.json()["refund_due"]) == ("109.00", "5.00")


def test_95_percent_of_99_takes_4_95_off(agent_api, paid):
    response = adjust(agent_api, paid, {"percent": "95", "reason": "活动95折"})

    assert totals(response) == {"items": "99.00", "adjustment": "-4.95", "shipping": "10.00", "total": "104.05"}
    edit = response.json()["price_edits"][0]
    assert (edit["kind"], edit["value"], edit["applied"]) == ("order_percent", "95.00", "-4.95")


def test_a_percentage_rounds_half_up_to_the_cent(agent_api, api, catalogue):
    order = create_flat_fee_order(api, payment_status="unpaid", lines=[{**TEE, "unit_price": "0.30"}])

    response = adjust(agent_api, order, {"percent": "95", "reason": "95折"})

    # 0.30 × -5% = -0.015 -> -0.02 (half-up, away from zero)
    assert totals(response)["adjustment"] == "-0.02"


def test_a_markup_on_an_unpaid_order_raises_what_the_buyer_pays(agent_api, unpaid):
    response = adjust(agent_api, unpaid, {"amount": "12.50", "reason": "买家加购包装"})

    assert totals(response)["total"] == "121.50"


def test_edits_add_up(agent_api, unpaid):
    adjust(agent_api, unpaid, {"amount": "-2.00", "reason": "a"})

    response = adjust(agent_api, unpaid, {"amount": "-3.00", "reason": "b"})

    assert totals(response)["adjustment"] == "-5.00"
    assert [e["applied"] for e in response.json()["price_edits"]] == ["-2.00", "-3.00"]


# --- lines ----------------------------------------------------------------------------------------------------


def test_a_line_discount_changes_the_line_and_the_items_total(agent_api, api, catalogue):
    order = create_flat_fee_order(api, lines=[TEE, {"sku": "SHOE-WHITE-40", "quantity": 1}], shipping_fee="0.00")
    shoe = order["lines"][1]

    response = adjust(agent_api, order, {"line_id": shoe["id"], "amount": "-20.00", "reason": "鞋盒破损"})

    assert response.status_code == 200, response.content
    lines = response.json()["lines"]
    assert (lines[1]["adjustment"], lines[1]["line_total"]) == ("-20.00", "239.00")
    assert totals(response) == {"items": "338.00", "adjustment": "0.00", "shipping": "0.00", "total": "338.00"}
    edit = response.json()["price_edits"][0]
    assert (edit["kind"], edit["line_id"]) == ("line_amount", shoe["id"])


def test_a_line_percentage_applies_to_that_line(agent_api, api, catalogue):
    order = create_flat_fee_order(api, lines=[{**TEE, "quantity": 2}, {"sku": "SHOE-WHITE-40", "quantity": 1}])
    tee = order["lines"][0]

    response = adjust(agent_api, order, {"line_id": tee["id"], "percent": "95", "reason": "两件95折"})

    assert response.json()["lines"][0]["line_total"] == "188.10"  # 198.00 - 9.90
    assert totals(response)["items"] == "447.10"


def test_a_line_of_another_order_is_refused(agent_api, api, catalogue, unpaid):
    other = create_flat_fee_order(api)

    response = adjust(agent_api, unpaid, {"line_id": other["lines"][0]["id"], "amount": "-1.00", "reason": "x"})

    assert response.status_code == 400
    assert "line_id" in response.json()["fields"]
    assert unchanged(unpaid)


# --- the agents' limit ------------------------------------------------------------------------------------------


def test_agents_may_take_at_most_ten_percent_of_the_goods(agent_api, unpaid):
    response = adjust(agent_api, unpaid, {"amount": "-10.00", "reason": "x"})

    assert response.status_code == 400
    assert response.json()["code"] == "discount_limit_exceeded"
    assert response.json()["data"]["allowance"] == "9.90"
    assert unchanged(unpaid)


def test_the_limit_counts_every_edit_of_the_order(agent_api, unpaid):
    assert adjust(agent_api, unpaid, {"amount": "-5.00", "reason": "a"}).status_code == 200
    before = agent_api.get(f"/api/v1/orders/{unpaid['id']}/").json()

    response = adjust(agent_api, unpaid, {"percent": "95", "reason": "b"})  # another 4.95: 9.95 > 9.90

    assert response.status_code == 400
    assert response.json()["data"]["discount_after"] == "9.95"
    assert Order.objects.get(pk=unpaid["id"]).version == before["version"]


def test_line_and_order_discounts_count_together(agent_api, unpaid):
    line = unpaid["lines"][0]
    adjust(agent_api, unpaid, {"line_id": line["id"], "amount": "-5.00", "reason": "a"})

    response = adjust(agent_api, unpaid, {"amount": "-5.00", "reason": "b"})

    assert response.json()["code"] == "discount_limit_exceeded"


def test_agents_may_take_at_most_fifty_off(agent_api, api, catalogue):
    sofa = create_flat_fee_order(api, lines=[{"sku": "SOFA-GREY", "quantity": 1}], payment_status="unpaid")

    assert adjust(agent_api, sofa, {"amount": "-50.01", "reason": "x"}).json()["code"] == "discount_limit_exceeded"
    assert adjust(agent_api, sofa, {"amount": "-50.00", "reason": "x"}).status_code == 200


def test_the_limits_are_shop_settings(agent_api, unpaid):
    ShopSettings.objects.filter(pk=1).update(agent_max_discount_percent=20)
    shop_config_invalidate()

    assert adjust(agent_api, unpaid, {"amount": "-19.80", "reason": "x"}).status_code == 200


def test_supervisors_have_no_discount_limit(supervisor_api, unpaid):
    response = adjust(supervisor_api, unpaid, {"amount": "-90.00", "reason": "质量问题补偿"})

    assert response.status_code == 200
    assert totals(response)["total"] == "19.00"


def test_an_agent_may_give_back_part_of_a_larger_discount(agent_api, supervisor_api, unpaid):
    adjust(supervisor_api, unpaid, {"amount": "-50.00", "reason": "主管特批"})

    response = adjust(agent_api, unpaid, {"amount": "10.00", "reason": "买家放弃赠品"})

    assert response.status_code == 200
    assert totals(response)["adjustment"] == "-40.00"


def test_a_markup_is_not_limited_by_the_discount_limit(agent_api, unpaid):
    assert adjust(agent_api, unpaid, {"amount": "500.00", "reason": "加急定制"}).status_code == 200


# --- never negative -------------------------------------------------------------------------------------------


def test_a_discount_never_takes_off_more_than_the_goods(supervisor_api, unpaid):
    response = adjust(supervisor_api, unpaid, {"amount": "-99.01", "reason": "x"})

    assert response.status_code == 400
    assert response.json()["code"] == "negative_total"
    assert unchanged(unpaid)


def test_a_line_never_goes_below_zero(supervisor_api, unpaid):
    response = adjust(supervisor_api, unpaid, {"line_id": unpaid["lines"][0]["id"], "amount": "-100", "reason": "x"})

    assert response.json()["code"] == "negative_total"
    assert unchanged(unpaid)


def test_the_goods_may_be_made_free(supervisor_api, unpaid):
    response = adjust(supervisor_api, unpaid, {"percent": "0", "reason": "赠送"})

    assert totals(response) == {"items": "99.00", "adjustment": "-99.00", "shipping": "10.00", "total": "10.00"}


# --- paid orders ----------------------------------------------------------------------------------------------


def test_a_markup_on_a_paid_order_leaves_a_balance_due(agent_api, paid):
    response = adjust(agent_api, paid, {"amount": "1.00", "reason": "x"})

    assert response.status_code == 200
    body = response.json()
    assert (body["amount_paid"], body["balance_due"], body["refund_due"]) == ("109.00", "1.00", "0.00")
    assert "payment.balance_due" in codes(body)


def test_a_markup_after_a_discount_on_a_paid_order_first_takes_back_the_refund_due(agent_api, paid):
    adjust(agent_api, paid, {"amount": "-5.00", "reason": "a"})

    response = adjust(agent_api, paid, {"amount": "2.00", "reason": "b"})

    body = response.json()
    assert (body["refund_due"], body["balance_due"]) == ("3.00", "0.00")
    assert "payment.balance_due" not in codes(body)


# --- what every edit needs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "-1.00"}, "reason"),
        ({"amount": "-1.00", "reason": "  "}, "reason"),
        ({"reason": "x"}, "non_field_errors"),
        ({"amount": "-1.00", "percent": "95", "reason": "x"}, "non_field_errors"),
        ({"amount": "-1.001", "reason": "x"}, "amount"),
        ({"percent": "-5", "reason": "x"}, "percent"),
        ({"amount": "abc", "reason": "x"}, "amount"),
    ],
)
def test_an_edit_needs_a_reason_and_one_well_formed_value(agent_api, unpaid, body, field):
    response = adjust(agent_api, unpaid, body)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert unchanged(unpaid)


@pytest.mark.parametrize("body", [{"amount": "0.00", "reason": "x"}, {"percent": "100", "reason": "x"}])
def test_an_edit_that_changes_nothing_is_refused(agent_api, unpaid, body):
    response = adjust(agent_api, unpaid, body)

    assert response.status_code == 400
    assert unchanged(unpaid)


def test_a_cancelled_order_cannot_be_repriced(agent_api, unpaid):
    cancelled = act(agent_api, unpaid, "cancel", {"reason": "买家取消"}).json()

    response = adjust(agent_api, unpaid, {"amount": "-1.00", "reason": "x"})

    assert response.status_code == 409
    assert response.json()["code"] == "order_not_editable"
    assert unchanged(cancelled)


def test_a_stale_if_match_is_412_and_changes_nothing(agent_api, unpaid):
    adjust(agent_api, unpaid, {"amount": "-1.00", "reason": "a"})
    seen = agent_api.get(f"/api/v1/orders/{unpaid['id']}/").json()

    response = adjust(agent_api, unpaid, {"amount": "-1.00", "reason": "b"}, **{"If-Match": f'"{unpaid["version"]}"'})

    assert response.status_code == 412
    assert response.json()["data"]["current_version"] == seen["version"]
    assert Order.objects.get(pk=unpaid["id"]).adjustment == -1


def test_a_current_if_match_succeeds_and_returns_the_new_etag(agent_api, unpaid):
    response = adjust(agent_api, unpaid, {"amount": "-1.00", "reason": "a"}, **{"If-Match": f'"{unpaid["version"]}"'})

    assert response.status_code == 200
    assert response["ETag"] == f'"{response.json()["version"]}"'
    assert response.json()["version"] > unpaid["version"]


def test_each_edit_is_a_row_and_an_event_with_before_and_after(agent_api, paid):
    adjust(agent_api, paid, {"amount": "-5.00", "reason": "老客户优惠"})

    edit = PriceEdit.objects.get()
    assert (edit.kind, str(edit.value), str(edit.applied), edit.reason, edit.actor) == (
        "order_amount",
        "-5.00",
        "-5.00",
        "老客户优惠",
        agent_api.user,
    )
    assert edit.totals_before["total"] == "109.00"
    assert edit.totals_after["total"] == "104.00"
    assert (str(edit.refund_due_before), str(edit.refund_due_after)) == ("0.00", "5.00")
    event = OrderEvent.objects.get(type="price_adjusted")
    assert event.actor == agent_api.user
    assert event.data["before"]["adjustment"] == "0.00"
    assert event.data["after"]["adjustment"] == "-5.00"
    assert event.data["reason"] == "老客户优惠"
    assert event.data["price_edit"] == edit.pk


# --- shipping -------------------------------------------------------------------------------------------------


def ship_fee(client, order, body, **headers):
    return act(client, order, "adjust-shipping", body, **headers)


def test_zeroing_shipping_on_a_paid_order_refunds_it(agent_api, paid):
    response = ship_fee(agent_api, paid, {"fee": "0.00", "reason": "买家投诉物流慢，免运费"})

    assert response.status_code == 200, response.content
    assert totals(response) == {"items": "99.00", "adjustment": "0.00", "shipping": "0.00", "total": "99.00"}
    assert response.json()["refund_due"] == "10.00"
    event = OrderEvent.objects.get(type="shipping_adjusted")
    assert (event.data["before"]["shipping"], event.data["after"]["shipping"], event.data["rules_fee"]) == (
        "10.00",
        "0.00",
        "6.00",
    )
    assert response.json()["price_edits"][0]["kind"] == "shipping_fee"


def test_the_shipping_fee_needs_a_reason(agent_api, paid):
    response = ship_fee(agent_api, paid, {"fee": "0.00"})

    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    assert unchanged(paid)


def test_a_negative_shipping_fee_is_refused(agent_api, paid):
    assert ship_fee(agent_api, paid, {"fee": "-1.00", "reason": "x"}).status_code == 400
    assert unchanged(paid)


def test_a_higher_shipping_fee_on_a_paid_order_is_a_balance_due(agent_api, paid):
    response = ship_fee(agent_api, paid, {"fee": "16.00", "reason": "顺丰补差"})

    assert response.status_code == 200
    assert (response.json()["totals"]["total"], response.json()["balance_due"]) == ("115.00", "6.00")


def test_a_higher_shipping_fee_is_charged_on_an_unpaid_order(agent_api, unpaid):
    response = ship_fee(agent_api, unpaid, {"fee": "16.00", "reason": "顺丰补差"})

    assert totals(response)["total"] == "115.00"


def test_lowering_the_fee_below_a_courier_surcharge_reopens_the_queue(agent_api, api, catalogue):
    order = create_flat_fee_order(api, special_requests={"courier": "SF"}, shipping_fee="12.00")
    act(agent_api, order, "checks/request.courier/acknowledge", {"note": "买家确认顺丰"})
    assert act(agent_api, order, "confirm").json()["status"] == "confirmed"

    response = ship_fee(agent_api, order, {"fee": "6.00", "reason": "运费调整"})

    assert response.json()["status"] == "pending_confirmation"
    assert "request.courier_surcharge_due" in codes(response.json())


def test_the_rules_fee_is_shown_beside_the_fee_charged(agent_api, paid):
    quote = agent_api.get(f"/api/v1/orders/{paid['id']}/").json()["shipping_quote"]

    assert quote == {
        "province": "上海市",
        "courier": "",
        "base_fee": "6.00",
        "free_shipping": False,
        "free_shipping_threshold": "108.00",
        "surcharge": "0.00",
        "fee": "6.00",
        "charged": "10.00",
    }


def test_goods_above_the_threshold_ship_free_except_to_remote_provinces(agent_api, api, catalogue):
    two_tees = [{**TEE, "quantity": 2}]
    near = create_flat_fee_order(api, lines=two_tees)
    remote = create_flat_fee_order(
        api,
        customer={"external_id": "buyer-xj"},
        shipping_address={"province": "新疆维吾尔自治区", "city": "乌鲁木齐市", "district": "天山区"},
        lines=two_tees,
    )

    near_quote = agent_api.get(f"/api/v1/orders/{near['id']}/").json()["shipping_quote"]
    remote_quote = agent_api.get(f"/api/v1/orders/{remote['id']}/").json()["shipping_quote"]

    assert (near_quote["free_shipping"], near_quote["fee"]) == (True, "0.00")
    assert (remote_quote["free_shipping"], remote_quote["fee"]) == (False, "20.00")


def test_a_requested_courier_adds_its_surcharge_to_the_rules_fee(agent_api, api, catalogue):
    order = create_flat_fee_order(api, special_requests={"courier": "SF"}, lines=[{**TEE, "quantity": 2}])

    quote = agent_api.get(f"/api/v1/orders/{order['id']}/").json()["shipping_quote"]

    assert (quote["free_shipping"], quote["surcharge"], quote["fee"]) == (True, "6.00", "6.00")


# --- who may edit ---------------------------------------------------------------------------------------------


EDITS = [
    ("adjust-price", {"amount": "-1.00", "reason": "x"}),
    ("adjust-price", {"percent": "99", "reason": "x"}),
    ("adjust-shipping", {"fee": "0.00", "reason": "x"}),
    ("unmerge", {}),
]


@pytest.mark.parametrize(("action", "body"), EDITS)
def test_warehouse_staff_get_403_on_every_edit(warehouse_api, paid, action, body):
    response = act(warehouse_api, paid, action, body)

    assert response.status_code == 403
    assert unchanged(paid)


@pytest.mark.parametrize(("action", "body"), EDITS)
def test_storefronts_get_403_on_every_edit(api, paid, action, body):
    assert act(api, paid, action, body).status_code == 403
    assert unchanged(paid)


def test_the_timeline_says_who_changed_what_and_when(agent_api, supervisor_api, unpaid):
    adjust(agent_api, unpaid, {"amount": "-5.00", "reason": "a"})
    ship_fee(supervisor_api, unpaid, {"fee": "0.00", "reason": "b"})

    events = agent_api.get(f"/api/v1/orders/{unpaid['id']}/").json()["events"]

    edits = [(e["type"], e["actor"], e["data"]["reason"]) for e in events if "adjusted" in e["type"]]
    assert edits == [
        ("price_adjusted", agent_api.user.username, "a"),
        ("shipping_adjusted", supervisor_api.user.username, "b"),
    ]
    assert all(e["created_at"] for e in events)
