"""The project's PostgreSQL backend (config/postgresql): small bulk inserts as VALUES, large ones as UNNEST."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import OrderEvent
from tests.factories import order_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_id(api, catalogue) -> int:
    response = api.post("/api/v1/orders/", data=json.dumps(order_payload()), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _insert_sql(count: int, order_id: int) -> str:
    events = [OrderEvent(order_id=order_id, type="note", actor_label="test", data={"n": n}) for n in range(count)]
    with CaptureQueriesContext(connection) as captured:
        created = OrderEvent.objects.bulk_create(events)
    assert all(event.pk for event in created)
    (insert,) = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    return insert


def test_a_few_rows_go_in_as_values(order_id):
    assert connection.settings_dict["ENGINE"] == "config.postgresql"

    sql = _insert_sql(5, order_id)

    assert "UNNEST" not in sql
    assert sql.count("), (") == 4


def test_many_rows_go_in_as_unnest(order_id):
    sql = _insert_sql(50, order_id)

    assert "UNNEST" in sql
    assert OrderEvent.objects.filter(order_id=order_id, actor_label="test").count() == 50
