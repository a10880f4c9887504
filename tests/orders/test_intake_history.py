"""What a repeat buyer's order costs stays bounded as the buyer's history grows, and the history checks
still find what they must: the history read is one query over the most recent ``HISTORY_DEPTH`` orders,
and the sibling orders' re-check is published once until its task starts."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.checks.snapshot import HISTORY_DEPTH
from orders.models import Order, OrderStatus
from orders.services.pipeline import recheck_started
from tests.orders.helpers import create_order

pytestmark = pytest.mark.django_db

SHOE_42 = [{"sku": "SHOE-WHITE-42", "quantity": 1}]
SHOE_40 = [{"sku": "SHOE-WHITE-40", "quantity": 1}]
TEE = [{"sku": "TEE-RED-M", "quantity": 1}]


def _finding(order: dict, code: str) -> dict | None:
    return next((check for check in order["checks"] if check["code"] == code), None)


def _queries_of_an_order(api) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        order = create_order(api, lines=TEE)
    return len(captured), order


def test_a_long_history_costs_the_queries_of_a_short_one_and_the_hint_names_the_newest(api, catalogue):
    create_order(api, lines=TEE)
    short_history, _ = _queries_of_an_order(api)
    for _ in range(HISTORY_DEPTH + 3):
        create_order(api, lines=TEE)
    newest = list(Order.objects.order_by("-id").values_list("id", flat=True)[:HISTORY_DEPTH])

    long_history, order = _queries_of_an_order(api)

    assert long_history == short_history
    assert sorted(_finding(order, "order.mergeable")["data"]["orders"]) == sorted(newest)


def test_size_history_reads_a_bought_order_from_before_the_duplicate_window(api, catalogue):
    bought = create_order(api, lines=SHOE_42, placed_at="2025-03-01T10:00:00+08:00")
    Order.objects.filter(pk=bought["id"]).update(status=OrderStatus.DELIVERED)

    order = create_order(api, lines=SHOE_40)

    assert _finding(order, "line.size_differs_from_history")["data"]["sizes_before"] == ["42"]


def test_a_duplicate_inside_the_window_is_found_and_one_outside_is_not(api, catalogue):
    create_order(api, lines=SHOE_42, placed_at="2026-11-20T10:00:00+08:00")  # two days before: outside
    inside = create_order(api, lines=SHOE_42, placed_at="2026-11-22T09:00:00+08:00")

    order = create_order(api, lines=SHOE_42, placed_at="2026-11-22T10:00:00+08:00")

    assert _finding(order, "order.possible_duplicate")["data"]["orders"] == [inside["id"]]


def test_a_burst_of_one_buyers_orders_publishes_each_siblings_recheck_once(
    api, catalogue, django_capture_on_commit_callbacks
):
    first = create_order(api, lines=TEE)
    with (
        mock.patch("orders.tasks.checks.orders_recheck.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        create_order(api, lines=SHOE_42)  # the first order's re-check is queued (no worker runs it here)
        third = create_order(api, lines=SHOE_40)  # the first's re-check is still queued: nothing more

    assert delay.call_args_list == [mock.call([first["id"]])]
    assert first["id"] in _finding(third, "order.mergeable")["data"]["orders"]


def test_once_the_recheck_started_a_new_order_publishes_another(api, catalogue, django_capture_on_commit_callbacks):
    first = create_order(api, lines=TEE)
    with mock.patch("orders.tasks.checks.orders_recheck.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            create_order(api, lines=SHOE_42)
        recheck_started([first["id"]])  # the task starts: from now on it may have read the orders already
        with django_capture_on_commit_callbacks(execute=True):
            create_order(api, lines=SHOE_40)

    assert delay.call_args_list == [mock.call([first["id"]]), mock.call([first["id"]])]


def test_the_recheck_gives_the_sibling_the_hint(api, agent_api, catalogue, django_capture_on_commit_callbacks):
    first = create_order(api, lines=TEE)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process (eager Celery)
        second = create_order(api, lines=SHOE_42)

    read = agent_api.get(f"/api/v1/orders/{first['id']}/").json()
    assert _finding(read, "order.mergeable")["data"]["orders"] == [second["id"]]
