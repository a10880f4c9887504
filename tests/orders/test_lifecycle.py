"""Every transition of the life cycle: allowed ones move and record, the rest are refused."""

import itertools

import pytest

from orders.events import Actor
from orders.exceptions import InvalidTransition
from orders.models import ALLOWED_TRANSITIONS, OrderEvent, OrderEventType, OrderStatus
from orders.services.lifecycle import actions_allowed, order_transition
from tests.orders.helpers import create_order

pytestmark = pytest.mark.django_db

PAIRS = list(itertools.product(OrderStatus.values, OrderStatus.values))


def test_the_brief_s_main_path_is_allowed():
    path = ["received", "pending_confirmation", "confirmed", "shipped", "delivered"]
    for current, target in itertools.pairwise(path):
        assert target in ALLOWED_TRANSITIONS[current]


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_transition(api, catalogue, current, target):
    from orders.models import Order

    order = Order.objects.get(pk=create_order(api)["id"])
    Order.objects.filter(pk=order.pk).update(status=current)
    order.refresh_from_db()
    version = order.version
    # A merged order leaves that status only by being unmerged (see the test below).
    event_type = OrderEventType.UNMERGED if current == OrderStatus.MERGED else OrderEventType.STATUS_CHANGED

    if target in ALLOWED_TRANSITIONS[current]:
        order_transition(order=order, to=OrderStatus(target), actor=Actor.system(), event_type=event_type)
        order.refresh_from_db()
        assert order.status == target
        assert order.version == version + 1
        event = OrderEvent.objects.filter(order=order).latest("id")
        assert event.data == {"before": current, "after": target}
    else:
        with pytest.raises(InvalidTransition):
            order_transition(order=order, to=OrderStatus(target), actor=Actor.system(), event_type=event_type)
        order.refresh_from_db()
        assert order.status == current


@pytest.mark.parametrize("target", sorted(ALLOWED_TRANSITIONS[OrderStatus.MERGED]))
def test_a_merged_order_leaves_that_status_only_by_being_unmerged(api, catalogue, target):
    from orders.models import Order

    Order.objects.filter(pk=create_order(api)["id"]).update(status=OrderStatus.MERGED)
    order = Order.objects.get()

    with pytest.raises(InvalidTransition):
        order_transition(order=order, to=OrderStatus(target), actor=Actor.system())
    order.refresh_from_db()
    assert order.status == OrderStatus.MERGED


# What the admin offered before it asked the life cycle (status literals in the admin): the same.
OFFERED = {
    OrderStatus.RECEIVED: {"confirm", "hold", "cancel", "unmerge"},
    OrderStatus.PENDING_CONFIRMATION: {"confirm", "hold", "cancel", "unmerge"},
    OrderStatus.ON_HOLD: {"release", "cancel", "unmerge"},
    OrderStatus.CONFIRMED: {"hold", "cancel", "ship", "unmerge"},
    OrderStatus.SHIPPED: {"deliver"},
    OrderStatus.DELIVERED: set(),
    OrderStatus.CANCELLED: set(),
    OrderStatus.MERGED: set(),
}


@pytest.mark.parametrize("status", list(OrderStatus))
def test_the_actions_a_page_offers_come_from_the_life_cycle(status):
    assert actions_allowed(status) == OFFERED[status]
