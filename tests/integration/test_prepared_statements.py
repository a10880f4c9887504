"""Intake's hot statements are prepared on their PostgreSQL connection (``orders.raw_sql.prepared``), no other is."""

import pytest
from django.db import connection

from tests.orders.helpers import create_order

pytestmark = pytest.mark.django_db  # integration (PostgreSQL): prepared statements are PostgreSQL's


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_intakes_statements_are_prepared_and_no_other(api, catalogue):
    create_order(api)
    create_order(api)  # a repeat buyer: the history read too
    for _ in range(6):  # more runs than psycopg's own threshold (5)
        assert api.get("/api/v1/orders/?page_size=1").status_code == 200

    statements = _prepared_statements()

    assert any(s.startswith('/* prepared */ INSERT INTO "orders_customer"') for s in statements)
    assert any(s.startswith("/* prepared */ WITH h AS") for s in statements)
    assert any(s.startswith('/* prepared */ WITH o AS (INSERT INTO "orders_order"') for s in statements)
    assert all(s.startswith("/* prepared */") for s in statements), statements
