"""Shipping, tracking corrections, delivery and the abnormal-orders list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order, OrderEvent
from tests.orders.helpers import act, create_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(agent_api, api, catalogue):
    def make(**overrides) -> dict:
        order = create_order(api, **overrides)
        for check in order["checks"]:
            if check["severity"] != "blocker" and check["status"] == "open":
                act(agent_api, order, f"checks/{check['code']}/acknowledge", {"note": "已与买家核对"})
        response = act(agent_api, order, "confirm")
        assert response.status_code == 200, response.content
        return response.json()

    return make


def test_ship_with_a_valid_tracking_number(warehouse_api, confirmed):
    order = confirmed()

    response = act(warehouse_api, order, "ship", {"courier": "zto", "tracking_number": "7534 5678 9012"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "shipped"
    assert (body["shipment"]["courier"], body["shipment"]["tracking_number"]) == ("ZTO", "753456789012")
    assert OrderEvent.objects.filter(type="shipped", actor=warehouse_api.user).exists()


@pytest.mark.parametrize(("courier", "number"), [("SF", "1234"), ("ZTO", "SF1234567890123"), ("YTO", "YT12")])
def test_tracking_number_must_match_the_couriers_format(warehouse_api, confirmed, courier, number):
    order = confirmed(special_requests={"courier": courier}, shipping_fee="30.00")

    response = act(warehouse_api, order, "ship", {"courier": courier, "tracking_number": number})

    assert response.status_code == 400
    assert "tracking_number" in response.json()["fields"]
    assert Order.objects.get().status == "confirmed"


def test_unknown_courier_is_400(warehouse_api, confirmed):
    response = act(warehouse_api, confirmed(), "ship", {"courier": "DHL", "tracking_number": "123"})

    assert response.status_code == 400
    assert "courier" in response.json()["fields"]


def test_only_confirmed_orders_ship(warehouse_api, api, catalogue):
    order = create_order(api)

    response = act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"})

    assert response.status_code == 409
    assert response.json()["code"] == "shipping_refused"


def test_promised_sf_order_cannot_ship_with_zto(warehouse_api, confirmed):
    order = confirmed(special_requests={"courier": "SF"}, shipping_fee="12.00")

    response = act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"})

    assert response.status_code == 409
    assert "SF" in response.json()["message"]
    assert Order.objects.get().status == "confirmed"


def test_warehouse_cannot_override_the_promise_even_with_a_reason(warehouse_api, confirmed):
    order = confirmed(special_requests={"courier": "SF"}, shipping_fee="12.00")

    response = act(
        warehouse_api,
        order,
        "ship",
        {"courier": "ZTO", "tracking_number": "753456789012", "override_reason": "顺丰停运"},
    )

    assert response.status_code == 403


def test_supervisor_overrides_the_promise_with_a_reason_recorded(supervisor_api, confirmed):
    order = confirmed(special_requests={"courier": "SF"}, shipping_fee="12.00")

    response = act(
        supervisor_api,
        order,
        "ship",
        {"courier": "ZTO", "tracking_number": "753456789012", "override_reason": "顺丰停运，买家同意改中通"},
    )

    assert response.status_code == 200
    event = OrderEvent.objects.get(type="courier_overridden")
    assert event.data == {"promised": "SF", "courier": "ZTO", "reason": "顺丰停运，买家同意改中通"}
    assert event.actor == supervisor_api.user


def test_promised_courier_ships(warehouse_api, confirmed):
    order = confirmed(special_requests={"courier": "SF"}, shipping_fee="12.00")

    response = act(warehouse_api, order, "ship", {"courier": "SF", "tracking_number": "sf1234567890123"})

    assert response.json()["shipment"]["tracking_number"] == "SF1234567890123"


def test_courier_the_shop_does_not_use_is_refused(warehouse_api, confirmed):
    response = act(warehouse_api, confirmed(), "ship", {"courier": "JD", "tracking_number": "JDVA12345678901"})

    assert response.status_code == 409


def test_correcting_a_tracking_number_is_an_event(warehouse_api, confirmed):
    order = confirmed()
    act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"})

    response = act(warehouse_api, order, "tracking", {"tracking_number": "753456789099", "reason": "录入错误"})

    assert response.json()["shipment"]["tracking_number"] == "753456789099"
    event = OrderEvent.objects.get(type="tracking_corrected")
    assert event.data["before"]["tracking_number"] == "753456789012"
    assert event.data["after"]["tracking_number"] == "753456789099"


def test_correction_cannot_switch_away_from_the_promised_courier(warehouse_api, confirmed):
    order = confirmed(special_requests={"courier": "SF"}, shipping_fee="12.00")
    act(warehouse_api, order, "ship", {"courier": "SF", "tracking_number": "SF1234567890123"})

    response = act(
        warehouse_api, order, "tracking", {"courier": "ZTO", "tracking_number": "753456789012", "reason": "x"}
    )

    assert response.status_code == 409


def test_deliver_records_the_time(warehouse_api, confirmed):
    order = confirmed()
    act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"})
    Order.objects.filter(pk=order["id"]).update(shipped_at=timezone.now() - timedelta(days=2))
    when = (timezone.now() - timedelta(hours=1)).isoformat()

    response = act(warehouse_api, order, "deliver", {"delivered_at": when})

    assert response.json()["status"] == "delivered"
    assert response.json()["shipment"]["delivered_at"] is not None


def test_deliver_in_the_future_or_before_shipping_is_400(warehouse_api, confirmed):
    order = confirmed()
    act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"})

    future = act(warehouse_api, order, "deliver", {"delivered_at": (timezone.now() + timedelta(days=1)).isoformat()})
    before = act(warehouse_api, order, "deliver", {"delivered_at": (timezone.now() - timedelta(days=9)).isoformat()})

    assert (future.status_code, before.status_code) == (400, 400)


def test_deliver_before_shipping_is_an_invalid_transition(warehouse_api, confirmed):
    assert act(warehouse_api, confirmed(), "deliver").json()["code"] == "invalid_transition"


def test_storefront_reports_shipping_and_delivery_of_its_own_orders(api, other_api, confirmed):
    order = confirmed()

    assert act(other_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"}).status_code == 404
    assert act(api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"}).status_code == 200
    assert act(api, order, "deliver").json()["status"] == "delivered"


def test_abnormal_orders_with_reasons(agent_api, api, catalogue):
    blocked = create_order(api, lines=[{"sku": "DRESS-RED-S", "quantity": 2}])
    held = create_order(api, customer={"external_id": "b2"})
    act(agent_api, held, "hold", {"reason": "等买家回复"})
    old = create_order(api, customer={"external_id": "b3"})
    Order.objects.filter(pk=old["id"]).update(created_at=timezone.now() - timedelta(hours=30))
    flagged = create_order(api, customer={"external_id": "b4"})
    agent_api.post(
        f"/api/v1/orders/{flagged['id']}/flags/", {"category": "abnormal", "note": "买家投诉"}, format="json"
    )
    create_order(api, customer={"external_id": "b5"})  # fresh and clean: not abnormal

    rows = agent_api.get("/api/v1/orders/abnormal/").json()["results"]

    reasons = {row["id"]: row["reasons"] for row in rows}
    assert reasons == {
        blocked["id"]: ["open_blockers", "stock_shortfall"],
        held["id"]: ["on_hold"],
        old["id"]: ["unconfirmed_overdue"],
        flagged["id"]: ["purple_flag"],
    }
    assert [row["id"] for row in rows] == sorted(reasons)  # oldest first


def test_abnormal_time_limit_is_a_shop_setting(agent_api, api, catalogue):
    from orders.models import ShopSettings
    from orders.shop_config import shop_config_invalidate

    order = create_order(api)
    Order.objects.filter(pk=order["id"]).update(created_at=timezone.now() - timedelta(hours=3))
    ShopSettings.objects.filter(pk=1).update(unconfirmed_alert_hours=2)
    shop_config_invalidate()

    rows = agent_api.get("/api/v1/orders/abnormal/").json()["results"]

    assert [row["reasons"] for row in rows] == [["unconfirmed_overdue"]]
