"""After the warehouse door (issue 16, 1-3): the shipped message, tracking news, stalled parcels."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from flags.models import Flag
from orders.events import Actor
from orders.messaging.models import Message
from orders.messaging.queue import message_resend, shipped_message_queue
from orders.models import Order, OrderEvent, ShopSettings, TrackingEvent
from tests.orders.helpers import act, create_order
from tests.orders.messaging.fakes import recording_on_every_channel

pytestmark = pytest.mark.django_db

XINJIANG = {
    "recipient": "买买提",
    "phone": "13900139000",
    "province": "新疆维吾尔自治区",
    "city": "乌鲁木齐市",
    "district": "天山区",
    "street": "解放北路 1 号",
    "postcode": "830000",
}


@pytest.fixture
def recording(settings):
    with recording_on_every_channel(settings) as recorder:
        yield recorder


@pytest.fixture
def shipped(api, agent_api, warehouse_api, catalogue, recording, django_capture_on_commit_callbacks):
    """``shipped(**overrides)`` -> the REST body of a confirmed order the warehouse shipped with ZTO."""

    def make(**overrides) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            order = create_order(api, **overrides)
            for check in order["checks"]:
                if check["severity"] != "blocker" and check["status"] == "open":
                    act(agent_api, order, f"checks/{check['code']}/acknowledge", {"note": "已与买家核对"})
            assert act(agent_api, order, "confirm").status_code == 200
            response = act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"})
        assert response.status_code == 200, response.content
        return response.json()

    return make


def news(client, order: dict, status: str = "in_transit", at=None, **fields):
    body = {"status": status, "at": (at or timezone.now()).isoformat(), **fields}
    return act(client, order, "tracking-events", body)


def abnormal(client) -> dict[int, list[str]]:
    response = client.get("/api/v1/orders/abnormal/")
    assert response.status_code == 200, response.content
    return {row["id"]: row["reasons"] for row in response.json()["results"]}


# --- the shipped message -------------------------------------------------------------------------------------


def test_a_shipped_order_tells_the_buyer_its_tracking_number_once(
    shipped, warehouse_api, recording, django_capture_on_commit_callbacks
):
    order = shipped()

    shipped_messages = [sent for sent in recording.sent if sent["kind"] == "shipped"]
    assert len(shipped_messages) == 1
    body = shipped_messages[0]["body"]
    assert "中通快递" in body and "753456789012" in body and "纯棉T恤" in body
    with django_capture_on_commit_callbacks(execute=True):
        corrected = act(warehouse_api, order, "tracking", {"tracking_number": "753456789099", "reason": "录入错误"})
        again = act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"})
    assert corrected.status_code == 200 and again.status_code == 409
    assert [sent["kind"] for sent in recording.sent].count("shipped") == 1
    assert Message.objects.filter(order_id=order["id"], kind="shipped").count() == 1


def test_the_shipped_message_is_queued_once_even_when_asked_again(shipped):
    order = Order.objects.get(pk=shipped()["id"])

    again = shipped_message_queue(order=order)

    assert Message.objects.filter(order=order, kind="shipped").get() == again


def test_the_shipped_message_speaks_english_to_an_english_buyer(shipped, recording):
    shipped(customer={"language": "en"})

    (message,) = [sent for sent in recording.sent if sent["kind"] == "shipped"]
    assert "Tracking number: 753456789012" in message["body"]
    assert Message.objects.get(kind="shipped").subject.endswith("has shipped")


def test_an_agent_can_resend_the_shipped_message_but_not_before_it_ships(shipped, api, agent_api, catalogue):
    order = Order.objects.get(pk=shipped()["id"])
    agent = Actor(user=agent_api.user)

    resent = message_resend(order_id=order.pk, template="shipped", reason="买家删了短信", actor=agent)

    assert resent.kind == "resend" and "753456789012" in resent.body
    unshipped = create_order(api)
    response = agent_api.post(
        f"/api/v1/orders/{unshipped['id']}/messages/resend/",
        data={"kind": "shipped", "reason": "test"},
        content_type="application/json",
    )
    assert response.status_code == 409


# --- tracking news -----------------------------------------------------------------------------------------


def test_the_storefront_posts_tracking_news_listed_on_the_order(shipped, api):
    order = shipped()

    response = news(api, order, location="上海转运中心", description="快件已到达【上海转运中心】")

    assert response.status_code == 201, response.content
    (item,) = response.json()["tracking"]
    assert (item["status"], item["location"], item["description"]) == (
        "in_transit",
        "上海转运中心",
        "快件已到达【上海转运中心】",
    )
    assert OrderEvent.objects.filter(order_id=order["id"], type="tracking_recorded").count() == 1


def test_the_same_status_and_time_again_is_a_replay(shipped, api):
    order = shipped()
    at = timezone.now() - timedelta(hours=1)

    first = news(api, order, at=at, location="上海")
    again = news(api, order, at=at, location="上海")
    later = news(api, order, at=at + timedelta(minutes=5), location="杭州")

    assert (first.status_code, again.status_code, later.status_code) == (201, 200, 201)
    assert TrackingEvent.objects.filter(order_id=order["id"]).count() == 2
    assert OrderEvent.objects.filter(order_id=order["id"], type="tracking_recorded").count() == 2
    assert len(later.json()["tracking"]) == 2


def test_the_warehouse_and_supervisors_post_tracking_news_agents_do_not(
    shipped, warehouse_api, supervisor_api, agent_api
):
    order = shipped()

    assert news(warehouse_api, order).status_code == 201
    assert news(supervisor_api, order, status="out_for_delivery").status_code == 201
    assert news(agent_api, order, status="exception").status_code == 403


def test_another_storefronts_order_is_404(shipped, other_api):
    order = shipped()

    assert news(other_api, order).status_code == 404
    assert not TrackingEvent.objects.exists()


def test_only_a_shipped_order_has_tracking_news(api, catalogue):
    order = create_order(api)

    response = news(api, order)

    assert response.status_code == 409
    assert response.json()["code"] == "shipping_refused"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "lost", "at": "2026-11-22T10:00:00+08:00"}, "status"),
        ({"status": "in_transit"}, "at"),
        ({"status": "in_transit", "at": "2099-01-01T00:00:00+08:00"}, "at"),
        ({"status": "in_transit", "at": "2026-11-22T10:00:00+08:00", "location": "x" * 201}, "location"),
    ],
)
def test_invalid_tracking_news_is_400(shipped, api, body, field):
    order = shipped()

    response = act(api, order, "tracking-events", body)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not TrackingEvent.objects.exists()


def test_delivered_news_delivers_the_order_with_its_return_window(shipped, api):
    order = shipped()
    at = timezone.now()

    response = news(api, order, status="delivered", at=at, description="已签收，签收人：本人")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "delivered"
    stored = Order.objects.get(pk=order["id"])
    assert (stored.delivered_at, stored.stalled_after) == (at, None)
    assert Message.objects.filter(order=stored, kind="return_policy_reminder").exists()
    assert news(api, order, status="delivered", at=at).status_code == 200  # a replay after delivery
    assert news(api, order, status="in_transit").status_code == 409


def test_delivered_news_before_the_order_shipped_is_400(shipped, api):
    order = shipped()

    response = news(api, order, status="delivered", at=timezone.now() - timedelta(days=1))

    assert response.status_code == 400
    assert "at" in response.json()["fields"]
    assert Order.objects.get(pk=order["id"]).status == "shipped"
    assert not TrackingEvent.objects.exists()


@pytest.mark.parametrize("status", ["exception", "returned_to_sender"])
def test_bad_news_makes_the_order_abnormal_with_a_purple_flag_in_the_couriers_words(shipped, api, agent_api, status):
    order = shipped()

    response = news(api, order, status=status, location="杭州", description="收件人电话无法接通")

    assert response.status_code == 201
    (flag,) = response.json()["flags"]
    assert flag["colour"] == "purple"
    assert "收件人电话无法接通" in flag["note"] and "杭州" in flag["note"]
    assert abnormal(agent_api)[order["id"]] == ["purple_flag"]


def test_a_purple_flag_left_from_before_shipping_does_not_make_a_shipped_order_abnormal(shipped, agent_api):
    order = shipped()
    shipped_at = Order.objects.get(pk=order["id"]).shipped_at
    assert act(agent_api, order, "flags", {"category": "abnormal", "note": "重复订单"}).status_code == 201
    Flag.objects.filter(order_id=order["id"]).update(created_at=shipped_at - timedelta(hours=1))

    assert order["id"] not in abnormal(agent_api)


# --- stalled parcels -----------------------------------------------------------------------------------------


def test_a_parcel_to_shanghai_with_no_news_for_4_days_turns_up_in_abnormal_orders_by_itself(shipped, agent_api):
    order = shipped()
    assert order["shipping_address"]["province"] == "上海市"
    assert order["id"] not in abnormal(agent_api)

    with time_machine.travel(timezone.now() + timedelta(days=2, hours=23)):
        assert order["id"] not in abnormal(agent_api)
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert abnormal(agent_api)[order["id"]] == ["logistics.stalled"]


def test_news_moves_the_stall_on(shipped, api, agent_api):
    order = shipped()
    start = timezone.now()

    with time_machine.travel(start + timedelta(days=2)):
        assert news(api, order).status_code == 201
    with time_machine.travel(start + timedelta(days=4)):
        assert order["id"] not in abnormal(agent_api)
    with time_machine.travel(start + timedelta(days=5, hours=1)):
        assert abnormal(agent_api)[order["id"]] == ["logistics.stalled"]


def test_older_news_arriving_late_does_not_bring_the_stall_forward(shipped, api):
    order = shipped()
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=2)):
        assert news(api, order).status_code == 201
        assert news(api, order, at=start + timedelta(hours=1), status="out_for_delivery").status_code == 201

    assert Order.objects.get(pk=order["id"]).stalled_after >= start + timedelta(days=5)


def test_a_remote_province_waits_5_days(shipped, agent_api):
    order = shipped(shipping_address=XINJIANG, shipping_fee="20.00")

    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert order["id"] not in abnormal(agent_api)
    with time_machine.travel(timezone.now() + timedelta(days=5, hours=1)):
        assert "logistics.stalled" in abnormal(agent_api)[order["id"]]


def test_the_limits_are_shop_data(shipped, agent_api):
    settings = ShopSettings.load()
    settings.stalled_after_days = 1
    settings.save()
    order = shipped()

    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1)):
        assert abnormal(agent_api)[order["id"]] == ["logistics.stalled"]


def test_a_delivered_parcel_is_never_stalled(shipped, warehouse_api, agent_api):
    order = shipped()
    assert act(warehouse_api, order, "deliver", {}).status_code == 200

    with time_machine.travel(timezone.now() + timedelta(days=10)):
        assert order["id"] not in abnormal(agent_api)


def test_the_admin_order_page_lists_the_tracking_news(shipped, api, agent_client):
    order = shipped()
    assert news(api, order, location="上海转运中心", description="快件已到达").status_code == 201

    content = agent_client.get(f"/admin/orders/order/{order['id']}/change/").content.decode()

    assert 'id="tracking-news"' in content
    assert "上海转运中心" in content and "快件已到达" in content


def test_the_admin_abnormal_list_filters_the_stalled_parcels(shipped, agent_client):
    order = shipped()

    with time_machine.travel(timezone.now() + timedelta(days=4)):
        content = agent_client.get("/admin/orders/abnormalorder/?reason=logistics.stalled").content.decode()

    assert order["external_id"] in content
    assert "物流停滞（无物流信息）" in content or "parcel without tracking news" in content
