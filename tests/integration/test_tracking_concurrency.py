"""Tracking news stored once on PostgreSQL: the same news posted twice at once, and the constraint itself."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.events import Actor
from orders.models import Order, OrderEvent, TrackingEvent
from orders.services.tracking import tracking_event_record
from tests.integration.helpers import run_concurrently
from tests.orders.helpers import act
from tests.orders.messaging.conftest import confirm
from tests.orders.messaging.fakes import recording_on_every_channel

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def shipped_order(api, agent_api, warehouse_api, catalogue, settings) -> Order:
    with recording_on_every_channel(settings):
        order = confirm(api, agent_api)
        response = act(warehouse_api, order.pk, "ship", {"courier": "ZTO", "tracking_number": "753456789012"})
    assert response.status_code == 200, response.content
    return Order.objects.get(pk=order.pk)


def test_the_same_news_posted_twice_at_once_is_stored_once(shipped_order):
    at = timezone.now() - timedelta(minutes=5)

    def post(_index: int) -> bool:
        _order, created = tracking_event_record(
            order_id=shipped_order.pk, status="in_transit", at=at, location="上海", actor=Actor.system()
        )
        return created

    results = run_concurrently(4, post)

    assert sorted(results) == [False, False, False, True], results
    assert TrackingEvent.objects.filter(order=shipped_order).count() == 1
    assert OrderEvent.objects.filter(order=shipped_order, type="tracking_recorded").count() == 1


def test_the_database_refuses_a_second_row_of_the_same_news(shipped_order):
    at = timezone.now()
    TrackingEvent.objects.create(order=shipped_order, status="exception", at=at)

    with pytest.raises(IntegrityError), transaction.atomic():
        TrackingEvent.objects.create(order=shipped_order, status="exception", at=at, description="again")
