"""The Celery side: thin tasks, bounded retries with backoff, the beat schedule, the demo's command."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from celery.exceptions import Retry
from celery.fixups.django import DjangoWorkerFixup
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from config.celery_app import app, db_connections_recycle
from orders.messaging.models import Message
from orders.models import IdempotencyKey, Order
from orders.tasks.housekeeping import idempotency_keys_purge
from orders.tasks.messaging import message_send
from tests.orders.messaging.conftest import confirmation_of
from tests.orders.messaging.fakes import transient

pytestmark = pytest.mark.django_db


def test_a_transient_failure_makes_the_task_retry_with_the_outbox_backoff(confirmed, recording):
    message = confirmation_of(confirmed())
    Message.objects.filter(pk=message.pk).update(status="pending", attempts=1, due_at=timezone.now())
    recording.failures = [transient()]

    with mock.patch.object(message_send, "retry", side_effect=Retry()) as retry, pytest.raises(Retry):
        message_send(message.pk)

    retry.assert_called_once_with(countdown=60.0, max_retries=settings.ORDERDESK["MESSAGE_MAX_ATTEMPTS"])


def test_every_periodic_task_is_a_registered_task_that_expires_within_its_period():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
        assert entry["options"]["expires"] <= entry["schedule"].total_seconds()


def test_no_retry_countdown_outlives_the_brokers_visibility_timeout():
    longest = max(settings.ORDERDESK["MESSAGE_RETRY_BACKOFF_MAX"], settings.ORDERDESK["MESSAGE_LEASE"])

    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > longest.total_seconds()


def test_celerys_django_fixup_leaves_the_database_connection_open_between_tasks():
    # Celery's fixup would close every connection before and after each task (a new PostgreSQL
    # connection per message) unless CELERY_DB_REUSE_MAX is set.
    connection = mock.Mock()
    fixup = DjangoWorkerFixup(app)
    with mock.patch("django.db.connections.all", return_value=[connection]):
        for _task in range(10_000):
            fixup.close_database()  # task_prerun
            fixup.close_database()  # task_postrun

    connection.close.assert_not_called()


def test_around_each_worker_task_django_closes_only_obsolete_or_broken_connections():
    task = mock.Mock()
    with mock.patch("django.db.close_old_connections") as close_old_connections:
        task.request.is_eager = False
        db_connections_recycle(sender=task)
        assert close_old_connections.call_count == 1

        task.request.is_eager = True  # in-process (tests, the demo): the caller's connection, untouched
        db_connections_recycle(sender=task)
        assert close_old_connections.call_count == 1


def test_the_purge_task_forgets_expired_idempotency_keys(storefront):
    old = IdempotencyKey.objects.create(storefront=storefront, key="old", request_hash="h")
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    IdempotencyKey.objects.create(storefront=storefront, key="new", request_hash="h")

    assert idempotency_keys_purge() == 1

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_run_periodic_moves_the_demo_clock_for_the_return_reminder(confirmed, recording):
    from orders.messaging.queue import return_reminder_schedule

    order = confirmed()
    Order.objects.filter(pk=order.pk).update(status="delivered", delivered_at=timezone.now())
    order.refresh_from_db()
    reminder = return_reminder_schedule(order=order)
    out = StringIO()

    call_command("run_periodic", stdout=out)
    call_command("run_periodic", "--at", (timezone.localdate() + timedelta(days=6)).isoformat(), stdout=out)
    call_command("run_periodic", "--at", (timezone.localdate() + timedelta(days=7)).isoformat(), stdout=out)

    sent = [line for line in out.getvalue().splitlines() if line.startswith("return-policy reminders sent")]
    assert sent == [
        "return-policy reminders sent: 0",
        "return-policy reminders sent: 1",
        "return-policy reminders sent: 0",
    ]
    reminder.refresh_from_db()
    assert reminder.status == "sent"


def test_seed_demo_confirms_one_order_with_a_chinese_confirmation():
    call_command("seed_demo", "--password", "demo-pass-123", stdout=StringIO())

    order = Order.objects.get(external_id="DEMO-CONFIRMED")
    message = confirmation_of(order)
    assert order.status == "confirmed"
    assert message.language == "zh-hans"
    assert "电话：137****7000" in message.body
    assert "刻字：「王芳生日快乐」" in message.body
    assert "定制（刻字）商品不支持7天无理由退换货" in message.body
