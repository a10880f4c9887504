"""Exactly once on PostgreSQL: two workers, two drains, two confirmations racing for one message."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.events import Actor
from orders.messaging.models import Message
from orders.messaging.periodic import return_reminders_send_due
from orders.messaging.queue import confirmation_message_queue
from orders.messaging.send import message_deliver
from orders.models import Order, OrderEvent
from tests.integration.helpers import run_concurrently
from tests.orders.messaging.conftest import confirm
from tests.orders.messaging.fakes import RecordingChannel, recording_on_every_channel

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def recording(settings):
    with recording_on_every_channel(settings) as recorder:
        yield recorder


@pytest.fixture
def confirmed_order(api, agent_api, catalogue, recording) -> Order:
    """A confirmed order whose confirmation is pending again, as if its first task had been lost."""
    order = confirm(api, agent_api)
    Message.objects.filter(order=order).update(status="pending", attempts=0, sent_at=None)
    OrderEvent.objects.filter(order=order, type="message_sent").delete()
    RecordingChannel.reset()
    return order


def test_two_workers_running_the_same_task_at_once_send_one_message(confirmed_order, recording):
    message = Message.objects.get(order=confirmed_order)
    recording.delay = 0.3  # the first worker is still sending when the second one arrives

    results = run_concurrently(2, lambda _index: message_deliver(message_id=message.pk))

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert len(recording.sent) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert OrderEvent.objects.filter(order=confirmed_order, type="message_sent").count() == 1
    # The loser comes back when the winner's lease would have run out, and then finds it sent.
    assert sorted(r is None for r in results) == [False, True]


def test_two_drains_at_once_send_each_due_reminder_once(api, agent_api, catalogue, recording):
    orders = [confirm(api, agent_api, customer={"external_id": f"buyer-{n}"}) for n in range(6)]
    delivered = timezone.now() - timedelta(days=6)
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(status="delivered", delivered_at=delivered)
    from orders.messaging.queue import return_reminder_schedule

    reminders = [return_reminder_schedule(order=Order.objects.get(pk=o.pk)) for o in orders]
    RecordingChannel.reset()
    recording.delay = 0.05

    claimed = run_concurrently(2, lambda _index: return_reminders_send_due())

    assert sum(claimed) == len(reminders)
    assert sorted(sent["id"] for sent in recording.sent) == sorted(r.pk for r in reminders)
    assert set(Message.objects.filter(kind="return_policy_reminder").values_list("status", flat=True)) == {"sent"}


def test_two_confirmations_racing_make_one_message(api, agent_api, catalogue, recording):
    order = confirm(api, agent_api)
    Message.objects.filter(order=order).delete()

    def queue(_index: int) -> int:
        with transaction.atomic():
            message = confirmation_message_queue(order=Order.objects.get(pk=order.pk), actor=Actor.system())
            return message.pk

    ids = run_concurrently(4, queue)

    assert not [i for i in ids if isinstance(i, BaseException)], ids
    assert len(set(ids)) == 1
    assert Message.objects.filter(order=order, kind="confirmation").count() == 1


def test_the_claim_and_the_sent_mark_commit_asynchronously_and_only_themselves(confirmed_order, recording):
    message = Message.objects.get(order=confirmed_order)

    with CaptureQueriesContext(connection) as captured:
        assert message_deliver(message_id=message.pk) is None

    claim, mark = (query["sql"] for query in captured.captured_queries)
    assert "set_config('synchronous_commit', 'off', true)" in claim
    assert "set_config('synchronous_commit', 'off', true)" in mark
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert OrderEvent.objects.filter(order=confirmed_order, type="message_sent").count() == 1
    with connection.cursor() as cursor:  # local to their own transaction: the next commit waits again
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
