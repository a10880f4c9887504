"""待付款订单提醒: one payment reminder per unpaid order, a shop-set time after it was placed (beat), and
unpaid past the shop's limit is abnormal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.messaging.models import Message
from orders.messaging.payments import payment_reminders_queue_due
from orders.models import Order, ShopSettings
from orders.selectors import abnormal_orders, abnormal_reasons
from orders.tasks.payments import payment_reminders_queue_due as reminder_task
from tests.orders.helpers import act, create_flat_fee_order

pytestmark = pytest.mark.django_db


def placed_hours_ago(hours: float) -> str:
    return (timezone.now() - timedelta(hours=hours)).isoformat()


def reminders(order: dict) -> list[Message]:
    return list(Message.objects.filter(order_id=order["id"], kind="payment_reminder"))


def test_an_unpaid_order_past_the_shops_time_is_reminded_once(api, catalogue):
    order = create_flat_fee_order(api, payment_status="unpaid", placed_at=placed_hours_ago(25))

    assert payment_reminders_queue_due() == 1
    assert payment_reminders_queue_due() == 0

    [message] = reminders(order)
    assert "¥109.00" in message.body and order["external_id"] in message.body and "shop-a" in message.body
    assert message.subject == f"【shop-a】订单 {order['external_id']} 待付款提醒"


def test_the_beat_task_queues_them(api, catalogue):
    order = create_flat_fee_order(api, payment_status="unpaid", placed_at=placed_hours_ago(30))

    assert reminder_task() == 1
    assert len(reminders(order)) == 1


def test_not_yet_due_paid_or_settled_orders_are_not_reminded(api, agent_api, catalogue):
    recent = create_flat_fee_order(api, payment_status="unpaid", placed_at=placed_hours_ago(23))
    paid = create_flat_fee_order(api, customer={"external_id": "buyer-p"}, placed_at=placed_hours_ago(48))
    cancelled = create_flat_fee_order(
        api, customer={"external_id": "buyer-c"}, payment_status="unpaid", placed_at=placed_hours_ago(48)
    )
    act(agent_api, cancelled, "cancel", {"reason": "买家不要了"})

    assert payment_reminders_queue_due() == 0
    assert not (reminders(recent) or reminders(paid) or reminders(cancelled))


def test_an_order_paid_after_ordering_is_not_reminded(api, catalogue):
    order = create_flat_fee_order(api, payment_status="unpaid", placed_at=placed_hours_ago(48))
    act(api, order, "payments", {"amount": "109.00", "reference": "ALI-1"})

    assert payment_reminders_queue_due() == 0


def test_the_time_is_a_shop_setting_and_zero_switches_it_off(api, catalogue):
    order = create_flat_fee_order(api, payment_status="unpaid", placed_at=placed_hours_ago(3))
    settings = ShopSettings.load()
    settings.payment_reminder_hours = 2
    settings.save()

    assert payment_reminders_queue_due() == 1

    settings.payment_reminder_hours = 0
    settings.save()
    create_flat_fee_order(
        api, customer={"external_id": "buyer-x"}, payment_status="unpaid", placed_at=placed_hours_ago(99)
    )
    assert payment_reminders_queue_due() == 0
    assert len(reminders(order)) == 1


def test_the_reminder_is_in_english_for_a_buyer_who_reads_english(api, catalogue):
    order = create_flat_fee_order(api, payment_status="unpaid", placed_at=placed_hours_ago(25))
    Order.objects.get(pk=order["id"]).customer.__class__.objects.update(language="en")

    payment_reminders_queue_due()

    [message] = reminders(order)
    assert message.language == "en"
    assert "CNY 109.00 to pay" in message.body


def test_unpaid_past_the_shops_limit_is_abnormal(api, catalogue):
    late = create_flat_fee_order(api, payment_status="unpaid", placed_at=placed_hours_ago(73))
    create_flat_fee_order(
        api, customer={"external_id": "buyer-r"}, payment_status="unpaid", placed_at=placed_hours_ago(71)
    )

    listed = {order.pk: abnormal_reasons(order) for order in abnormal_orders()}

    assert "unpaid_overdue" in listed[late["id"]]
    assert all("unpaid_overdue" not in reasons for pk, reasons in listed.items() if pk != late["id"])


def test_the_abnormal_list_over_rest_names_the_reason(api, agent_api, catalogue):
    settings = ShopSettings.load()
    settings.unpaid_abnormal_hours = 1
    settings.save()
    order = create_flat_fee_order(api, payment_status="unpaid", placed_at=placed_hours_ago(2))

    rows = agent_api.get("/api/v1/orders/abnormal/").json()["results"]

    assert "unpaid_overdue" in next(row for row in rows if row["id"] == order["id"])["reasons"]
