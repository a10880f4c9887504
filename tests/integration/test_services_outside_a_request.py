"""Services open their own transaction: the admin and the live server call them outside the test client's
wrapping transaction, where a lock taken without one fails (``select_for_update`` outside a transaction)."""

import pytest

from orders.events import Actor
from orders.models import Order, OrderStatus
from orders.services.shipping import order_ship
from tests.orders.helpers import create_confirmed_order

# Committed for real, as the integration tests that race do: the rows migrate wrote (roles) come back after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_order_ship_runs_in_its_own_transaction(api, agent_api, catalogue):
    order = create_confirmed_order(api, agent_api)

    order_ship(order_id=order["id"], courier="ZTO", tracking_number="753456789012", actor=Actor.system())

    assert Order.objects.get(pk=order["id"]).status == OrderStatus.SHIPPED
