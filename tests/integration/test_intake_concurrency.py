"""Concurrent and retried duplicate intake on PostgreSQL: one order, no 5xx, and a keyed retry that a
request killed mid-way does not block."""

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections, transaction
from rest_framework.test import APIClient

from orders.models import Customer, Order, OrderLine
from tests.factories import order_payload
from tests.integration.helpers import database_url_of_tests, run_concurrently

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 20


def _poster(key: str, body: dict, headers: dict | None = None):
    def call(_index: int) -> int:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = client.post(
            "/api/v1/orders/", data=json.dumps(body), content_type="application/json", headers=headers or {}
        )
        return response.status_code

    return call


def test_twenty_identical_concurrent_posts_make_one_order(storefront_and_key, catalogue):
    # given
    _storefront, key = storefront_and_key
    body = order_payload()

    # when
    statuses = run_concurrently(THREADS, _poster(key, body))

    # then
    assert all(isinstance(status, int) for status in statuses), statuses
    counts = Counter(statuses)
    assert counts[201] == 1, counts
    assert counts[200] == THREADS - 1, counts
    assert Order.objects.count() == 1
    assert Customer.objects.count() == 1
    assert OrderLine.objects.count() == 1


def test_concurrent_posts_with_one_idempotency_key_make_one_order(storefront_and_key, catalogue):
    _storefront, key = storefront_and_key
    body = order_payload()

    statuses = run_concurrently(THREADS, _poster(key, body, {"Idempotency-Key": "same-key"}))

    assert all(isinstance(status, int) for status in statuses), statuses
    assert set(statuses) <= {201, 409}, statuses  # 409: the first request with the key is still running
    assert 201 in statuses
    assert Order.objects.count() == 1


def test_concurrent_conflicting_bodies_make_one_order_and_409s(storefront_and_key, catalogue):
    _storefront, key = storefront_and_key
    base = order_payload()
    bodies = [{**base, "buyer_note": f"note {n}"} for n in range(THREADS)]

    def call(index: int) -> int:
        return _poster(key, bodies[index])(index)

    statuses = run_concurrently(THREADS, call)

    assert Counter(statuses) == Counter({201: 1, 409: THREADS - 1}), statuses
    assert Order.objects.count() == 1


def _stalled_post(key: str, body: dict, idempotency_key: str) -> tuple[threading.Thread, list]:
    """POST in a thread whose request waits on the buyer's row (locked by the caller); returns the
    thread and a list that receives its status code or exception."""
    result: list = []

    def run() -> None:
        try:
            result.append(_poster(key, body, {"Idempotency-Key": idempotency_key})(0))
        except BaseException as exc:  # handed back to the test
            result.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def _backend_waiting_on_a_lock() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the view is read once per transaction otherwise
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _wait_for_stall(timeout: float = 10) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = _backend_waiting_on_a_lock()
        if pid is not None:
            return pid
        time.sleep(0.05)
    raise AssertionError("the first request never reached the buyer's locked row")


def test_a_keyed_duplicate_while_the_first_request_runs_is_409_then_replays(storefront_and_key, catalogue):
    # given: a first keyed request stalled mid-way (the buyer's row is locked by another transaction)
    _storefront, key = storefront_and_key
    assert _poster(key, order_payload(external_id="EARLIER"))(0) == 201
    body = order_payload()
    with transaction.atomic():
        Customer.objects.select_for_update().get()
        first, first_result = _stalled_post(key, body, "k-live")
        _wait_for_stall()

        # when: the same key comes again while the first request is alive
        duplicate = _poster(key, body, {"Idempotency-Key": "k-live"})(0)
    first.join(30)

    # then
    assert duplicate == 409
    assert first_result == [201]
    assert _poster(key, body, {"Idempotency-Key": "k-live"})(0) == 201  # the replay
    assert Order.objects.filter(external_id=body["external_id"]).count() == 1


# One keyed POST through Django's test client in a process of its own (argv: token, body, key).
CLIENT_PROCESS = """
import sys
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from rest_framework.test import APIClient
client = APIClient()
client.credentials(HTTP_AUTHORIZATION="Token " + sys.argv[1])
headers = {"Idempotency-Key": sys.argv[3]}
client.post("/api/v1/orders/", data=sys.argv[2], content_type="application/json", headers=headers)
"""


def test_a_keyed_retry_after_the_first_request_was_killed_makes_one_order(storefront_and_key, catalogue):
    # given: a first keyed request SIGKILLed mid-way (its process gone, its backend terminated)
    _storefront, key = storefront_and_key
    assert _poster(key, order_payload(external_id="EARLIER"))(0) == 201
    body = order_payload()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url_of_tests()}
    with transaction.atomic():
        Customer.objects.select_for_update().get()
        client = subprocess.Popen([sys.executable, "-c", CLIENT_PROCESS, key, json.dumps(body), "k-crash"], env=env)
        try:
            backend = _wait_for_stall(timeout=30)
        finally:
            client.kill()
            client.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])

    # when
    statuses = [_poster(key, body, {"Idempotency-Key": "k-crash"})(0) for _ in range(2)]

    # then
    assert statuses == [201, 201], statuses  # the order, then its replay
    assert Order.objects.filter(external_id=body["external_id"]).count() == 1
