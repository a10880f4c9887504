"""Automatic flags from requests and checks, their colours, clearing, and the warehouse filter."""

import pytest

from flags.models import Flag, FlagCategory
from flags.services import flags_recolour
from tests.factories import SHANGHAI_WORK
from tests.orders.helpers import act, create_order, patch

pytestmark = pytest.mark.django_db


def flags_of(order: dict) -> list[tuple[str, str]]:
    return sorted((flag["colour"], flag["category"]) for flag in order["flags"])


def test_courier_request_is_red_with_courier_and_surcharge_in_the_note(api, catalogue):
    order = create_order(api, special_requests={"courier": "SF"})

    [flag] = order["flags"]
    assert (flag["colour"], flag["category"], flag["source"]) == ("red", "courier", "auto")
    assert "SF" in flag["note"]
    assert "6.00" in flag["note"]  # SF's surcharge to 上海市


def test_gift_wrap_engraving_and_card_are_blue_with_the_exact_text(api, catalogue):
    order = create_order(
        api,
        lines=[{"sku": "RING-SILVER-12", "quantity": 1}],
        special_requests={"gift_wrap": True, "engraving": "致韩梅梅", "card_message": "生日快乐！"},
    )

    blue = [flag for flag in order["flags"] if flag["colour"] == "blue"]
    assert len(blue) == 3
    notes = " | ".join(flag["note"] for flag in blue)
    assert "“致韩梅梅”" in notes
    assert "“生日快乐！”" in notes


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([{"sku": "DRESS-RED-S", "quantity": 2}], "stock"),
        ([{"sku": "TEE-RED-M", "quantity": 1}, {"sku": "TEE-RED-L", "quantity": 1}], "sizes"),
        ([{"sku": "TEE-RED-M", "size": "L", "quantity": 1}], "variant"),
        ([{"sku": "TEE-RED-M", "quantity": 9}], "quantity"),
    ],
)
def test_size_colour_quantity_and_stock_problems_are_green(api, catalogue, lines, code):
    order = create_order(api, lines=lines)

    assert ("green", "product") in flags_of(order), code


def test_a_clean_order_has_no_flags(api, catalogue):
    assert create_order(api)["flags"] == []


def test_flag_clears_when_its_cause_is_gone(agent_api, api, catalogue):
    order = create_order(api, lines=[{"sku": "TEE-RED-M", "size": "L", "quantity": 1}])
    assert ("green", "product") in flags_of(order)

    patch(agent_api, order, {"lines": [{"id": order["lines"][0]["id"], "size": "M"}]})

    mismatch = Flag.objects.get(category__code="product", cause__startswith="check:")
    assert mismatch.cleared_at is not None
    # what stays green is the agent's change, so the warehouse packs the new size, not the one first ordered
    changed = Flag.objects.get(category__code="product", cleared_at__isnull=True)
    assert changed.cause == "lines_changed" and "L → M" in changed.note


def test_removing_a_request_clears_its_flag(agent_api, api, catalogue):
    order = create_order(api, special_requests={"courier": "SF", "gift_wrap": True})

    updated = patch(agent_api, order, {"special_requests": {"gift_wrap": False}}).json()

    assert flags_of(updated) == [("red", "courier")]


def test_address_change_by_an_agent_is_yellow_and_stays(agent_api, api, catalogue):
    order = create_order(api)

    updated = patch(agent_api, order, {"shipping_address": {"phone": "13900139000"}}).json()
    again = patch(agent_api, order, {"shipping_address": {"recipient": "韩梅梅"}}).json()

    assert ("yellow", "address") in flags_of(updated)
    yellow = [flag for flag in again["flags"] if flag["colour"] == "yellow"]
    assert len(yellow) == 1
    assert "收件人" in yellow[0]["note"]


def test_manual_flag_takes_the_category_colour_and_needs_a_note(agent_api, warehouse_api, api, catalogue):
    order = create_order(api)

    missing = agent_api.post(f"/api/v1/orders/{order['id']}/flags/", {"category": "abnormal"}, format="json")
    created = warehouse_api.post(
        f"/api/v1/orders/{order['id']}/flags/", {"category": "abnormal", "note": "外箱破损，换箱再发"}, format="json"
    )

    assert missing.status_code == 400
    assert created.status_code == 201
    assert (created.json()["colour"], created.json()["source"]) == ("purple", "manual")
    assert created.json()["author"] == warehouse_api.user.username


def test_manual_flag_unknown_category_is_400(agent_api, api, catalogue):
    order = create_order(api)

    response = agent_api.post(f"/api/v1/orders/{order['id']}/flags/", {"category": "pink", "note": "x"}, format="json")

    assert response.status_code == 400
    assert "category" in response.json()["fields"]


def test_clearing_a_flag(agent_api, api, catalogue):
    order = create_order(api, special_requests={"gift_wrap": True})
    flag_id = order["flags"][0]["id"]

    response = agent_api.delete(f"/api/v1/orders/{order['id']}/flags/{flag_id}/")

    assert response.status_code == 200
    assert response.json()["flags"] == []
    assert Flag.objects.get(pk=flag_id).cleared_by == agent_api.user


def test_list_filter_by_colour(agent_api, api, catalogue):
    red = create_order(api, special_requests={"courier": "SF"})
    create_order(api, special_requests={"gift_wrap": True})
    create_order(api)

    rows = agent_api.get("/api/v1/orders/", {"flag": "red"}).json()["results"]

    assert [row["id"] for row in rows] == [red["id"]]
    assert agent_api.get("/api/v1/orders/", {"flag": "pink"}).status_code == 400


def test_an_order_with_two_red_flags_is_listed_once(agent_api, api, catalogue):
    order = create_order(api, special_requests={"courier": "SF"})
    agent_api.post(
        f"/api/v1/orders/{order['id']}/flags/", {"category": "courier", "note": "再次确认顺丰"}, format="json"
    )

    rows = agent_api.get("/api/v1/orders/", {"flag": "red"}).json()["results"]

    assert [row["id"] for row in rows] == [order["id"]]


def test_changing_a_rule_recolours_open_flags_only_through_the_explicit_action(api, catalogue):
    open_order = create_order(api, special_requests={"courier": "SF"})
    closed = Flag.objects.create(
        order_id=open_order["id"],
        category=FlagCategory.objects.get(code="courier"),
        colour="red",
        note="old",
        cleared_at="2026-01-01T00:00:00Z",
    )
    FlagCategory.objects.filter(code="courier").update(colour="orange")

    assert Flag.objects.filter(colour="orange").count() == 0
    changed = flags_recolour()

    assert changed == 1
    assert Flag.objects.get(cause="request.courier").colour == "orange"
    closed.refresh_from_db()
    assert closed.colour == "red"


def test_buyer_default_address_does_not_raise_a_flag(api, catalogue):
    order = create_order(api, customer={"default_address": SHANGHAI_WORK})

    assert order["flags"] == []


def test_flags_notes_are_written_in_the_shop_language_whatever_the_request_language(api, catalogue):
    import json

    response = api.post(
        "/api/v1/orders/",
        data=json.dumps(
            __import__("tests.factories", fromlist=["x"]).order_payload(special_requests={"courier": "SF"})
        ),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )

    note = response.json()["flags"][0]["note"]
    assert note == Flag.objects.get().note


def test_act_helper_smoke(agent_api, api, catalogue):
    assert act(agent_api, create_order(api), "confirm").status_code == 200
