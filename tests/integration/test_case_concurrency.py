"""Agents resolving the same after-sale case at once, on PostgreSQL: the case's row lock lets one through;
the others find it resolved (409 ``case_resolved``); one outcome, one timeline line, one event, and the
dispute's purple flag cleared once."""

import json

import pytest
from rest_framework.test import APIClient

from flags.models import Flag
from orders.models import Case, OrderEvent, OrderEventType
from orders.roles import AGENTS
from orders.services.tokens import staff_token_issue
from tests.conftest import make_staff
from tests.integration.helpers import run_concurrently
from tests.orders.helpers import act, create_order

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# Outcomes that need nothing else, so whoever takes the lock first wins: `refunded` needs a refund, and `resent`
# and `returned` need a shipped order; on this unshipped one they would lose with `order_not_shipped` (a flake).
OUTCOMES = ["explained", "other", "explained", "other"]


@pytest.fixture
def agents(db) -> list[APIClient]:
    clients = []
    for number in range(4):
        key, _expires = staff_token_issue(user=make_staff(AGENTS, username=f"case-agent-{number}"))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        clients.append(client)
    return clients


def resolve(client: APIClient, case_id: int, outcome: str) -> tuple[int, dict]:
    response = client.post(
        f"/api/v1/cases/{case_id}/resolve/", data=json.dumps({"outcome": outcome}), content_type="application/json"
    )
    return response.status_code, response.json()


def test_four_agents_resolve_one_dispute_at_once_and_one_wins(api, catalogue, agents):
    order = create_order(api)
    case_id = act(api, order, "cases", {"kind": "dispute", "description": "买家申请维权"}).json()["id"]

    results = run_concurrently(4, lambda index: resolve(agents[index], case_id, OUTCOMES[index]))

    assert all(isinstance(result, tuple) for result in results), results
    assert sorted(status for status, _body in results) == [200, 409, 409, 409]
    assert {body["code"] for status, body in results if status == 409} == {"case_resolved"}
    winner = next(index for index, (status, _body) in enumerate(results) if status == 200)
    case = Case.objects.get(pk=case_id)
    assert (case.status, case.outcome) == ("resolved", OUTCOMES[winner])
    assert case.notes.filter(kind="resolved").count() == 1
    assert OrderEvent.objects.filter(order_id=order["id"], type=OrderEventType.CASE_RESOLVED).count() == 1
    flags = Flag.objects.filter(order_id=order["id"], cause=f"case:{case_id}")
    assert [flag.cleared_at is not None for flag in flags] == [True]
    assert OrderEvent.objects.filter(order_id=order["id"], type=OrderEventType.FLAG_CLEARED).count() == 1
