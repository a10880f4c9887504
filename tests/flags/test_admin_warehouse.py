"""The warehouse in the admin: filter by colour, badges, pick list, flags and shipping on the order page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flags.models import Flag, FlagCategory
from orders.models import Courier, Order
from tests.orders.helpers import create_confirmed_order, create_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_language() -> None:
    """This module reads the admin in its default language, Chinese."""
    return None


def confirmed(agent_api, api, **overrides) -> dict:
    return create_confirmed_order(api, agent_api, **overrides)


def test_filter_by_red_lists_only_red_orders_with_counts(warehouse_client, api, catalogue):
    red = create_order(api, special_requests={"courier": "SF"}, shipping_fee="12.00")
    blue = create_order(api, special_requests={"gift_wrap": True}, customer={"external_id": "b2"})

    page = warehouse_client.get("/admin/orders/order/", {"flag": "red"}).content.decode()

    assert red["external_id"] in page
    assert blue["external_id"] not in page
    assert re.search(r"(红色|Red) \(1\)", page)
    assert "flag-badge" in page


def test_changelist_with_flags_has_no_n_plus_one(warehouse_client, api, catalogue):
    for n in range(3):
        create_order(api, special_requests={"courier": "SF", "gift_wrap": True}, customer={"external_id": f"a{n}"})
    with CaptureQueriesContext(connection) as few:
        warehouse_client.get("/admin/orders/order/")
    for n in range(10):
        create_order(api, special_requests={"courier": "SF", "gift_wrap": True}, customer={"external_id": f"b{n}"})

    with CaptureQueriesContext(connection) as many:
        warehouse_client.get("/admin/orders/order/")

    assert len(many) <= len(few)


def test_pick_list_action_opens_the_pick_list(warehouse_client, agent_api, api, catalogue):
    orders = [confirmed(agent_api, api, customer={"external_id": f"b{n}"}) for n in range(2)]

    response = warehouse_client.post(
        "/admin/orders/order/", {"action": "print_pick_list", "_selected_action": [o["id"] for o in orders]}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/warehouse/pick-list/?ids=")


def test_pick_list_action_refuses_a_selection_without_a_confirmed_order(warehouse_client, api, catalogue):
    order = create_order(api)

    response = warehouse_client.post(
        "/admin/orders/order/", {"action": "print_pick_list", "_selected_action": [order["id"]]}, follow=True
    )

    assert response.redirect_chain[-1][0].startswith("/admin/orders/order/")
    assert "只有已确认的订单" in " ".join(m.message for m in response.context["messages"])


def test_warehouse_adds_and_clears_a_flag_on_the_order_page(warehouse_client, api, catalogue):
    order = create_order(api)

    warehouse_client.post(
        f"/admin/orders/order/{order['id']}/warehouse/flag-add/", {"category": "abnormal", "note": "外箱破损"}
    )
    flag = Flag.objects.get()
    page = warehouse_client.get(f"/admin/orders/order/{order['id']}/change/").content.decode()
    warehouse_client.post(f"/admin/orders/order/{order['id']}/warehouse/flag-clear/", {"flag": flag.pk})

    assert (flag.colour, flag.author.username) == ("purple", "warehouse-zhao")
    assert "外箱破损" in page
    flag.refresh_from_db()
    assert flag.cleared_at is not None


def test_ship_from_the_order_page(warehouse_client, agent_api, api, catalogue):
    order = confirmed(agent_api, api)
    version = Order.objects.get().version

    response = warehouse_client.post(
        f"/admin/orders/order/{order['id']}/warehouse/ship/",
        {"version": version, "courier": "ZTO", "tracking_number": "753456789012"},
        follow=True,
    )

    assert Order.objects.get().status == "shipped"
    assert response.status_code == 200


def test_promised_sf_order_cannot_ship_with_zto_in_the_admin(warehouse_client, agent_api, api, catalogue):
    order = confirmed(agent_api, api, special_requests={"courier": "SF"}, shipping_fee="12.00")

    response = warehouse_client.post(
        f"/admin/orders/order/{order['id']}/warehouse/ship/",
        {"version": Order.objects.get().version, "courier": "ZTO", "tracking_number": "753456789012"},
        follow=True,
    )

    assert Order.objects.get().status == "confirmed"
    assert "SF" in " ".join(m.message for m in response.context["messages"])
    assert 'value="753456789012"' in response.content.decode()  # the page comes back with the number typed


def test_bad_tracking_number_is_a_form_message_and_nothing_ships(warehouse_client, agent_api, api, catalogue):
    order = confirmed(agent_api, api)

    warehouse_client.post(
        f"/admin/orders/order/{order['id']}/warehouse/ship/",
        {"version": Order.objects.get().version, "courier": "ZTO", "tracking_number": "12"},
    )

    assert Order.objects.get().status == "confirmed"


def test_warehouse_page_has_ship_and_flag_forms_but_no_edit_or_price_controls(
    warehouse_client, agent_api, api, catalogue
):
    order = confirmed(agent_api, api)

    page = warehouse_client.get(f"/admin/orders/order/{order['id']}/change/").content.decode()

    assert "/warehouse/ship/" in page
    assert "/warehouse/flag-add/" in page
    assert "/edit/address/" not in page
    assert "138****8000" in page


@pytest.mark.parametrize(
    ("requests", "switched_off", "preselected"),
    [({"courier": "SF"}, None, "SF"), ({}, None, "STO"), ({"courier": "SF"}, "SF", None)],
)
def test_ship_form_preselects_the_promised_courier_else_the_default_and_offers_couriers_in_use(
    warehouse_client, agent_api, api, catalogue, requests, switched_off, preselected
):
    order = confirmed(agent_api, api, special_requests=requests, shipping_fee="12.00")
    for courier in Courier.objects.filter(code=switched_off):
        courier.in_use = False
        courier.save()  # the shop config cache hears of it

    page = warehouse_client.get(f"/admin/orders/order/{order['id']}/change/").content.decode()

    # the promised courier switched off: nothing a warehouse user could ship without breaking the promise
    assert f'<option value="{preselected or ""}" selected>' in page
    assert '<option value="JD"' not in page  # switched off in the defaults
    if switched_off:
        assert f'<option value="{switched_off}"' not in page


def test_agent_cannot_ship(client, staff_user, agent_api, api, catalogue):
    client.force_login(staff_user("agents", username="ag"))
    order = confirmed(agent_api, api)

    response = client.post(
        f"/admin/orders/order/{order['id']}/warehouse/ship/",
        {"version": 1, "courier": "ZTO", "tracking_number": "753456789012"},
    )

    assert response.status_code == 403


def test_supervisor_overrides_the_promised_courier_in_the_admin(supervisor_client, agent_api, api, catalogue):
    order = confirmed(agent_api, api, special_requests={"courier": "SF"}, shipping_fee="12.00")

    supervisor_client.post(
        f"/admin/orders/order/{order['id']}/warehouse/ship/",
        {
            "version": Order.objects.get().version,
            "courier": "ZTO",
            "tracking_number": "753456789012",
            "override_reason": "顺丰停运",
        },
    )

    assert Order.objects.get().shipped_courier == "ZTO"


def test_abnormal_orders_list_shows_reasons(supervisor_client, api, catalogue):
    create_order(api, lines=[{"sku": "DRESS-RED-S", "quantity": 2}])

    page = supervisor_client.get("/admin/orders/abnormalorder/").content.decode()
    english = supervisor_client.get(
        "/admin/orders/abnormalorder/", {"reason": "stock_shortfall"}, headers={"Accept-Language": "en"}
    ).content.decode()

    assert "库存" in page or "stock" in page
    assert "stock shortfall" in english


def test_recolouring_the_abnormal_category_keeps_its_orders_abnormal(supervisor_client, agent_api, api, catalogue):
    order = create_order(api)
    agent_api.post(f"/api/v1/orders/{order['id']}/flags/", {"category": "abnormal", "note": "买家投诉"}, format="json")
    category = FlagCategory.objects.get(code="abnormal")

    supervisor_client.post(
        f"/admin/flags/flagcategory/{category.pk}/change/",
        {
            "code": category.code,
            "name": category.name,
            "colour": "orange",
            "position": category.position,
            "description": category.description,
        },
    )
    supervisor_client.post(
        "/admin/flags/flagcategory/", {"action": "recolour_open_flags", "_selected_action": [category.pk]}
    )

    assert Flag.objects.get(order_id=order["id"]).colour == "orange"
    abnormal = agent_api.get("/api/v1/orders/abnormal/").json()["results"]
    assert [(row["id"], row["reasons"]) for row in abnormal] == [(order["id"], ["purple_flag"])]
    page = supervisor_client.get("/admin/orders/abnormalorder/", {"reason": "purple_flag"}).content.decode()
    assert order["external_id"] in page


def test_order_page_lists_the_buyers_messages_and_retries_a_failed_one(client, staff_user, agent_api, api, catalogue):
    from orders.messaging.models import Message, MessageStatus

    client.force_login(staff_user("agents", username="ag"))
    order = confirmed(agent_api, api)
    message = Message.objects.get(order_id=order["id"])
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, last_error="gateway timeout")

    page = client.get(f"/admin/orders/order/{order['id']}/change/").content.decode()
    client.post(f"/admin/orders/order/{order['id']}/messages/retry/", {"message": message.pk})

    assert "gateway timeout" in page
    message.refresh_from_db()
    assert message.status != MessageStatus.FAILED


def test_delivery_schedules_the_return_reminder(warehouse_client, agent_api, api, catalogue):
    from orders.messaging.models import Message

    order = confirmed(agent_api, api)
    warehouse_client.post(
        f"/admin/orders/order/{order['id']}/warehouse/ship/",
        {"version": Order.objects.get().version, "courier": "ZTO", "tracking_number": "753456789012"},
    )

    warehouse_client.post(
        f"/admin/orders/order/{order['id']}/warehouse/deliver/", {"version": Order.objects.get().version}
    )

    assert Order.objects.get().status == "delivered"
    assert Message.objects.filter(order_id=order["id"], kind="return_policy_reminder").count() == 1


def test_buyer_change_request_raises_a_purple_flag_and_lists_the_order_as_abnormal(agent_api, api, catalogue):
    from orders.messaging.buyer import buyer_change_request
    from orders.messaging.links import buyer_link_issue

    order = confirmed(agent_api, api)
    token = buyer_link_issue(order=Order.objects.get(pk=order["id"]), valid_days=7)

    buyer_change_request(token=token, text="请改成L码")

    flag = Flag.objects.get(order_id=order["id"], colour="purple")
    assert "请改成L码" in flag.note
    assert Order.objects.get().status == "pending_confirmation"
    abnormal = agent_api.get("/api/v1/orders/abnormal/").json()["results"]
    assert [row["reasons"] for row in abnormal] == [["purple_flag"]]
