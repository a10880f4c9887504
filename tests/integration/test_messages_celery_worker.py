"""A real Celery worker (and beat) on Redis sends the buyer's messages, once, through worker deaths.

The test process publishes to Redis like the web process would; ``celery -A config worker`` runs as a
subprocess on pytest's test database (``config.settings.worker_test``) and sends SMS to a fake
gateway on 127.0.0.1 that de-duplicates by Idempotency-Key like a real provider. Every process is
killed at teardown, whatever happened.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.utils import timezone
from kombu import pools as kombu_pools

from config.celery_app import app
from orders.events import Actor
from orders.messaging.models import Message
from orders.messaging.queue import return_reminder_schedule
from orders.models import Order, OrderEvent
from orders.services.workflow import order_confirm
from tests.integration.helpers import database_url_of_tests
from tests.orders.helpers import create_order
from tests.orders.messaging.receiver import WebhookReceiver

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")
SECRET = "integration-gateway-secret"
LEASE_SECONDS = 2
STARTUP_TIMEOUT = 30
SEND_TIMEOUT = 30


def _reset_broker_connections() -> None:
    """Forget the connection and producer pools, so the next publish connects with the current conf."""
    kombu_pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.fixture
def broker(redis_url) -> Iterator[str]:
    """This process publishes to Redis (not in-process) under a key prefix of the test's own."""
    prefix = f"orderdesk-test-{uuid.uuid4().hex[:12]}:"
    keys = ("task_always_eager", "broker_url", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False,
        broker_url=redis_url,
        broker_transport_options={**saved["broker_transport_options"], "global_keyprefix": prefix},
    )
    _reset_broker_connections()
    yield prefix
    app.conf.update(saved)
    _reset_broker_connections()
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def gateway() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(SECRET) as receiver:
        yield receiver


@pytest.fixture
def celery(broker, redis_url, gateway, tmp_path) -> Iterator[Callable[[str], subprocess.Popen]]:
    """``celery("worker")`` / ``celery("beat")`` start a process; all are SIGKILLed at teardown."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.worker_test",
        "DATABASE_URL": database_url_of_tests(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_KEY_PREFIX": broker,
        "ORDERDESK_SMS_WEBHOOK_URL": gateway.url,
        "ORDERDESK_SMS_WEBHOOK_SECRET": SECRET,
        "ORDERDESK_SMS_WEBHOOK_TIMEOUT": "20",
        "ORDERDESK_MESSAGE_LEASE_SECONDS": str(LEASE_SECONDS),
        "ORDERDESK_MESSAGE_RETRY_BACKOFF_SECONDS": "1",
        "ORDERDESK_BEAT_SECONDS": "1",
    }
    processes: list[subprocess.Popen] = []

    def start(kind: str) -> subprocess.Popen:
        log_path = tmp_path / f"{kind}-{len(processes)}.log"
        if kind == "worker":
            name = f"test-{uuid.uuid4().hex[:8]}@%h"
            args = ["worker", "--pool=solo", "-n", name, "--without-gossip", "--without-mingle", "--without-heartbeat"]
        else:
            args = ["beat", "-s", str(tmp_path / "beat-schedule"), "--max-interval", "1"]
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [CELERY, "-A", "config", *args, "--loglevel=INFO"],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        processes.append(process)
        if kind == "worker":
            _wait(lambda: "ready." in log_path.read_text() or process.poll() is not None, STARTUP_TIMEOUT)
            assert process.poll() is None, log_path.read_text()
        return process

    yield start
    for process in processes:
        _kill(process)


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _status(message_id: int) -> str:
    return Message.objects.filter(pk=message_id).values_list("status", flat=True).get()


@pytest.fixture
def order(api, catalogue) -> Order:
    """A clean order waiting for an agent, with engraving to read back."""
    data = create_order(
        api,
        lines=[{"sku": "RING-SILVER-12", "quantity": 1}, {"sku": "TEE-RED-M", "quantity": 1}],
        special_requests={"engraving": "致韩梅梅"},
        shipping_fee="0.00",  # free from 108 by the rules
    )
    from orders.services.workflow import order_check_acknowledge

    order_check_acknowledge(order_id=data["id"], code="request.engraving", note="read back", actor=Actor.system())
    return Order.objects.get(pk=data["id"])


def test_confirming_an_order_sends_the_message_through_a_real_worker(celery, gateway, order):
    celery("worker")

    order_confirm(order_id=order.pk, actor=Actor.system())

    message = Message.objects.get(order=order, kind="confirmation")
    assert _wait(lambda: _status(message.pk) == "sent", SEND_TIMEOUT), gateway.requests
    [request] = gateway.requests
    assert request["signed"] and request["key"] == str(message.idempotency_key)
    assert "电话：138****8000" in request["body"]["body"]
    assert "刻字：「致韩梅梅」" in request["body"]["body"]


def test_a_worker_killed_mid_send_is_replaced_and_the_buyer_gets_one_message(celery, gateway, order):
    # given: a worker in the middle of the send, the gateway holding the request
    worker = celery("worker")
    gateway.stall_next()
    order_confirm(order_id=order.pk, actor=Actor.system())
    message = Message.objects.get(order=order, kind="confirmation")
    assert gateway.wait_for(1, SEND_TIMEOUT)

    # when: the worker dies by SIGKILL (no cleanup, the task unacknowledged), then workers come back
    _kill(worker)
    gateway.release()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sending", 1)
    celery("worker")
    celery("beat")

    # then: the sweeper hands the message out again once the lease ran out; the gateway got two copies
    # with one key, so the buyer got one message, and the outbox recorded one send
    assert _wait(lambda: _status(message.pk) == "sent", SEND_TIMEOUT), gateway.requests
    message.refresh_from_db()
    assert message.attempts == 2
    assert [r["key"] for r in gateway.requests] == [str(message.idempotency_key)] * 2
    assert len(gateway.delivered()) == 1
    assert OrderEvent.objects.filter(order=order, type="message_sent").count() == 1


def test_beat_sends_a_due_reminder_exactly_once(celery, gateway, order):
    order_confirm(order_id=order.pk, actor=Actor.system())
    Order.objects.filter(pk=order.pk).update(status="delivered", delivered_at=timezone.now() - timedelta(days=6))
    reminder = return_reminder_schedule(order=Order.objects.get(pk=order.pk))
    assert reminder.due_at < timezone.now()

    celery("worker")
    celery("beat")

    assert _wait(lambda: _status(reminder.pk) == "sent", SEND_TIMEOUT), gateway.requests
    time.sleep(3)  # three more beat periods: nothing more goes out
    reminders = [r for r in gateway.requests if r["body"]["kind"] == "return_policy_reminder"]
    assert [r["key"] for r in reminders] == [str(reminder.idempotency_key)]
    assert "无理由退换截止" in reminders[0]["body"]["body"]
    reminder.refresh_from_db()
    assert reminder.attempts == 1
