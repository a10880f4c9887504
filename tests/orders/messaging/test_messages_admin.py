"""The outbox in the admin: on the order page, the list of failures, and retry."""

import pytest
from django.contrib.auth.models import User

from orders.roles import AGENTS, WAREHOUSE
from tests.conftest import make_staff
from tests.orders.messaging.conftest import confirmation_of, token_of
from tests.orders.messaging.fakes import permanent

pytestmark = pytest.mark.django_db


def logged_in(client, role: str) -> User:
    user = make_staff(role, username=f"admin-{role}")
    client.force_login(user)
    return user


def test_the_order_page_shows_its_messages_with_status_attempts_and_errors(client, confirmed, recording):
    recording.failures = [permanent("HTTP 403 from the gateway")]
    order = confirmed()
    logged_in(client, AGENTS)

    response = client.get(f"/admin/orders/order/{order.pk}/change/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "HTTP 403 from the gateway" in text
    assert f"/admin/orders/message/{confirmation_of(order).pk}/change/" in text


@pytest.mark.parametrize("role", [AGENTS, WAREHOUSE])
def test_the_message_detail_hides_the_buyers_link_token(client, confirmed, role):
    message = confirmation_of(confirmed())
    token = token_of(message)
    logged_in(client, role)

    text = client.get(f"/admin/orders/message/{message.pk}/change/").content.decode()

    assert "/c/********/" in text
    assert token.split(":")[0] not in text


def test_the_failures_list_shows_failed_messages_only(client, confirmed, recording):
    recording.failures = [permanent("HTTP 403 from the gateway")]
    failed = confirmation_of(confirmed())
    sent = confirmation_of(confirmed(customer={"external_id": "buyer-2"}))
    logged_in(client, WAREHOUSE)

    response = client.get("/admin/orders/failedmessage/")

    assert response.status_code == 200
    ids = [row.pk for row in response.context["cl"].result_list]
    assert ids == [failed.pk]
    assert sent.pk not in ids


def test_an_agent_retries_failed_messages_from_the_list(
    client, confirmed, recording, django_capture_on_commit_callbacks
):
    recording.failures = [permanent()]
    message = confirmation_of(confirmed())
    logged_in(client, AGENTS)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/orders/failedmessage/", {"action": "retry", "_selected_action": [message.pk]}, follow=True
        )

    assert response.status_code == 200
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)


def test_warehouse_staff_see_failures_but_cannot_retry(client, confirmed, recording):
    recording.failures = [permanent()]
    message = confirmation_of(confirmed())
    logged_in(client, WAREHOUSE)

    client.post("/admin/orders/failedmessage/", {"action": "retry", "_selected_action": [message.pk]})

    message.refresh_from_db()
    assert message.status == "failed"
