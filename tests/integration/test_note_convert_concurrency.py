"""Agents turning the same note finding into the order's request at once, on PostgreSQL: the order's row
lock lets one through; the others find the finding gone (409), and the order holds one request."""

import json

import pytest
from rest_framework.test import APIClient

from orders.models import Order, OrderEvent, OrderEventType
from orders.roles import AGENTS
from orders.services.tokens import staff_token_issue
from tests.conftest import make_staff
from tests.integration.helpers import run_concurrently
from tests.orders.helpers import create_order

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def agents(db) -> list[APIClient]:
    clients = []
    for number in range(4):
        key, _expires = staff_token_issue(user=make_staff(AGENTS, username=f"note-agent-{number}"))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        clients.append(client)
    return clients


def convert(client: APIClient, order_id: int, body: dict) -> tuple[int, dict]:
    response = client.post(
        f"/api/v1/orders/{order_id}/checks/request.in_note/convert/",
        data=json.dumps(body),
        content_type="application/json",
    )
    return response.status_code, response.json()


def test_four_agents_convert_the_couriers_of_one_note_at_once_and_one_wins(api, catalogue, agents):
    order = create_order(api, buyer_note="顺丰或者京东都行，易碎")
    values = ["SF", "JD", "SF", "JD"]

    results = run_concurrently(
        4, lambda index: convert(agents[index], order["id"], {"kind": "courier", "value": values[index]})
    )

    assert all(isinstance(result, tuple) for result in results), results
    statuses = sorted(status for status, _body in results)
    assert statuses == [200, 409, 409, 409]
    assert {body["code"] for status, body in results if status == 409} == {"note_finding_not_found"}
    winner = next(index for index, (status, _body) in enumerate(results) if status == 200)
    stored = Order.objects.get(pk=order["id"])
    assert stored.requested_courier == values[winner]
    changes = OrderEvent.objects.filter(order=stored, type=OrderEventType.REQUESTS_CHANGED)
    assert changes.count() == 1
    assert [f["kind"] for f in stored.checks.get(code="request.in_note").data["found"]] == ["fragile"]
