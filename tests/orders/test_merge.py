"""Merging orders (合并订单) over REST: one shipment and one shipping fee, every original still
addressable, refusals that say why and change nothing, and an unmerge that restores exactly."""

import json
from dataclasses import asdict

import pytest
from django.db.models import Sum

from orders.models import CheckResult, Order, OrderEvent, OrderMerge
from orders.pricing import order_totals
from orders.services.merge import orders_merge_preview
from tests.factories import SHANGHAI_WORK
from tests.orders.helpers import act, codes, create_flat_fee_order, stored_order

pytestmark = pytest.mark.django_db

TEE = {"sku": "TEE-RED-M", "quantity": 1, "unit_price": "99.00"}
SHOE = {"sku": "SHOE-WHITE-40", "quantity": 1}


def merge(client, order_ids, **extra):
    return client.post(
        "/api/v1/orders/merge/",
        data=json.dumps({"order_ids": order_ids, **extra}),
        content_type="application/json",
    )


def get(client, order_id: int) -> dict:
    return client.get(f"/api/v1/orders/{order_id}/").json()


def state_of_every_order() -> list[tuple]:
    return list(Order.objects.order_by("id").values_list("id", "status", "version", "total", "amount_paid"))


@pytest.fixture
def pair(api, catalogue, django_capture_on_commit_callbacks) -> tuple[dict, dict]:
    """Two paid orders of one buyer to one address: a T-shirt (109.00) and shoes (269.00), 10.00 shipping each."""
    first = create_flat_fee_order(api, lines=[TEE])
    with django_capture_on_commit_callbacks(execute=True):
        second = create_flat_fee_order(api, lines=[SHOE])
    return first, second


def test_merging_makes_a_primary_with_every_line_and_shipping_once(agent_api, pair):
    first, second = pair

    response = merge(agent_api, [first["id"], second["id"]])

    assert response.status_code == 201, response.content
    primary = response.json()
    assert primary["external_id"] == f"MERGE-{first['id']}-1"
    assert [(line["position"], line["sku"]) for line in primary["lines"]] == [(1, "TEE-RED-M"), (2, "SHOE-WHITE-40")]
    # 358.00 of goods to Shanghai: free shipping by the rules (from 108.00), once instead of 2 × 10.00.
    assert primary["totals"] == {"items": "358.00", "adjustment": "0.00", "shipping": "0.00", "total": "358.00"}
    assert (primary["payment_status"], primary["amount_paid"], primary["refund_due"]) == ("paid", "378.00", "20.00")
    assert primary["status"] == "pending_confirmation"
    assert sorted(primary["merged_orders"]) == [first["id"], second["id"]]
    assert primary["shipping_address"]["street"] == first["shipping_address"]["street"]
    assert ETag_is_version(response)


def ETag_is_version(response) -> bool:  # noqa: N802  (reads as the sentence it checks)
    return response["ETag"] == f'"{response.json()["version"]}"'


def test_each_original_stays_addressable_as_merged_with_a_link(agent_api, api, pair):
    first, second = pair

    primary = merge(agent_api, [second["id"], first["id"]]).json()

    for original in pair:
        body = api.get(f"/api/v1/orders/{original['id']}/").json()
        assert (body["status"], body["merged_into"]) == ("merged", primary["id"])
        assert body["totals"] == original["totals"]  # what was ordered stays readable
        assert (body["amount_paid"], body["refund_due"]) == ("0.00", "0.00")  # the payment travelled
        assert body["events"][-1]["type"] == "merged"
        assert body["events"][-1]["data"]["into"] == {"id": primary["id"], "external_id": primary["external_id"]}


def test_the_payment_moves_and_nothing_is_counted_twice(agent_api, pair):
    paid_before = Order.objects.aggregate(paid=Sum("amount_paid"))["paid"]

    primary = merge(agent_api, [o["id"] for o in pair]).json()

    assert Order.objects.aggregate(paid=Sum("amount_paid"))["paid"] == paid_before
    assert act(agent_api, primary, "unmerge").status_code == 200
    assert Order.objects.aggregate(paid=Sum("amount_paid"))["paid"] == paid_before


def test_shipping_is_recomputed_once_by_the_rules_for_the_merged_goods(agent_api, api, catalogue):
    cheap = {**TEE, "unit_price": "40.00"}
    orders = [
        create_flat_fee_order(api, lines=[cheap], shipping_fee="10.00", payment_status="unpaid") for _ in range(2)
    ]

    primary = merge(agent_api, [o["id"] for o in orders]).json()

    # 80.00 of goods to Shanghai: below the free-shipping threshold, so the base fee 6.00, once.
    assert primary["totals"] == {"items": "80.00", "adjustment": "0.00", "shipping": "6.00", "total": "86.00"}
    assert primary["shipping_quote"]["fee"] == "6.00"


def test_merging_never_charges_more_shipping_than_the_originals_together(agent_api, api, catalogue):
    cheap = {**TEE, "unit_price": "40.00"}
    orders = [create_flat_fee_order(api, lines=[cheap], shipping_fee="0.00") for _ in range(2)]

    primary = merge(agent_api, [o["id"] for o in orders]).json()

    assert primary["totals"]["shipping"] == "0.00"
    assert primary["shipping_quote"]["fee"] == "6.00"  # shown beside it


def test_price_edits_travel_with_the_goods(agent_api, pair):
    first, second = pair
    act(agent_api, first, "adjust-price", {"amount": "-5.00", "reason": "a"})
    act(agent_api, second, "adjust-price", {"line_id": second["lines"][0]["id"], "amount": "-3.00", "reason": "b"})

    primary = merge(agent_api, [first["id"], second["id"]]).json()

    assert [line["adjustment"] for line in primary["lines"]] == ["0.00", "-3.00"]
    assert primary["totals"] == {"items": "355.00", "adjustment": "-5.00", "shipping": "0.00", "total": "350.00"}
    assert (primary["amount_paid"], primary["refund_due"]) == ("378.00", "28.00")


def test_the_primary_is_checked_afresh_and_keeps_blockers(agent_api, api, catalogue):
    first = create_flat_fee_order(api, lines=[{"sku": "NOPE-1", "quantity": 1, "unit_price": "5.00"}])
    second = create_flat_fee_order(api)

    primary = merge(agent_api, [first["id"], second["id"]]).json()

    assert codes(primary) == ["line.unknown_sku"]
    assert act(agent_api, primary, "confirm").json()["code"] == "open_blockers"


def test_the_mergeable_hint_clears(agent_api, api, pair, django_capture_on_commit_callbacks):
    first, second = pair
    assert all("order.mergeable" in codes(get(agent_api, o["id"])) for o in pair)

    with django_capture_on_commit_callbacks(execute=True):
        primary = merge(agent_api, [first["id"], second["id"]]).json()

    assert all("order.mergeable" not in codes(get(agent_api, o["id"])) for o in pair)
    assert "order.mergeable" not in codes(primary)


def test_a_third_order_is_pointed_at_the_primary(agent_api, api, pair, django_capture_on_commit_callbacks):
    first, second = pair
    with django_capture_on_commit_callbacks(execute=True):
        third = create_flat_fee_order(api, lines=[{"sku": "TEE-WHITE-M", "quantity": 1}])

    with django_capture_on_commit_callbacks(execute=True):
        primary = merge(agent_api, [first["id"], second["id"]]).json()

    hint = next(c for c in get(agent_api, third["id"])["checks"] if c["code"] == "order.mergeable")
    assert (hint["status"], hint["data"]["orders"]) == ("open", [primary["id"]])
    assert "order.mergeable" in codes(get(agent_api, primary["id"]))


def test_the_preview_plans_the_primary_the_merge_makes_and_saves_nothing(agent_api, pair):
    before = state_of_every_order()

    plan = orders_merge_preview(order_ids=[pair[1]["id"], pair[0]["id"]])

    assert state_of_every_order() == before
    assert plan.refusals == [] and plan.primary.pk is None
    primary = merge(agent_api, [o["id"] for o in pair]).json()
    assert order_totals(plan.primary).as_strings() == primary["totals"]
    assert (plan.primary.external_id, str(plan.primary.refund_due)) == (primary["external_id"], primary["refund_due"])
    assert [(line.position, line.sku, str(line.line_total)) for line in plan.lines] == [
        (line["position"], line["sku"], line["line_total"]) for line in primary["lines"]
    ]


def test_the_preview_gives_every_reason_the_merge_would_refuse_with(agent_api, api, pair):
    stranger = create_flat_fee_order(api, customer={"external_id": "buyer-7"})
    ids = [pair[0]["id"], stranger["id"], 999999]

    plan = orders_merge_preview(order_ids=ids)

    assert plan.primary is None
    assert [asdict(refusal) for refusal in plan.refusals] == merge(agent_api, ids).json()["data"]["refusals"]


# --- refusals: why, and nothing changes -----------------------------------------------------------------------


def refused(response, *expected: tuple[int | None, str]) -> bool:
    body = response.json()
    found = {(r["order"], r["code"]) for r in body["data"]["refusals"]}
    return (
        response.status_code == 409
        and body["code"] == "merge_refused"
        and found == set(expected)
        and all(r["message"] for r in body["data"]["refusals"])
    )


def test_one_order_is_not_a_merge(agent_api, pair):
    before = state_of_every_order()

    assert refused(merge(agent_api, [pair[0]["id"]]), (None, "too_few"))
    assert refused(merge(agent_api, [pair[0]["id"], pair[0]["id"]]), (None, "too_few"), (pair[0]["id"], "duplicate"))
    assert state_of_every_order() == before


def test_unknown_orders_are_named(agent_api, pair):
    before = state_of_every_order()

    assert refused(merge(agent_api, [pair[0]["id"], 999999]), (999999, "not_found"))
    assert state_of_every_order() == before


def test_orders_of_another_customer_or_address_are_refused(agent_api, api, pair):
    stranger = create_flat_fee_order(api, customer={"external_id": "buyer-7"})
    office = create_flat_fee_order(api, shipping_address=SHANGHAI_WORK)
    before = state_of_every_order()

    response = merge(agent_api, [pair[0]["id"], stranger["id"], office["id"]])

    assert refused(response, (stranger["id"], "other_customer"), (office["id"], "other_address"))
    assert state_of_every_order() == before
    assert OrderMerge.objects.count() == 0


@pytest.mark.parametrize(
    ("step", "code"),
    [
        (lambda client, order: act(client, order, "hold", {"reason": "等买家回复"}), "on_hold"),
        (lambda client, order: act(client, order, "cancel", {"reason": "买家取消"}), "cancelled"),
        (lambda client, order: Order.objects.filter(pk=order["id"]).update(status="shipped"), "shipped"),
        (lambda client, order: Order.objects.filter(pk=order["id"]).update(status="delivered"), "shipped"),
    ],
)
def test_orders_that_cannot_ship_together_are_refused(agent_api, pair, step, code):
    first, second = pair
    step(agent_api, second)
    before = state_of_every_order()

    assert refused(merge(agent_api, [first["id"], second["id"]]), (second["id"], code))
    assert state_of_every_order() == before


def test_an_order_merged_already_is_refused(agent_api, api, pair):
    third = create_flat_fee_order(api, lines=[{"sku": "TEE-WHITE-M", "quantity": 1}])
    merge(agent_api, [pair[0]["id"], pair[1]["id"]])
    before = state_of_every_order()

    assert refused(merge(agent_api, [pair[1]["id"], third["id"]]), (pair[1]["id"], "merged"))
    assert state_of_every_order() == before


def test_paid_and_unpaid_orders_are_not_merged(agent_api, api, pair):
    unpaid = create_flat_fee_order(api, payment_status="unpaid")

    assert refused(merge(agent_api, [pair[0]["id"], unpaid["id"]]), (unpaid["id"], "payment_differs"))


@pytest.fixture
def engraved(api, catalogue) -> dict:
    return create_flat_fee_order(
        api, lines=[{"sku": "RING-SILVER-12", "quantity": 1}], special_requests={"engraving": "LOVE"}
    )


def test_another_courier_is_refused(agent_api, api, engraved):
    courier = create_flat_fee_order(api, special_requests={"courier": "SF"})

    assert refused(merge(agent_api, [engraved["id"], courier["id"]]), (courier["id"], "courier_differs"))


def test_two_engravings_are_never_mixed_up(agent_api, api, engraved):
    other = create_flat_fee_order(
        api, lines=[{"sku": "RING-SILVER-12", "quantity": 1}], special_requests={"engraving": "MEI"}
    )

    assert refused(merge(agent_api, [engraved["id"], other["id"]]), (other["id"], "engraving_differs"))


def test_the_requests_of_every_order_are_kept(agent_api, api, engraved):
    card = create_flat_fee_order(api, special_requests={"card_message": "生日快乐", "gift_wrap": True})

    primary = merge(agent_api, [engraved["id"], card["id"]]).json()

    assert primary["special_requests"] == {"engraving": "LOVE", "card_message": "生日快乐", "gift_wrap": True}


def test_stale_versions_are_412_and_change_nothing(agent_api, pair):
    first, second = pair
    act(agent_api, first, "adjust-price", {"amount": "-1.00", "reason": "x"})
    before = state_of_every_order()

    response = merge(
        agent_api,
        [first["id"], second["id"]],
        versions={str(first["id"]): first["version"], str(second["id"]): second["version"]},
    )

    assert response.status_code == 412
    assert list(response.json()["data"]["orders"]) == [str(first["id"])]
    assert state_of_every_order() == before


def test_current_versions_merge(agent_api, pair):
    versions = {str(o["id"]): get(agent_api, o["id"])["version"] for o in pair}

    assert merge(agent_api, [o["id"] for o in pair], versions=versions).status_code == 201


@pytest.mark.parametrize("role", ["warehouse", None])
def test_only_agents_and_supervisors_merge(staff_api, pair, role):
    before = state_of_every_order()

    assert merge(staff_api(role), [o["id"] for o in pair]).status_code == 403
    assert state_of_every_order() == before


def test_storefronts_cannot_merge(api, pair):
    assert merge(api, [o["id"] for o in pair]).status_code == 403


# --- unmerge --------------------------------------------------------------------------------------------------


def test_unmerge_restores_every_original_exactly(agent_api, pair, django_capture_on_commit_callbacks):
    first, second = pair
    act(agent_api, first, "adjust-price", {"amount": "-5.00", "reason": "a"})
    act(agent_api, second, "checks/order.mergeable/acknowledge", {"note": "买家要分开寄"})
    act(agent_api, second, "checks/shipping.fee_above_rule/acknowledge", {"note": "店铺统一运费 10 元"})
    act(agent_api, second, "confirm")
    before = {o["id"]: stored_order(o["id"]) for o in pair}
    primary = merge(agent_api, [first["id"], second["id"]]).json()

    response = act(agent_api, primary, "unmerge", {"reason": "买家要求分开发货"})

    assert response.status_code == 200, response.content
    assert {o["id"]: stored_order(o["id"]) for o in pair} == before
    assert before[second["id"]]["status"] == "confirmed"
    body = response.json()
    assert (body["status"], body["merged_orders"], body["amount_paid"], body["refund_due"]) == (
        "cancelled",
        [],
        "0.00",
        "0.00",
    )
    assert body["events"][-1]["type"] == "unmerged"
    assert body["events"][-1]["data"]["reason"] == "买家要求分开发货"
    for original in pair:
        assert OrderEvent.objects.filter(order_id=original["id"]).last().type == "unmerged"
    assert OrderMerge.objects.get().unmerged_by == agent_api.user


def test_unmerged_orders_are_mergeable_again(agent_api, pair):
    primary = merge(agent_api, [o["id"] for o in pair]).json()
    act(agent_api, primary, "unmerge")

    again = merge(agent_api, [o["id"] for o in pair])

    assert again.status_code == 201
    assert again.json()["external_id"] == f"MERGE-{pair[0]['id']}-2"


def test_unmerge_is_refused_once_the_primary_shipped(agent_api, pair):
    primary = merge(agent_api, [o["id"] for o in pair]).json()
    Order.objects.filter(pk=primary["id"]).update(status="shipped")
    before = state_of_every_order()

    response = act(agent_api, primary, "unmerge")

    assert refused(response, (primary["id"], "shipped"))
    assert state_of_every_order() == before


def test_unmerge_twice_or_of_an_ordinary_order_is_refused(agent_api, pair):
    primary = merge(agent_api, [o["id"] for o in pair]).json()
    act(agent_api, primary, "unmerge")

    assert refused(act(agent_api, primary, "unmerge"), (primary["id"], "not_merged"))
    assert refused(act(agent_api, pair[0], "unmerge"), (pair[0]["id"], "not_merged"))
    assert act(agent_api, 999999, "unmerge").status_code == 404


def test_unmerge_with_a_stale_if_match_is_412(agent_api, pair):
    primary = merge(agent_api, [o["id"] for o in pair]).json()
    act(agent_api, primary, "adjust-price", {"amount": "-1.00", "reason": "x"})

    response = act(agent_api, primary, "unmerge", **{"If-Match": f'"{primary["version"]}"'})

    assert response.status_code == 412
    assert Order.objects.get(pk=primary["id"]).status == "pending_confirmation"


def test_a_merge_of_a_merge_unmerges_from_the_outside_in(agent_api, api, pair):
    third = create_flat_fee_order(api, lines=[{"sku": "TEE-WHITE-M", "quantity": 1}])
    inner = merge(agent_api, [o["id"] for o in pair]).json()
    outer = merge(agent_api, [inner["id"], third["id"]]).json()
    assert outer["totals"]["items"] == "457.00"

    assert refused(act(agent_api, inner, "unmerge"), (inner["id"], "merged"))
    assert act(agent_api, outer, "unmerge").json()["status"] == "cancelled"
    assert act(agent_api, inner, "unmerge").json()["status"] == "cancelled"
    assert [get(agent_api, o["id"])["status"] for o in pair] == ["pending_confirmation", "pending_confirmation"]


def test_unmerge_lists_price_edits_made_on_the_primary(agent_api, pair):
    primary = merge(agent_api, [o["id"] for o in pair]).json()
    edited = act(agent_api, primary, "adjust-price", {"amount": "-5.00", "reason": "x"}).json()

    body = act(agent_api, primary, "unmerge").json()

    assert body["events"][-1]["data"]["dropped_price_edits"] == [edited["price_edits"][0]["id"]]
    assert CheckResult.objects.filter(order_id=pair[0]["id"], code="order.mergeable", status="open").exists()


@pytest.mark.parametrize("action", ["confirm", "release"])
def test_a_merged_order_comes_back_only_by_unmerging(agent_api, pair, action):
    act(agent_api, pair[0], "checks/shipping.fee_above_rule/acknowledge", {"note": "店铺统一运费 10 元"})
    merge(agent_api, [o["id"] for o in pair])
    before = state_of_every_order()

    response = act(agent_api, pair[0], action)

    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert state_of_every_order() == before


@pytest.mark.parametrize(
    ("action", "body"),
    [("adjust-price", {"amount": "-1.00", "reason": "x"}), ("adjust-shipping", {"fee": "0.00", "reason": "x"})],
)
def test_a_merged_order_cannot_be_repriced(agent_api, pair, action, body):
    merge(agent_api, [o["id"] for o in pair])

    response = act(agent_api, pair[0], action, body)

    assert (response.status_code, response.json()["code"]) == (409, "order_not_editable")
