"""The agent's screen in the admin: the confirmation queue, the read-aloud order page, its buttons and edit forms."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import CheckStatus, Order, OrderEvent, OrderEventType, OrderStatus, Variant
from orders.roles import SUPERVISORS
from tests.conftest import admin_login
from tests.orders.helpers import create_order

pytestmark = pytest.mark.django_db

QUEUE = "/admin/orders/confirmationqueue/"
RING = {"sku": "RING-SILVER-12", "size": "12", "colour": "银色", "quantity": 1, "unit_price": "199.00"}
TEE = {"sku": "TEE-RED-M", "size": "M", "colour": "红色", "quantity": 2, "unit_price": "99.00"}


def page_url(order_id: int) -> str:
    return f"/admin/orders/order/{order_id}/change/"


def workflow(client: Client, order_id: int, action: str, version: int | None = None, **fields):
    """Press a button of the order page as the agent saw it (the current version unless told)."""
    if version is None:
        version = Order.objects.get(pk=order_id).version
    return client.post(
        f"/admin/orders/order/{order_id}/workflow/{action}/", {"version": version, **fields}, follow=True
    )


def open_codes(order_id: int) -> list[str]:
    return sorted(Order.objects.get(pk=order_id).checks.filter(status=CheckStatus.OPEN).values_list("code", flat=True))


def queue_ids(response) -> list[int]:
    return [order.pk for order in response.context["cl"].result_list]


def _order(api, buyer: str, **overrides) -> dict:
    return create_order(api, customer={"external_id": buyer}, **overrides)


# --- the queue -----------------------------------------------------------------------------------


def test_queue_lists_orders_awaiting_confirmation_oldest_first(agent_client, api, catalogue, agent):
    # created in another order than received: the queue sorts by waiting time, not by id
    older, oldest, newer = (_order(api, f"buyer-{n}") for n in range(3))
    cancelled = _order(api, "buyer-9")
    now = timezone.now()
    for order, hours in ((older, 5), (oldest, 30), (newer, 1), (cancelled, 40)):
        Order.objects.filter(pk=order["id"]).update(created_at=now - timedelta(hours=hours))
    workflow(agent_client, cancelled["id"], "cancel", reason="buyer changed their mind")

    response = agent_client.get(QUEUE)

    assert response.status_code == 200
    assert queue_ids(response) == [oldest["id"], older["id"], newer["id"]]


def test_queue_rows_show_what_an_agent_needs_with_personal_data_masked(agent_client, api, catalogue):
    order = _order(api, "buyer-1", special_requests={"card_message": "生日快乐"})

    content = agent_client.get(QUEUE).content.decode()

    assert order["external_id"] in content
    assert "138****8000" in content
    assert "13800138000" not in content
    assert "李*" in content
    assert f'href="/admin/orders/order/{order["id"]}/change/"' in content


def test_queue_filters_on_open_check_code(agent_client, api, catalogue):
    with_card = _order(api, "buyer-1", special_requests={"card_message": "生日快乐"})
    _order(api, "buyer-2")

    response = agent_client.get(QUEUE, {"open_check": "request.card_message"})

    assert queue_ids(response) == [with_card["id"]]


def test_queue_filter_skips_acknowledged_checks(agent_client, api, catalogue):
    order = _order(api, "buyer-1", special_requests={"card_message": "生日快乐"})
    workflow(agent_client, order["id"], "acknowledge", code="request.card_message", note="read back")

    response = agent_client.get(QUEUE, {"open_check": "request.card_message"})

    assert queue_ids(response) == []


def test_queue_severity_filter_lists_each_order_once(agent_client, api, catalogue):
    # given two open warnings on one order and none on the other
    two_warnings = _order(
        api, "buyer-1", lines=[RING], special_requests={"card_message": "生日快乐", "engraving": "致韩梅梅"}
    )
    _order(api, "buyer-2")
    blocked = _order(api, "buyer-3", lines=[{"sku": "NOPE-1", "quantity": 1, "unit_price": "10.00"}])

    warnings = agent_client.get(QUEUE, {"open_severity": "warning"})
    blockers = agent_client.get(QUEUE, {"open_severity": "blocker"})

    assert queue_ids(warnings) == [two_warnings["id"]]
    assert queue_ids(blockers) == [blocked["id"]]


def test_queue_search_finds_a_phone_typed_with_dashes(agent_client, api, catalogue):
    order = _order(api, "buyer-1")
    _order(
        api,
        "buyer-2",
        shipping_address={"recipient": "韩梅梅", "phone": "13900139000"},
    )

    response = agent_client.get(QUEUE, {"q": "138-0013-8000"})

    assert queue_ids(response) == [order["id"]]


def test_queue_queries_do_not_grow_with_rows(agent_client, api, catalogue):
    for n in range(2):
        _order(api, f"buyer-{n}", special_requests={"card_message": "生日快乐"})
    with CaptureQueriesContext(connection) as few:
        assert agent_client.get(QUEUE, {"open_severity": "warning"}).status_code == 200
    for n in range(2, 12):
        _order(api, f"buyer-{n}", special_requests={"card_message": "生日快乐"})

    with CaptureQueriesContext(connection) as many:
        response = agent_client.get(QUEUE, {"open_severity": "warning"})

    assert len(queue_ids(response)) == 12
    assert len(many) == len(few)


def test_queue_is_for_those_who_confirm(warehouse_client, api, catalogue):
    assert warehouse_client.get(QUEUE).status_code == 403


# --- the order page ------------------------------------------------------------------------------


def test_order_page_reads_back_lines_requests_and_return_policy(agent_client, api, catalogue):
    order = create_order(
        api,
        lines=[TEE, {"sku": "SHOE-WHITE-42", "size": "42", "colour": "白色", "quantity": 1, "unit_price": "259.00"}],
        special_requests={"courier": "SF", "gift_wrap": True, "card_message": "生日快乐  \n永远年轻"},
        buyer_note="下午三点后送货",
    )

    content = agent_client.get(page_url(order["id"])).content.decode()

    for text in ("TEE-RED-M", "纯棉T恤", "红色", "SHOE-WHITE-42", "小白鞋", "白色", "42"):
        assert text in content
    assert '<td class="verbatim">2</td>' in content  # the tee's quantity
    assert "生日快乐  \n永远年轻" in content  # the card verbatim, spacing and all
    assert "下午三点后送货" in content
    assert "SF — " in content
    assert "tags must stay on and the clothes unwashed" in content  # apparel-7d, in English
    assert "try the shoes on a clean floor or on paper" in content  # shoes-7d
    assert content.index('id="address"') < content.index('id="lines"') < content.index('id="checklist"')


def test_order_page_reads_the_return_policy_in_the_agents_language(agent_client, api, catalogue):
    order = create_order(api)

    content = agent_client.get(page_url(order["id"]), headers={"Accept-Language": "zh-hans"}).content.decode()

    assert "吊牌需完好" in content


def test_engraved_goods_fall_under_the_custom_policy_on_the_page(agent_client, api, catalogue):
    order = create_order(api, lines=[RING, TEE], special_requests={"engraving": "致韩梅梅"})

    content = agent_client.get(page_url(order["id"])).content.decode()

    assert "致韩梅梅" in content
    assert "Customised (engraved) goods cannot be returned without a reason" in content
    assert "(RING-SILVER-12)" in content
    assert "tags must stay on" in content  # the tee keeps its own policy


def test_order_page_shows_each_check_as_a_sentence_with_its_status(agent_client, api, catalogue):
    order = create_order(api, special_requests={"engraving": "致韩梅梅"})

    content = agent_client.get(page_url(order["id"])).content.decode()

    # the engraving cannot be done on a tee: a blocker, read aloud with the text verbatim
    assert "Engraving “致韩梅梅” was asked for, but nothing in this order can be engraved." in content
    assert "request.engraving" in content
    assert "severity-blocker" in content


def test_acknowledge_form_only_for_open_warnings(agent_client, api, catalogue):
    order = create_order(api, lines=[RING], special_requests={"engraving": "致韩梅梅", "card_message": "生日快乐"})

    content = agent_client.get(page_url(order["id"])).content.decode()

    assert content.count('name="code" value="request.engraving"') == 1
    assert content.count('name="code" value="request.card_message"') == 1
    blocked = create_order(api, lines=[{"sku": "NOPE-1", "quantity": 1, "unit_price": "10.00"}])
    content = agent_client.get(page_url(blocked["id"])).content.decode()
    assert 'name="code" value="line.unknown_sku"' not in content


def test_agent_sees_the_full_phone_and_the_warehouse_a_masked_one(agent_client, warehouse_client, api, catalogue):
    order = create_order(api)

    agent_page = agent_client.get(page_url(order["id"])).content.decode()
    warehouse_page = warehouse_client.get(page_url(order["id"])).content.decode()

    assert "13800138000" in agent_page
    assert "138****8000" in warehouse_page
    assert "13800138000" not in warehouse_page
    assert "漕溪北路 88 弄 3 号 502" in warehouse_page  # the warehouse needs the street to ship


def test_warehouse_sees_no_buttons_and_is_refused_on_their_urls(warehouse_client, api, catalogue):
    order = create_order(api, special_requests={"card_message": "生日快乐"})
    version = Order.objects.get(pk=order["id"]).version

    content = warehouse_client.get(page_url(order["id"])).content.decode()

    assert "/edit/" not in content
    assert "/workflow/" not in content
    for part in ("address", "lines", "requests"):
        url = f"/admin/orders/order/{order['id']}/edit/{part}/"
        assert warehouse_client.get(url).status_code == 403
        assert warehouse_client.post(url, {"version": version, "recipient": "x"}).status_code == 403
    for action in ("confirm", "acknowledge", "hold", "release", "cancel", "recheck"):
        url = f"/admin/orders/order/{order['id']}/workflow/{action}/"
        assert warehouse_client.post(url, {"version": version, "reason": "x"}).status_code == 403
    assert Order.objects.get(pk=order["id"]).version == version


def test_order_page_queries_do_not_grow_with_lines_checks_and_events(agent_client, api, catalogue):
    small = create_order(api, customer={"external_id": "buyer-1"})
    big = create_order(
        api,
        customer={"external_id": "buyer-2"},
        lines=[
            TEE,
            RING,
            {"sku": "SHOE-WHITE-40", "quantity": 1},
            {"sku": "SHOE-WHITE-42", "quantity": 1},
            {"sku": "EARBUDS-BLACK", "quantity": 9},
            {"sku": "NOPE-1", "quantity": 1, "unit_price": "1.00"},
        ],
        special_requests={"courier": "SF", "gift_wrap": True, "engraving": "致韩梅梅", "card_message": "生日快乐"},
    )
    workflow(agent_client, big["id"], "acknowledge", code="request.card_message", note="read back")
    workflow(agent_client, big["id"], "hold", reason="waiting for the buyer")
    agent_client.get(page_url(small["id"]))  # warm the shop settings cache

    with CaptureQueriesContext(connection) as few:
        assert agent_client.get(page_url(small["id"])).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert agent_client.get(page_url(big["id"])).status_code == 200

    assert len(many) == len(few) <= 14  # + the payments and refunds (orders.admin.payments)


# --- the buttons ---------------------------------------------------------------------------------


def test_acknowledging_a_warning_records_the_note_and_the_agent(agent_client, api, catalogue, agent):
    order = create_order(api, special_requests={"card_message": "生日快乐"})

    response = workflow(agent_client, order["id"], "acknowledge", code="request.card_message", note="buyer agreed")

    assert "The check is acknowledged." in response.content.decode()
    result = Order.objects.get(pk=order["id"]).checks.get(code="request.card_message")
    assert (result.status, result.note, result.resolved_by) == (CheckStatus.ACKNOWLEDGED, "buyer agreed", agent)
    assert "buyer agreed" in response.content.decode()
    event = OrderEvent.objects.filter(order_id=order["id"], type=OrderEventType.CHECK_ACKNOWLEDGED).get()
    assert event.actor == agent


def test_acknowledging_without_a_note_is_refused(agent_client, api, catalogue):
    order = create_order(api, special_requests={"card_message": "生日快乐"})
    version = Order.objects.get(pk=order["id"]).version

    response = workflow(agent_client, order["id"], "acknowledge", code="request.card_message", note="  ")

    assert response.status_code == 200
    assert "Note: This field is required." in response.content.decode()
    assert open_codes(order["id"]) == ["request.card_message"]
    assert Order.objects.get(pk=order["id"]).version == version


def test_a_blocker_cannot_be_acknowledged(agent_client, api, catalogue):
    order = create_order(api, lines=[{"sku": "NOPE-1", "quantity": 1, "unit_price": "10.00"}])

    response = workflow(agent_client, order["id"], "acknowledge", code="line.unknown_sku", key="1", note="ok")

    assert "Line.unknown_sku is a blocker" in response.content.decode()  # capitalised by the admin
    assert open_codes(order["id"]) == ["line.unknown_sku"]


def test_confirm_refused_with_a_blocker_then_allowed_after_fixing_the_lines(agent_client, api, catalogue, agent):
    # given a dress ordered twice while one is in stock
    dresses = [{"sku": "DRESS-RED-S", "size": "S", "colour": "红色", "quantity": 2}]
    order = create_order(api, lines=dresses, shipping_fee="0.00")  # shipped free from 108
    assert open_codes(order["id"]) == ["line.out_of_stock"]

    refused = workflow(agent_client, order["id"], "confirm")

    assert "The order has open blockers" in refused.content.decode()
    assert "Open blockers: Out of stock." in refused.content.decode()
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.PENDING_CONFIRMATION

    # when the agent corrects the quantity with the buyer
    line = Order.objects.get(pk=order["id"]).lines.get()
    fixed = agent_client.post(
        f"/admin/orders/order/{order['id']}/edit/lines/",
        {
            "version": Order.objects.get(pk=order["id"]).version,
            "lines-TOTAL_FORMS": 1,
            "lines-INITIAL_FORMS": 1,
            "lines-0-line_id": line.pk,
            "lines-0-sku": "DRESS-RED-S",
            "lines-0-size": "S",
            "lines-0-colour": "红色",
            "lines-0-quantity": 1,
        },
        follow=True,
    )
    assert fixed.redirect_chain[-1][0] == page_url(order["id"])  # the result message takes the focus
    assert "The checks ran again" in fixed.content.decode()
    assert open_codes(order["id"]) == []

    # then the order confirms
    confirmed = workflow(agent_client, order["id"], "confirm")
    assert "The order is confirmed." in confirmed.content.decode()
    stored = Order.objects.get(pk=order["id"])
    assert (stored.status, stored.confirmed_by) == (OrderStatus.CONFIRMED, agent)


def test_confirm_refused_while_a_warning_is_unread(agent_client, api, catalogue):
    order = create_order(api, special_requests={"card_message": "生日快乐"})

    response = workflow(agent_client, order["id"], "confirm")

    assert "Warnings to acknowledge: Card message." in response.content.decode()
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.PENDING_CONFIRMATION


def test_hold_needs_a_reason_and_release_puts_the_order_back(agent_client, api, catalogue):
    order = create_order(api)
    page = agent_client.get(page_url(order["id"])).content.decode()
    assert "/workflow/hold/" in page
    assert "/workflow/cancel/" in page

    refused = workflow(agent_client, order["id"], "hold", reason="")
    assert "Reason: This field is required." in refused.content.decode()
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.PENDING_CONFIRMATION

    held = workflow(agent_client, order["id"], "hold", reason="buyer will call back")
    content = held.content.decode()
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.ON_HOLD
    assert "buyer will call back" in content
    assert "/workflow/release/" in content
    assert "/workflow/confirm/" not in content
    assert "/workflow/hold/" not in content
    assert "/workflow/cancel/" in content
    assert order["id"] not in queue_ids(agent_client.get(QUEUE))

    workflow(agent_client, order["id"], "release")
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.PENDING_CONFIRMATION
    assert order["id"] in queue_ids(agent_client.get(QUEUE))


def test_cancel_with_a_reason_ends_the_order(agent_client, api, catalogue):
    order = create_order(api)

    response = workflow(agent_client, order["id"], "cancel", reason="duplicate order")

    stored = Order.objects.get(pk=order["id"])
    assert stored.status == OrderStatus.CANCELLED
    content = response.content.decode()
    assert "The order is cancelled." in content
    assert "/workflow/" not in content
    assert "/edit/" not in content
    again = workflow(agent_client, order["id"], "hold", reason="too late")
    assert "cannot move to that status" in again.content.decode()
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.CANCELLED


def test_recheck_runs_the_checks_again(agent_client, api, catalogue):
    order = create_order(api, lines=[{"sku": "DRESS-RED-S", "quantity": 1}], shipping_fee="0.00")  # free from 108
    Variant.objects.filter(sku="DRESS-RED-S").update(stock=0)

    response = workflow(agent_client, order["id"], "recheck")

    assert "The checks ran again." in response.content.decode()
    assert open_codes(order["id"]) == ["line.out_of_stock"]


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("confirm", {}),
        ("hold", {"reason": "later"}),
        ("cancel", {"reason": "no"}),
        ("acknowledge", {"code": "request.card_message", "note": "read"}),
    ],
)
def test_a_stale_version_is_refused_and_changes_nothing(agent_client, api, catalogue, action, fields):
    order = create_order(api, special_requests={"card_message": "生日快乐"})
    seen = Order.objects.get(pk=order["id"]).version
    Order.objects.filter(pk=order["id"]).update(version=seen + 1)  # somebody else's change in between
    events = OrderEvent.objects.filter(order_id=order["id"]).count()

    response = workflow(agent_client, order["id"], action, version=seen, **fields)

    assert "changed by somebody else; reload it" in response.content.decode()
    stored = Order.objects.get(pk=order["id"])
    assert (stored.status, stored.version) == (OrderStatus.PENDING_CONFIRMATION, seen + 1)
    assert open_codes(order["id"]) == ["request.card_message"]
    assert OrderEvent.objects.filter(order_id=order["id"]).count() == events


def test_a_post_without_the_version_is_refused(agent_client, api, catalogue):
    order = create_order(api)

    response = agent_client.post(f"/admin/orders/order/{order['id']}/workflow/confirm/", {}, follow=True)

    assert "The page is out of date" in response.content.decode()
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.PENDING_CONFIRMATION


def test_buttons_answer_post_only_and_unknown_ones_are_not_found(agent_client, api, catalogue):
    order = create_order(api)

    assert agent_client.get(f"/admin/orders/order/{order['id']}/workflow/confirm/").status_code == 405
    assert agent_client.post(f"/admin/orders/order/{order['id']}/workflow/explode/", {}).status_code == 404
    assert agent_client.post(page_url(order["id"]), {}).status_code == 405
    assert agent_client.get(page_url(999999)).status_code == 404


def test_staff_without_a_role_cannot_open_an_order(client, staff_user, api, catalogue):
    admin_login(client, staff_user(None, "nobody"))
    order = create_order(api)

    assert client.get(page_url(order["id"])).status_code == 403


def test_supervisor_has_the_agents_buttons(client, staff_user, api, catalogue):
    admin_login(client, staff_user(SUPERVISORS, "boss"))
    order = create_order(api)

    content = client.get(page_url(order["id"])).content.decode()

    assert "/workflow/confirm/" in content
    assert "/edit/address/" in content


# --- the edit forms ------------------------------------------------------------------------------


def _address_form(order_id: int, **changes) -> dict:
    order = Order.objects.get(pk=order_id)
    data = {"version": order.version, **order.shipping_address.as_dict(), "phone": "13800138000"}
    data.update(changes)
    return data


def test_address_edit_refuses_an_unparseable_phone_and_stores_nothing(agent_client, api, catalogue):
    order = create_order(api)
    version = Order.objects.get(pk=order["id"]).version
    url = f"/admin/orders/order/{order['id']}/edit/address/"

    response = agent_client.post(url, _address_form(order["id"], phone="call me", street="新地址 1 号"))

    assert response.status_code == 200
    assert "“call me” is not a phone number." in response.content.decode()
    stored = Order.objects.get(pk=order["id"])
    assert (stored.version, stored.ship_street) == (version, "漕溪北路 88 弄 3 号 502")


def test_address_edit_reruns_the_checks_and_records_before_and_after(agent_client, api, catalogue, agent):
    # given an order whose street is missing: a blocker
    order = create_order(api, shipping_address={"street": ""})
    assert "address.incomplete" in open_codes(order["id"])
    assert "The order has open blockers" in workflow(agent_client, order["id"], "confirm").content.decode()
    url = f"/admin/orders/order/{order['id']}/edit/address/"
    assert 'value="13800138000"' in agent_client.get(url).content.decode()

    response = agent_client.post(url, _address_form(order["id"], street="漕溪北路 88 弄 3 号 502"), follow=True)

    assert open_codes(order["id"]) == []
    event = OrderEvent.objects.get(order_id=order["id"], type=OrderEventType.ADDRESS_CHANGED)
    assert (event.actor, event.data["after"]) == (agent, {"street": "漕溪北路 88 弄 3 号 502"})
    assert '— <span class="change-arrow">&rarr;</span> 漕溪北路 88 弄 3 号 502' in response.content.decode()
    assert "The order is confirmed." in workflow(agent_client, order["id"], "confirm").content.decode()


def test_a_phone_change_in_the_history_is_masked_for_the_warehouse(agent_client, warehouse_client, api, catalogue):
    order = create_order(api)
    url = f"/admin/orders/order/{order['id']}/edit/address/"
    agent_client.post(url, _address_form(order["id"], phone="139 0013 9000"))
    assert Order.objects.get(pk=order["id"]).ship_phone == "+8613900139000"

    agent_page = agent_client.get(page_url(order["id"])).content.decode()
    warehouse_page = warehouse_client.get(page_url(order["id"])).content.decode()

    assert "13900139000" in agent_page
    assert "13900139000" not in warehouse_page
    assert "139****9000" in warehouse_page


def test_line_edit_with_a_new_sku_takes_its_size_and_colour(agent_client, api, catalogue):
    order = create_order(api)
    line = Order.objects.get(pk=order["id"]).lines.get()
    url = f"/admin/orders/order/{order['id']}/edit/lines/"
    assert "TEE-RED-M" in agent_client.get(url).content.decode()

    agent_client.post(
        url,
        {
            "version": Order.objects.get(pk=order["id"]).version,
            "lines-TOTAL_FORMS": 1,
            "lines-INITIAL_FORMS": 1,
            "lines-0-line_id": line.pk,
            "lines-0-sku": "TEE-WHITE-M",
            "lines-0-size": "M",
            "lines-0-colour": "红色",
            "lines-0-quantity": 1,
        },
    )

    line.refresh_from_db()
    assert (line.sku, line.size, line.colour) == ("TEE-WHITE-M", "M", "白色")
    assert open_codes(order["id"]) == []
    history = agent_client.get(page_url(order["id"])).content.decode()
    assert '#1 colour: 红色 <span class="change-arrow">&rarr;</span> 白色' in history


def test_line_edit_refuses_a_quantity_below_one(agent_client, api, catalogue):
    order = create_order(api)
    line = Order.objects.get(pk=order["id"]).lines.get()
    version = Order.objects.get(pk=order["id"]).version

    response = agent_client.post(
        f"/admin/orders/order/{order['id']}/edit/lines/",
        {
            "version": version,
            "lines-TOTAL_FORMS": 1,
            "lines-INITIAL_FORMS": 1,
            "lines-0-line_id": line.pk,
            "lines-0-sku": "TEE-RED-M",
            "lines-0-quantity": 0,
        },
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 1
    assert Order.objects.get(pk=order["id"]).version == version


def test_requests_edit_saves_verbatim_and_reruns_the_checks(agent_client, api, catalogue):
    order = create_order(api, lines=[RING])
    url = f"/admin/orders/order/{order['id']}/edit/requests/"
    assert 'value="SF"' in agent_client.get(url).content.decode()

    response = agent_client.post(
        url,
        {
            "version": Order.objects.get(pk=order["id"]).version,
            "courier": "SF",
            "gift_wrap": "on",
            "engraving": "LOVE·永远",
            "card_message": "",
            "buyer_note": "周末送",
        },
        follow=True,
    )

    stored = Order.objects.get(pk=order["id"])
    assert (stored.requested_courier, stored.gift_wrap, stored.engraving_text, stored.buyer_note) == (
        "SF",
        True,
        "LOVE·永远",
        "周末送",
    )
    assert "request.engraving" in open_codes(order["id"])
    assert "LOVE·永远" in response.content.decode()


def test_requests_edit_refuses_a_courier_the_shop_does_not_know(agent_client, api, catalogue):
    order = create_order(api)
    version = Order.objects.get(pk=order["id"]).version

    response = agent_client.post(
        f"/admin/orders/order/{order['id']}/edit/requests/",
        {"version": version, "courier": "DHL", "engraving": "", "card_message": "", "buyer_note": ""},
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert Order.objects.get(pk=order["id"]).version == version


def test_an_edit_with_a_stale_version_shows_the_error_and_stores_nothing(agent_client, api, catalogue):
    order = create_order(api)
    data = _address_form(order["id"], street="新地址 1 号")
    Order.objects.filter(pk=order["id"]).update(version=data["version"] + 1)

    response = agent_client.post(f"/admin/orders/order/{order['id']}/edit/address/", data)

    assert response.status_code == 200
    assert "Somebody else changed the order" in response.content.decode()
    assert Order.objects.get(pk=order["id"]).ship_street == "漕溪北路 88 弄 3 号 502"


def test_a_shipped_order_offers_no_edits(agent_client, api, catalogue):
    order = create_order(api)
    Order.objects.filter(pk=order["id"]).update(status=OrderStatus.SHIPPED)

    content = agent_client.get(page_url(order["id"])).content.decode()

    assert "/edit/" not in content
    assert "/workflow/" not in content
