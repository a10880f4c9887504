"""The project's PostgreSQL backend (config/postgresql): small bulk inserts as VALUES, large ones as UNNEST."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
from django.test.utils import CaptureQueriesContext
from psycopg.pq import Format

from config.postgresql.base import UtcTimestampLoader
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


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 27, 15, 26, 56, 936910, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),  # no microseconds
        datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=ZoneInfo("Asia/Shanghai")),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(1, 1, 1, 12, tzinfo=UTC),
    ],
)
def test_timestamps_load_in_c_as_djangos_loader_did(moment):
    """psycopg's C loader in place of Django's Python one: the same instant, with ``datetime.UTC`` as Django's."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [moment])
        (loaded,) = cursor.fetchone()

    assert connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT) is UtcTimestampLoader
    assert loaded == moment
    assert loaded.tzinfo is UTC
