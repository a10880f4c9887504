"""Django's PostgreSQL backend with two changes: small bulk inserts use plain VALUES (see compiler.py),
and timestamps are parsed by psycopg's C loader.

Django registers a ``timestamptz`` loader of its own (``psycopg_any.BaseTzLoader``): psycopg's pure
Python parser, then ``replace(tzinfo=…)``. A list page loads two hundred timestamps, and that parser
was a tenth of the page's CPU. With time zones on, Django runs the session in UTC and wants
``datetime.timezone.utc`` on every value, which is what psycopg's C loader gives in a UTC session:
the same values, parsed in C. Without the C module (psycopg installed without ``[binary]``), or in
any other session time zone, Django's loader stays.
"""

from datetime import UTC

from django.db.backends.postgresql import base, operations
from psycopg import _cmodule
from psycopg.types.datetime import TimestamptzLoader


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "config.postgresql.compiler"


class UtcTimestampLoader(TimestamptzLoader):
    """Django's loader for a UTC session (``timezone`` is what Django's ``create_cursor`` compares), each
    value parsed by psycopg's C loader (the C class cannot be subclassed: its ``load`` is bound per loader)."""

    timezone = UTC

    def __init__(self, oid: int, context=None) -> None:
        super().__init__(oid, context)
        self.load = _cmodule._psycopg.TimestamptzLoader(oid, context).load


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if _cmodule._psycopg is not None and self.timezone is UTC and self.timezone_name == "UTC":
            connection.adapters.register_loader("timestamptz", UtcTimestampLoader)
        return connection
