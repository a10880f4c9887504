"""The return-policy reminder: a row due before the window closes, drained once by the beat task."""

from collections import Counter
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from orders.exceptions import MessageRefused
from orders.messaging.models import Message
from orders.messaging.periodic import messages_sweep, return_reminders_send_due
from orders.messaging.queue import return_reminder_schedule
from orders.models import Order, ReturnPolicy, ShopSettings
from tests.orders.messaging.conftest import RICH_ORDER
from tests.orders.messaging.fakes import transient

pytestmark = pytest.mark.django_db

DELIVERED = timezone.make_aware(datetime(2026, 11, 22, 15, 0))


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def delivered(confirmed):
    """``delivered(**overrides)`` -> a confirmed order, delivered on 22 November 15:00 (Shanghai)."""

    def build(**overrides) -> Order:
        order = confirmed(**overrides)
        Order.objects.filter(pk=order.pk).update(status="delivered", delivered_at=DELIVERED)
        order.refresh_from_db()
        return order

    return build


def test_the_reminder_is_due_two_days_before_a_seven_day_window_closes(delivered):
    order = delivered()

    reminder = return_reminder_schedule(order=order)

    # Delivered on the 22nd, returns until the 29th: remind on the 27th, at 10:00 in Shanghai.
    assert (reminder.kind, reminder.status) == ("return_policy_reminder", "pending")
    assert reminder.due_at == local(2026, 11, 27, 10, 0)
    assert reminder.published_at is None  # no countdown on the broker: the drain sends it
    assert "无理由退换截止2026年11月29日" in reminder.body


def test_the_days_before_closing_are_a_shop_setting(delivered):
    shop = ShopSettings.load()
    shop.reminder_days_before_close = 4
    shop.save()

    reminder = return_reminder_schedule(order=delivered())

    assert reminder.due_at == local(2026, 11, 25, 10, 0)


def test_in_an_order_mixing_policies_the_first_window_to_close_decides(delivered):
    order = delivered(lines=[{"sku": "SOFA-GREY", "quantity": 1}, {"sku": "TEE-RED-M", "quantity": 1}])

    reminder = return_reminder_schedule(order=order)

    assert reminder.due_at == local(2026, 11, 27, 10, 0)
    assert "三人布艺沙发：无理由退换截止2026年12月7日" in reminder.body
    assert "纯棉T恤：无理由退换截止2026年11月29日" in reminder.body


def test_engraved_goods_alone_get_no_reminder(delivered):
    order = delivered(lines=[{"sku": "RING-SILVER-12", "quantity": 1}], special_requests={"engraving": "致韩梅梅"})

    assert return_reminder_schedule(order=order) is None
    assert not Message.objects.filter(kind="return_policy_reminder").exists()


def test_engraved_goods_in_a_mixed_order_are_named_without_a_window(delivered):
    reminder = return_reminder_schedule(order=delivered(**RICH_ORDER))

    assert "925银戒指：定制（刻字）商品不支持7天无理由退换货" in reminder.body
    assert reminder.due_at == local(2026, 11, 27, 10, 0)


def test_a_window_shorter_than_the_notice_makes_the_reminder_due_at_delivery(delivered):
    ReturnPolicy.objects.filter(code="apparel-7d").update(return_days=1)

    reminder = return_reminder_schedule(order=delivered())

    assert reminder.due_at == DELIVERED


def test_scheduling_twice_keeps_one_reminder(delivered):
    order = delivered()

    first = return_reminder_schedule(order=order)
    second = return_reminder_schedule(order=order)

    assert first.pk == second.pk
    assert Message.objects.filter(kind="return_policy_reminder").count() == 1


def test_no_reminder_before_delivery(confirmed):
    with pytest.raises(MessageRefused):
        return_reminder_schedule(order=confirmed())


def test_moving_the_clock_sends_exactly_one_reminder(delivered, recording, django_capture_on_commit_callbacks):
    order = delivered()
    reminder = return_reminder_schedule(order=order)
    recording.sent.clear()  # the confirmation

    assert return_reminders_send_due(now=local(2026, 11, 27, 9, 59)) == 0
    assert return_reminders_send_due(now=local(2026, 11, 27, 10, 0)) == 1
    assert return_reminders_send_due(now=local(2026, 11, 28, 10, 0)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert messages_sweep() == 0

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("sent", 1)
    assert [(sent["kind"], sent["id"]) for sent in recording.sent] == [("return_policy_reminder", reminder.pk)]


def test_a_reminder_that_failed_is_drained_again_after_the_backoff(delivered, recording):
    reminder = return_reminder_schedule(order=delivered())
    recording.sent.clear()
    recording.failures = [transient()]

    with time_machine.travel(local(2026, 11, 27, 10, 0)):
        assert return_reminders_send_due() == 1
        reminder.refresh_from_db()
        assert (reminder.status, reminder.attempts) == ("pending", 1)
        assert return_reminders_send_due() == 0  # backing off
    with time_machine.travel(reminder.due_at + timedelta(seconds=1)):
        assert return_reminders_send_due() == 1

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("sent", 2)
    assert len(recording.sent) == 1


def test_a_slow_gateway_gets_one_reminder_per_buyer_while_the_sweeper_runs(
    delivered, recording, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given: 20 due reminders, a 30 s lease and a gateway that takes 3 s a message
    settings.ORDERDESK = {**settings.ORDERDESK, "MESSAGE_LEASE": timedelta(seconds=30)}
    reminders = [return_reminder_schedule(order=delivered()) for _ in range(20)]
    recording.sent.clear()  # the confirmations
    send = recording.send

    with time_machine.travel(local(2026, 12, 1, 10, 0), tick=False) as clock:

        def slow_send_while_the_sweeper_runs(channel, message) -> None:
            clock.shift(3)
            send(channel, message)
            # Meanwhile beat runs the sweeper, and another worker at once the sends it re-published.
            with django_capture_on_commit_callbacks(execute=True):
                messages_sweep()

        monkeypatch.setattr(recording, "send", slow_send_while_the_sweeper_runs)

        # when
        return_reminders_send_due()

    # then
    assert Counter(sent["id"] for sent in recording.sent) == Counter(reminder.pk for reminder in reminders)
    assert set(Message.objects.filter(kind="return_policy_reminder").values_list("status", flat=True)) == {"sent"}
