"""Fixtures of the message tests: a recording channel for every channel, and confirmed orders."""

import re

import pytest

from orders.messaging.models import Message
from orders.models import Order
from tests.orders.helpers import act, create_order
from tests.orders.messaging.fakes import recording_on_every_channel

# A buyer's order with a promise of every kind and a line under each default policy.
RICH_ORDER = {
    "lines": [
        {"sku": "TEE-RED-M", "quantity": 2},
        {"sku": "SHOE-WHITE-40", "quantity": 1},
        {"sku": "EARBUDS-BLACK", "quantity": 1},
        {"sku": "RING-SILVER-12", "quantity": 1},
    ],
    "shipping_fee": "0.00",
    "special_requests": {"courier": "SF", "gift_wrap": True, "engraving": "致韩梅梅", "card_message": "生日快乐！"},
}


@pytest.fixture
def recording(settings):
    """Every channel records instead of sending; returns the recorder class (``.sent``)."""
    with recording_on_every_channel(settings) as recorder:
        yield recorder


def confirm(api, agent_api, **overrides) -> Order:
    """Create an order over REST, acknowledge its warnings as an agent and confirm it."""
    data = create_order(api, **overrides)
    for check in data["checks"]:
        if check["severity"] == "warning" and check["status"] == "open":
            response = act(agent_api, data, f"checks/{check['code']}/acknowledge", {"note": "read back"})
            assert response.status_code == 200, response.content
    response = act(agent_api, data, "confirm")
    assert response.status_code == 200, response.content
    return Order.objects.get(pk=data["id"])


@pytest.fixture
def confirmed(api, agent_api, catalogue, recording, django_capture_on_commit_callbacks):
    """``confirmed(**overrides)`` -> a confirmed order whose confirmation message was sent."""

    def build(**overrides) -> Order:
        with django_capture_on_commit_callbacks(execute=True):
            return confirm(api, agent_api, **overrides)

    return build


def confirmation_of(order: Order) -> Message:
    return Message.objects.get(order=order, kind="confirmation")


def token_of(message: Message) -> str:
    """The buyer-link token inside a rendered confirmation."""
    match = re.search(r"/c/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)
