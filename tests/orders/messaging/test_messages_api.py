"""GET /api/v1/orders/{id}/messages/ and the agents' resend, with their permissions."""

import json

import pytest

from orders.messaging.models import Message
from tests.orders.messaging.conftest import confirmation_of
from tests.orders.messaging.fakes import permanent

pytestmark = pytest.mark.django_db


def messages_of(client, order_id: int):
    return client.get(f"/api/v1/orders/{order_id}/messages/")


def resend(client, order_id: int, body: dict):
    return client.post(
        f"/api/v1/orders/{order_id}/messages/resend/", data=json.dumps(body), content_type="application/json"
    )


def test_a_storefront_reads_the_outbox_of_its_own_order(api, confirmed):
    order = confirmed()
    message = confirmation_of(order)

    response = messages_of(api, order.pk)

    assert response.status_code == 200
    [row] = response.json()
    assert {k: row[k] for k in ("id", "kind", "channel", "status", "attempts")} == {
        "id": message.pk,
        "kind": "confirmation",
        "channel": "sms",
        "status": "sent",
        "attempts": 1,
    }
    assert row["sent_at"] is not None
    assert "last_error" not in row and "recipient" not in row


def test_another_storefronts_order_is_not_found(other_api, confirmed):
    assert messages_of(other_api, confirmed().pk).status_code == 404


def test_staff_who_read_orders_see_the_last_error(warehouse_api, confirmed, recording):
    recording.failures = [permanent()]
    order = confirmed()

    [row] = messages_of(warehouse_api, order.pk).json()

    assert (row["status"], row["last_error"]) == ("failed", "HTTP 400 from the gateway")


def test_staff_without_order_permissions_are_refused(staff_api, confirmed):
    assert messages_of(staff_api(None), confirmed().pk).status_code == 403


def test_an_agent_resends_with_a_reason(agent_api, confirmed, django_capture_on_commit_callbacks, recording):
    order = confirmed()

    with django_capture_on_commit_callbacks(execute=True):
        response = resend(agent_api, order.pk, {"kind": "confirmation", "reason": "买家说没收到"})

    assert response.status_code == 201, response.content
    assert (response.json()["kind"], response.json()["content"], response.json()["reason"]) == (
        "resend",
        "confirmation",
        "买家说没收到",
    )
    assert Message.objects.get(pk=response.json()["id"]).status == "sent"
    assert len(recording.sent) == 2


@pytest.mark.parametrize("body", [{"kind": "confirmation"}, {"kind": "confirmation", "reason": ""}, {"reason": "x"}])
def test_a_resend_needs_a_kind_and_a_reason(agent_api, confirmed, body):
    response = resend(agent_api, confirmed().pk, body)

    assert response.status_code == 400
    assert not Message.objects.filter(kind="resend").exists()


def test_a_reminder_cannot_be_resent_before_delivery(agent_api, confirmed):
    response = resend(agent_api, confirmed().pk, {"kind": "return_policy_reminder", "reason": "test"})

    assert response.status_code == 409
    assert response.json()["code"] == "message_refused"


@pytest.mark.parametrize("client_name", ["api", "warehouse_api"])
def test_only_staff_who_confirm_orders_may_resend(request, confirmed, client_name):
    client = request.getfixturevalue(client_name)

    assert resend(client, confirmed().pk, {"kind": "confirmation", "reason": "x"}).status_code == 403
