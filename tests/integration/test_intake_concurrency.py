"""Concurrent duplicate intake on PostgreSQL: one order, no 5xx."""

import json
from collections import Counter

import pytest
from rest_framework.test import APIClient

from orders.models import Customer, Order, OrderLine
from tests.factories import order_payload
from tests.integration.helpers import run_concurrently

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
