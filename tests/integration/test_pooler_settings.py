"""Behind PgBouncer in transaction pooling mode (README "Running it for real"): consecutive transactions of
one Django connection may run on different server connections, so the connection must start with no
startup parameter PgBouncer refuses (``options``) and must leave no named prepared statement behind.
The settings are read once per process: each case runs in a fresh interpreter on the test database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db  # the subprocess reads the migrated test database; no rows needed

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ("DATABASE_JIT", "DATABASE_SERVER_SIDE_BINDING", "DATABASE_PREPARED_STATEMENTS")
INHERITED = {k: v for k, v in os.environ.items() if k not in SETTINGS}
PROBE = """
import json
import django
django.setup()
from django.db import connection
from orders.models import Order
from orders.raw_sql import prepared
for n in range(10):  # psycopg prepares a statement run this often, when prepare_threshold allows it
    list(Order.objects.filter(external_id=f"probe-{n}").values_list("id", flat=True))
with connection.cursor() as cursor:
    for n in range(3):  # a statement marked like intake's hot ones
        cursor.execute(prepared("SELECT %s::int"), [n])
    cursor.execute("SELECT count(*) FROM pg_prepared_statements")
    prepared = cursor.fetchone()[0]
    cursor.execute("SHOW jit")
    jit = cursor.fetchone()[0]
params = connection.get_connection_params()
print(json.dumps({"cursor": params["cursor_factory"].__name__, "options": params.get("options"),
                  "prepared": prepared, "jit": jit}))
"""


def _probe(**env: str) -> dict:
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**INHERITED, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": url, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_by_default_jit_is_off_per_connection_and_only_the_marked_statement_is_prepared():
    found = _probe()

    assert found == {"cursor": "PreparingCursor", "options": "-c jit=off", "prepared": 1, "jit": "off"}


def test_the_pgbouncer_settings_send_no_startup_options():
    # given: what README asks for behind PgBouncer (JIT set on the database instead)
    found = _probe(DATABASE_JIT="", DATABASE_SERVER_SIDE_BINDING="false", DATABASE_PREPARED_STATEMENTS="false")

    # then: no `options` startup parameter, client-side binding, nothing prepared
    assert found["options"] is None
    assert found["cursor"] == "Cursor"
    assert found["prepared"] == 0


def test_server_side_binding_without_prepared_statements_prepares_nothing():
    """Server-side binding sends unnamed statements (Django leaves psycopg's prepare_threshold off), which a
    transaction-mode pooler passes through; the startup options and the marked statements had to go."""
    found = _probe(DATABASE_JIT="", DATABASE_PREPARED_STATEMENTS="false")

    assert found["cursor"] == "ServerBindingCursor"
    assert found["options"] is None
    assert found["prepared"] == 0
