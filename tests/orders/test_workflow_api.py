"""The confirm workflow over REST: acknowledge, confirm, hold, release, cancel, corrections, re-checks."""

import pytest

from orders.models import CheckResult, Order, OrderEvent, ShopSettings
from tests.factories import SHANGHAI_HOME, SHANGHAI_WORK
from tests.orders.helpers import act, codes, create_order, patch

pytestmark = pytest.mark.django_db


@pytest.fixture
def not_default(api, catalogue) -> dict:
    """An order that ships home while the buyer's default is the office: one warning."""
    return create_order(api, customer={"default_address": SHANGHAI_WORK})


@pytest.fixture
def with_blocker(api, catalogue) -> dict:
    return create_order(api, lines=[{"sku": "NOPE-1", "quantity": 1, "unit_price": "5.00"}])


def test_acknowledge_a_warning_with_a_note(agent_api, not_default):
    response = act(agent_api, not_default, "checks/address.not_default/acknowledge", {"note": "买家确认寄回家"})

    assert response.status_code == 200, response.content
    check = response.json()["checks"][0]
    assert (check["status"], check["note"], check["resolved_by"]) == (
        "acknowledged",
        "买家确认寄回家",
        agent_api.user.username,
    )
    assert response.json()["open_warnings"] == 0
    assert OrderEvent.objects.filter(type="check_acknowledged", actor=agent_api.user).exists()


@pytest.mark.parametrize("body", [{}, {"note": ""}, {"note": "   "}])
def test_acknowledge_needs_a_note(agent_api, not_default, body):
    response = act(agent_api, not_default, "checks/address.not_default/acknowledge", body)

    assert response.status_code == 400
    assert "note" in response.json()["fields"]
    assert CheckResult.objects.get().status == "open"


def test_a_blocker_cannot_be_acknowledged(agent_api, with_blocker):
    response = act(agent_api, with_blocker, "checks/line.unknown_sku/acknowledge", {"note": "ok"})

    assert response.status_code == 409
    assert response.json()["code"] == "check_not_acknowledgeable"


def test_acknowledging_a_check_the_order_does_not_have_is_404(agent_api, not_default):
    response = act(agent_api, not_default, "checks/phone.invalid/acknowledge", {"note": "ok"})

    assert response.status_code == 404


def test_confirm_refused_while_blocker_open(agent_api, with_blocker):
    response = act(agent_api, with_blocker, "confirm")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "open_blockers"
    assert body["data"]["blockers"] == [{"code": "line.unknown_sku", "key": "1"}]
    assert Order.objects.get().status == "pending_confirmation"


def test_confirm_refused_while_a_warning_is_unacknowledged(agent_api, not_default):
    response = act(agent_api, not_default, "confirm")

    assert response.status_code == 409
    assert response.json()["data"]["warnings"] == [{"code": "address.not_default", "key": ""}]


def test_confirm_after_acknowledging_every_warning(agent_api, not_default):
    act(agent_api, not_default, "checks/address.not_default/acknowledge", {"note": "买家确认"})

    response = act(agent_api, not_default, "confirm")

    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    order = Order.objects.get()
    assert order.confirmed_by == agent_api.user
    assert order.confirmed_at is not None


def test_confirm_a_clean_order_directly(agent_api, api, catalogue):
    order = create_order(api)

    assert act(agent_api, order, "confirm").json()["status"] == "confirmed"


def test_confirm_twice_is_an_invalid_transition(agent_api, api, catalogue):
    order = create_order(api)
    act(agent_api, order, "confirm")

    response = act(agent_api, order, "confirm")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_hold_needs_a_reason_and_parks_the_order(agent_api, api, catalogue):
    order = create_order(api)

    assert act(agent_api, order, "hold", {}).status_code == 400
    held = act(agent_api, order, "hold", {"reason": "买家要求晚点发货"})

    assert held.json()["status"] == "on_hold"
    assert held.json()["hold_reason"] == "买家要求晚点发货"
    assert act(agent_api, order, "confirm").json()["code"] == "invalid_transition"


def test_release_puts_a_held_order_back_in_the_queue(agent_api, api, catalogue):
    order = create_order(api)
    act(agent_api, order, "hold", {"reason": "等买家回复"})

    released = act(agent_api, order, "release")

    assert released.json()["status"] == "pending_confirmation"
    assert released.json()["hold_reason"] == ""


def test_cancel_is_final(agent_api, api, catalogue):
    order = create_order(api)

    assert act(agent_api, order, "cancel", {"reason": "买家取消"}).json()["status"] == "cancelled"
    assert act(agent_api, order, "hold", {"reason": "x"}).status_code == 409
    assert patch(agent_api, order, {"buyer_note": "x"}).status_code == 409


def test_patch_address_to_the_default_resolves_the_warning(agent_api, not_default):
    response = patch(
        agent_api, not_default, {"shipping_address": {"district": "浦东新区", "street": SHANGHAI_WORK["street"]}}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert codes(body) == []
    assert [c["status"] for c in body["checks"]] == ["resolved"]
    assert body["shipping_address"]["district"] == "浦东新区"
    event = OrderEvent.objects.get(type="address_changed")
    assert event.data["before"]["district"] == "徐汇区"
    assert event.actor == agent_api.user


def test_a_warning_that_persists_keeps_its_acknowledgement(agent_api, not_default):
    act(agent_api, not_default, "checks/address.not_default/acknowledge", {"note": "买家确认"})

    response = patch(agent_api, not_default, {"shipping_address": {"street": "漕溪北路88弄3号 601"}})

    check = response.json()["checks"][0]
    assert (check["code"], check["status"], check["note"]) == ("address.not_default", "acknowledged", "买家确认")


def test_fixing_the_size_resolves_the_variant_blocker(agent_api, api, catalogue):
    order = create_order(api, lines=[{"sku": "TEE-RED-M", "size": "L", "quantity": 1}])
    assert codes(order) == ["line.variant_mismatch"]

    response = patch(agent_api, order, {"lines": [{"id": order["lines"][0]["id"], "size": "M"}]})

    assert codes(response.json()) == []
    assert response.json()["open_blockers"] == 0


def test_replacing_an_unknown_sku_takes_the_catalogue_facts(agent_api, with_blocker):
    response = patch(agent_api, with_blocker, {"lines": [{"id": with_blocker["lines"][0]["id"], "sku": "TEE-RED-L"}]})

    line = response.json()["lines"][0]
    assert (line["sku"], line["size"], line["product_name"]) == ("TEE-RED-L", "L", "纯棉T恤")
    assert "line.unknown_sku" not in codes(response.json())


def test_quantity_change_on_an_unpaid_order_changes_what_the_buyer_pays(agent_api, api, catalogue):
    order = create_order(api, payment_status="unpaid")

    response = patch(agent_api, order, {"lines": [{"id": order["lines"][0]["id"], "quantity": 3}]})

    assert response.json()["totals"] == {
        "items": "297.00",
        "adjustment": "0.00",
        "shipping": "6.00",  # an edit keeps the fee charged; the rules' free shipping is a warning
        "total": "303.00",
    }


def test_quantity_increase_on_a_paid_order_leaves_a_balance_due(agent_api, api, catalogue):
    order = create_order(api, payment_status="paid")

    response = patch(agent_api, order, {"lines": [{"id": order["lines"][0]["id"], "quantity": 3}]})

    assert response.status_code == 200
    assert (response.json()["totals"]["total"], response.json()["balance_due"]) == ("303.00", "198.00")
    assert "payment.balance_due" in codes(response.json())


def test_quantity_decrease_on_a_paid_order_records_a_refund_due(agent_api, api, catalogue):
    order = create_order(api, payment_status="paid", lines=[{"sku": "TEE-RED-M", "quantity": 2}])

    response = patch(agent_api, order, {"lines": [{"id": order["lines"][0]["id"], "quantity": 1}]})

    assert response.json()["refund_due"] == "99.00"


def test_patch_with_a_line_of_another_order_is_400(agent_api, api, catalogue):
    order = create_order(api)

    response = patch(agent_api, order, {"lines": [{"id": 999999, "quantity": 2}]})

    assert response.status_code == 400
    assert "lines" in response.json()["fields"]


def test_patch_with_bad_values_is_400_and_changes_nothing(agent_api, api, catalogue):
    order = create_order(api)

    response = patch(
        agent_api,
        order,
        {"shipping_address": {"phone": "nope"}, "lines": [{"id": order["lines"][0]["id"], "quantity": 0}]},
    )

    assert response.status_code == 400
    assert {"shipping_address.phone", "lines.0.quantity"} <= set(response.json()["fields"])
    assert Order.objects.get().version == order["version"]


def test_patch_requests_adds_a_courier_and_rechecks(agent_api, api, catalogue):
    order = create_order(api)

    response = patch(agent_api, order, {"special_requests": {"courier": "JD"}})

    assert "request.courier_unavailable" in codes(response.json())
    assert response.json()["special_requests"] == {"courier": "JD"}


def test_stale_if_match_is_412_and_changes_nothing(agent_api, api, catalogue):
    order = create_order(api)
    patch(agent_api, order, {"buyer_note": "first"})

    response = patch(agent_api, order, {"buyer_note": "second"}, **{"If-Match": f'"{order["version"]}"'})

    assert response.status_code == 412
    assert response.json()["code"] == "version_conflict"
    assert Order.objects.get().buyer_note == "first"


def test_current_if_match_is_accepted_and_the_etag_moves(agent_api, api, catalogue):
    order = create_order(api)

    response = patch(agent_api, order, {"buyer_note": "x"}, **{"If-Match": f'"{order["version"]}"'})

    assert response.status_code == 200
    assert response["ETag"] == f'"{order["version"] + 1}"'


def test_editing_a_confirmed_order_into_a_problem_puts_it_back_in_the_queue(agent_api, api, catalogue):
    order = create_order(api)
    act(agent_api, order, "confirm")

    response = patch(agent_api, order, {"shipping_address": {"street": ""}})

    assert response.json()["status"] == "pending_confirmation"
    assert codes(response.json()) == ["address.incomplete", "address.not_default"]


@pytest.mark.parametrize("role", ["warehouse", None])
def test_only_agents_and_supervisors_work_the_queue(staff_api, api, catalogue, role):
    order = create_order(api)
    client = staff_api(role)

    assert act(client, order, "confirm").status_code == 403
    assert patch(client, order, {"buyer_note": "x"}).status_code == 403
    assert act(client, order, "hold", {"reason": "x"}).status_code == 403


def test_storefronts_cannot_work_the_queue(api, catalogue):
    order = create_order(api)

    assert act(api, order, "confirm").status_code == 403
    assert patch(api, order, {"buyer_note": "x"}).status_code == 403


def test_auto_confirm_confirms_clean_orders_only(api, catalogue):
    ShopSettings.objects.filter(pk=1).update(auto_confirm=True)
    from orders.shop_config import shop_config_invalidate

    shop_config_invalidate()

    clean = create_order(api, buyer_note="")
    warned = create_order(api, buyer_note="", customer={"default_address": SHANGHAI_WORK, "external_id": "other"})

    assert clean["status"] == "confirmed"
    assert any(e["type"] == "auto_confirmed" for e in clean["events"])
    assert warned["status"] == "pending_confirmation"


def test_auto_confirm_leaves_an_order_with_a_note_to_an_agent(api, catalogue):
    # given: auto-confirm on, and notes that ask nothing the checks see (no check opens)
    ShopSettings.objects.filter(pk=1).update(auto_confirm=True)
    from orders.shop_config import shop_config_invalidate

    shop_config_invalidate()

    # when
    noted = create_order(api, buyer_note="请尽快发货")
    blank = create_order(api, buyer_note="  ", customer={"external_id": "buyer-blank"})

    # then: an agent reads the note; a note of blanks is no note
    assert codes(noted) == []
    assert noted["status"] == "pending_confirmation"
    assert not any(e["type"] == "auto_confirmed" for e in noted["events"])
    assert blank["status"] == "confirmed"


def test_has_blockers_filter(agent_api, api, catalogue, with_blocker):
    clean = create_order(api)

    blocked = agent_api.get("/api/v1/orders/", {"has_blockers": "true"}).json()["results"]
    unblocked = agent_api.get("/api/v1/orders/", {"has_blockers": "false"}).json()["results"]

    assert [o["id"] for o in blocked] == [with_blocker["id"]]
    assert [o["id"] for o in unblocked] == [clean["id"]]


def test_second_order_to_the_same_address_marks_both_mergeable(api, catalogue, django_capture_on_commit_callbacks):
    first = create_order(api, lines=[{"sku": "TEE-WHITE-M", "quantity": 1}])

    with django_capture_on_commit_callbacks(execute=True):
        second = create_order(api, lines=[{"sku": "SHOE-WHITE-40", "quantity": 1}])

    assert "order.mergeable" in codes(second, status=None)
    refreshed = api.get(f"/api/v1/orders/{first['id']}/").json()
    assert "order.mergeable" in codes(refreshed, status=None)


def test_cancelling_one_of_two_mergeable_orders_clears_the_hint(
    agent_api, api, catalogue, django_capture_on_commit_callbacks
):
    first = create_order(api, lines=[{"sku": "TEE-WHITE-M", "quantity": 1}])
    with django_capture_on_commit_callbacks(execute=True):
        second = create_order(api, lines=[{"sku": "SHOE-WHITE-40", "quantity": 1}])

    with django_capture_on_commit_callbacks(execute=True):
        act(agent_api, second, "cancel", {"reason": "买家取消"})

    refreshed = api.get(f"/api/v1/orders/{first['id']}/").json()
    assert "order.mergeable" not in codes(refreshed)


def test_recheck_picks_up_a_stock_change(agent_api, api, catalogue):
    order = create_order(api, lines=[{"sku": "DRESS-RED-S", "quantity": 2}], shipping_fee="0.00")  # free from 108
    assert codes(order) == ["line.out_of_stock"]
    from orders.models import Variant

    Variant.objects.filter(sku="DRESS-RED-S").update(stock=10)

    response = act(agent_api, order, "recheck")

    assert codes(response.json()) == []


def test_events_record_each_step(agent_api, not_default):
    act(agent_api, not_default, "checks/address.not_default/acknowledge", {"note": "ok"})
    act(agent_api, not_default, "confirm")

    types = [e["type"] for e in agent_api.get(f"/api/v1/orders/{not_default['id']}/").json()["events"]]

    assert types == ["received", "check_acknowledged", "confirmed", "message_queued"]


def test_unknown_action_route_is_404(agent_api, api, catalogue):
    order = create_order(api)

    assert act(agent_api, order, "explode").status_code == 404


def test_shanghai_home_constant_is_the_default_payload_address():
    assert SHANGHAI_HOME["kind"] == "home"


def test_a_third_order_rechecks_only_the_siblings_without_the_hint(api, catalogue, django_capture_on_commit_callbacks):
    from unittest import mock

    first = create_order(api, lines=[{"sku": "TEE-WHITE-M", "quantity": 1}])
    with django_capture_on_commit_callbacks(execute=True):
        second = create_order(api, lines=[{"sku": "SHOE-WHITE-40", "quantity": 1}])  # both get the hint

    with (
        mock.patch("orders.tasks.checks.orders_recheck.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        third = create_order(api, lines=[{"sku": "TEE-RED-L", "quantity": 1}])

    assert sorted(next(c for c in third["checks"] if c["code"] == "order.mergeable")["data"]["orders"]) == sorted(
        [first["id"], second["id"]]
    )
    delay.assert_not_called()
