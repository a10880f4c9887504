"""Payments and refunds replayed at once on PostgreSQL, from threads behind a barrier: a storefront that
retries a timed-out call (or two of its workers posting the same payment) is counted once; refunds at
once never take back more than is due."""

import json
from collections import Counter
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from orders.messaging.models import Message
from orders.models import Order, OrderEvent, PaymentRecord
from tests.integration.helpers import run_concurrently
from tests.orders.helpers import act, create_flat_fee_order

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 8


@pytest.fixture
def clients(storefront_and_key) -> list[APIClient]:
    """The storefront's clients, one per thread (a thread must not share a client)."""
    result = []
    for _ in range(THREADS):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {storefront_and_key[1]}")
        result.append(client)
    return result


def post(client: APIClient, order_id: int, action: str, body: dict) -> tuple[int, dict]:
    response = client.post(
        f"/api/v1/orders/{order_id}/{action}/", data=json.dumps(body), content_type="application/json"
    )
    return response.status_code, response.json()


def test_the_same_payment_posted_at_once_is_counted_once(api, catalogue, clients):
    order = create_flat_fee_order(api, payment_status="unpaid")
    body = {"amount": "109.00", "reference": "ALI2026112200001"}

    results = run_concurrently(THREADS, lambda index: post(clients[index], order["id"], "payments", body))

    assert all(isinstance(result, tuple) for result in results), results
    assert Counter(status for status, _body in results) == Counter({201: 1, 200: THREADS - 1}), results
    assert len({body["id"] for _status, body in results}) == 1
    assert all(body["replayed"] for status, body in results if status == 200)
    stored = Order.objects.get(pk=order["id"])
    assert (stored.amount_paid, stored.payment_status, stored.refund_due) == (Decimal("109.00"), "paid", 0)
    assert PaymentRecord.objects.filter(order=stored).count() == 1
    assert OrderEvent.objects.filter(order=stored, type="payment_recorded").count() == 1


def test_one_reference_with_different_amounts_at_once_is_one_payment_and_conflicts(api, catalogue, clients):
    order = create_flat_fee_order(api, payment_status="unpaid")

    def call(index: int):
        return post(clients[index], order["id"], "payments", {"amount": f"{index + 1}.00", "reference": "ALI-SAME"})

    results = run_concurrently(THREADS, call)

    statuses = Counter(status for status, _body in results)
    assert statuses == Counter({201: 1, 409: THREADS - 1}), results
    assert {body["code"] for status, body in results if status == 409} == {"payment_reference_conflict"}
    winner = next(body for status, body in results if status == 201)
    stored = Order.objects.get(pk=order["id"])
    assert stored.amount_paid == Decimal(winner["amount"])
    assert PaymentRecord.objects.filter(order=stored).count() == 1


def test_distinct_payments_at_once_all_count(api, catalogue, clients):
    order = create_flat_fee_order(api, payment_status="unpaid")

    def call(index: int):
        return post(clients[index], order["id"], "payments", {"amount": "10.00", "reference": f"ALI-{index}"})

    results = run_concurrently(THREADS, call)

    assert Counter(status for status, _body in results) == Counter({201: THREADS}), results
    stored = Order.objects.get(pk=order["id"])
    assert stored.amount_paid == Decimal("10.00") * THREADS
    # 80.00 paid of 109.00: nothing back, 29.00 still due, not paid yet.
    assert (stored.refund_due, stored.balance_due, stored.payment_status) == (0, Decimal("29.00"), "unpaid")


def test_refunds_at_once_never_take_back_more_than_is_due(api, agent_api, catalogue, clients):
    order = create_flat_fee_order(api)
    act(agent_api, order, "adjust-price", {"amount": "-9.90", "reason": "老客户"})  # 9.90 due back

    def call(index: int):
        return post(
            clients[index], order["id"], "refunds", {"amount": "4.00", "reference": f"RF-{index}", "reason": "退差价"}
        )

    results = run_concurrently(THREADS, call)

    statuses = Counter(status for status, _body in results)
    assert statuses == Counter({201: 2, 409: THREADS - 2}), results
    assert {body["code"] for status, body in results if status == 409} == {"refund_exceeds_due"}
    stored = Order.objects.get(pk=order["id"])
    assert (stored.refund_due, stored.amount_paid) == (Decimal("1.90"), Decimal("101.00"))
    assert Message.objects.filter(order=stored, kind="refund_issued").count() == 2


def test_the_same_refund_at_once_tells_the_buyer_once(api, agent_api, catalogue, clients):
    order = create_flat_fee_order(api)
    act(agent_api, order, "adjust-price", {"amount": "-5.00", "reason": "老客户"})
    body = {"amount": "5.00", "reference": "RF-ONCE", "reason": "退差价"}

    results = run_concurrently(THREADS, lambda index: post(clients[index], order["id"], "refunds", body))

    assert Counter(status for status, _body in results) == Counter({201: 1, 200: THREADS - 1}), results
    stored = Order.objects.get(pk=order["id"])
    assert (stored.refund_due, stored.amount_paid) == (0, Decimal("104.00"))
    assert Message.objects.filter(order=stored, kind="refund_issued").count() == 1


def test_the_database_refuses_a_second_record_of_one_reference(api, catalogue):
    """The backstop under the lock: the unique constraint on (order, reference)."""
    order = Order.objects.get(pk=create_flat_fee_order(api, payment_status="unpaid")["id"])
    fields = {"order": order, "kind": "payment", "amount": Decimal("1.00"), "at": timezone.now()}
    PaymentRecord.objects.create(reference="DUP", **fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRecord.objects.create(reference="DUP", **fields)
