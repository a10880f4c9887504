"""Agents editing, confirming and merging the same orders at once, on PostgreSQL, from threads behind a
barrier: one winner per version, no lost update, no deadlock, every result consistent."""

import json
from collections import Counter
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from orders.models import Order, OrderMerge, PriceEdit
from orders.roles import AGENTS
from orders.services.tokens import staff_token_issue
from tests.conftest import make_staff
from tests.integration.helpers import run_concurrently
from tests.orders.helpers import create_flat_fee_order, create_order

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 8


@pytest.fixture
def agents(db) -> list[APIClient]:
    """Six agents, each with a client of their own (a thread must not share a client)."""
    clients = []
    for number in range(6):
        key, _expires = staff_token_issue(user=make_staff(AGENTS, username=f"agent-{number}"))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        clients.append(client)
    return clients


def post(client: APIClient, path: str, body: dict, **headers) -> tuple[int, dict]:
    response = client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)
    return response.status_code, response.json()


def test_two_agents_with_the_same_version_get_one_success_and_one_412(api, catalogue, agents):
    order = create_flat_fee_order(api, payment_status="unpaid")
    version = f'"{order["version"]}"'

    def call(index: int):
        body = {"amount": f"-{index + 1}.00", "reason": f"agent {index}"}
        return post(agents[index], f"/api/v1/orders/{order['id']}/adjust-price/", body, **{"If-Match": version})

    results = run_concurrently(2, call)

    assert all(isinstance(result, tuple) for result in results), results
    assert sorted(status for status, _body in results) == [200, 412]
    loser = next(body for status, body in results if status == 412)
    assert loser["code"] == "version_conflict"
    winner = next(index for index, (status, _body) in enumerate(results) if status == 200)
    stored = Order.objects.get(pk=order["id"])
    assert stored.adjustment == -(winner + 1)
    assert stored.total == Decimal("109.00") - (winner + 1)
    assert PriceEdit.objects.filter(order_id=order["id"]).count() == 1


def test_concurrent_edits_without_if_match_are_all_applied(api, catalogue, agents):
    # 99.00 of goods: agents may take 9.90 off in all, so nine 1.00 discounts pass and the rest are refused.
    order = create_flat_fee_order(api, payment_status="unpaid")
    threads = 12

    def call(index: int):
        client = agents[index % len(agents)]
        return post(client, f"/api/v1/orders/{order['id']}/adjust-price/", {"amount": "-1.00", "reason": "x"})

    results = run_concurrently(threads, call)

    assert all(isinstance(result, tuple) for result in results), results
    statuses = Counter(status for status, _body in results)
    assert statuses == Counter({200: 9, 400: 3}), results
    assert {body["code"] for status, body in results if status == 400} == {"discount_limit_exceeded"}
    stored = Order.objects.get(pk=order["id"])
    assert (stored.adjustment, stored.total) == (Decimal("-9.00"), Decimal("100.00"))
    assert PriceEdit.objects.filter(order_id=order["id"]).count() == 9
    # Each edit started from the one before it: the totals chain without a gap or a fork. (The responses'
    # versions cannot show it: each renders the order after its commit, when a later edit may be in too.)
    edits = list(PriceEdit.objects.filter(order_id=order["id"]).order_by("id"))
    assert [edit.totals_before for edit in edits[1:]] == [edit.totals_after for edit in edits[:-1]]
    assert edits[0].totals_before["total"] == "109.00" and edits[-1].totals_after["total"] == "100.00"


def _merge_with_edits_round(api, agents, buyer: str) -> None:
    customer = {"external_id": buyer}
    first = create_order(api, payment_status="unpaid", customer=customer)
    second = create_order(  # shoes ship free by the rules (from 108)
        api,
        payment_status="unpaid",
        customer=customer,
        lines=[{"sku": "SHOE-WHITE-40", "quantity": 1}],
        shipping_fee="0.00",
    )
    first_path, second_path = f"/api/v1/orders/{first['id']}/", f"/api/v1/orders/{second['id']}/"
    calls = [
        ("/api/v1/orders/merge/", {"order_ids": [first["id"], second["id"]]}),
        (f"{second_path}adjust-price/", {"amount": "-2.00", "reason": "x"}),
        (f"{first_path}adjust-price/", {"percent": "95", "reason": "x"}),
        (f"{second_path}adjust-shipping/", {"fee": "5.00", "reason": "x"}),
        (f"{first_path}confirm/", {}),
        (f"{second_path}confirm/", {}),
    ]

    results = run_concurrently(len(calls), lambda index: post(agents[index], *calls[index]))

    assert all(isinstance(result, tuple) for result in results), results  # no exception, no deadlock
    (merge_status, primary), *others = results
    assert merge_status == 201, primary
    # Each other call ran wholly before the merge (200) or found the order merged (409), never in between.
    assert all(status == 200 or body["code"] in ("order_not_editable", "invalid_transition") for status, body in others)
    originals = list(Order.objects.filter(pk__in=[first["id"], second["id"]]).order_by("pk"))
    stored = Order.objects.get(pk=primary["id"])
    assert stored.items_total == sum(o.items_total for o in originals)
    assert stored.adjustment == sum(o.adjustment for o in originals)
    assert stored.shipping_fee <= sum(o.shipping_fee for o in originals)
    assert stored.total == stored.items_total + stored.adjustment + stored.shipping_fee
    assert all((o.status, o.merged_into_id) == ("merged", stored.pk) for o in originals)
    for order in originals:  # and every edit that succeeded is in its order, once
        accepted = PriceEdit.objects.filter(order=order).exclude(kind="shipping_fee")
        assert order.adjustment + sum(line.adjustment for line in order.lines.all()) == sum(
            (edit.applied for edit in accepted), Decimal("0.00")
        )
    assert (
        sum(1 for status, _body in others if status == 200)
        == PriceEdit.objects.filter(order__in=originals).count()
        + Order.objects.filter(pk__in=[o.pk for o in originals], confirmed_at__isnull=False).count()
    )


def test_merge_confirm_and_edits_of_the_same_orders_at_once_never_deadlock(api, catalogue, agents):
    for round_number in range(ROUNDS):
        _merge_with_edits_round(api, agents, buyer=f"buyer-round-{round_number}")


def test_two_merges_sharing_an_order_one_wins(api, catalogue, agents):
    for _round in range(ROUNDS):
        a, b, c = (create_order(api, payment_status="unpaid") for _ in range(3))
        groups = [[a["id"], b["id"]], [b["id"], c["id"]], [c["id"], a["id"]]]

        def call(index: int, groups=groups):
            return post(agents[index], "/api/v1/orders/merge/", {"order_ids": groups[index]})

        results = run_concurrently(3, call)

        assert all(isinstance(result, tuple) for result in results), results
        assert sorted(status for status, _body in results) == [201, 409, 409], results
        primary = next(body for status, body in results if status == 201)
        assert {body["code"] for status, body in results if status == 409} == {"merge_refused"}
        assert sorted(primary["merged_orders"]) == sorted(groups[[s for s, _b in results].index(201)])
        assert OrderMerge.objects.filter(primary_id=primary["id"]).count() == 1


def test_two_unmerges_at_once_restore_once(api, catalogue, agents):
    first, second = (create_flat_fee_order(api) for _ in range(2))
    primary = post(agents[0], "/api/v1/orders/merge/", {"order_ids": [first["id"], second["id"]]})[1]

    results = run_concurrently(2, lambda index: post(agents[index], f"/api/v1/orders/{primary['id']}/unmerge/", {}))

    assert sorted(status for status, _body in results) == [200, 409], results
    assert [o.status for o in Order.objects.filter(pk__in=[first["id"], second["id"]])] == ["pending_confirmation"] * 2
    assert [o.amount_paid for o in Order.objects.filter(pk__in=[first["id"], second["id"]]).order_by("pk")] == [
        Decimal("109.00"),
        Decimal("109.00"),
    ]
