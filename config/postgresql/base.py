"""Django's PostgreSQL backend with four changes: small bulk inserts use plain VALUES (see compiler.py),
statements marked by ``orders.raw_sql.prepared`` are prepared on their connection, timestamps are parsed by
psycopg's C loader, and the health check asks the socket before it asks the server
(``close_if_health_check_failed``).

Django registers a ``timestamptz`` loader of its own (``psycopg_any.BaseTzLoader``): psycopg's pure
Python parser, then ``replace(tzinfo=…)``. A list page loads two hundred timestamps, and that parser
was a tenth of the page's CPU. With time zones on, Django runs the session in UTC and wants
``datetime.timezone.utc`` on every value, which is what psycopg's C loader gives in a UTC session:
the same values, parsed in C. Without the C module (psycopg installed without ``[binary]``), or in
any other session time zone, Django's loader stays.
"""

import select
from datetime import UTC

from django.db.backends.postgresql import base, operations
from psycopg import OperationalError, _cmodule, pq
from psycopg.types.datetime import TimestamptzLoader

from orders.raw_sql import PREPARED_MARK

# psycopg prepares a statement after this many runs; the project's statements ask instead (``prepare=True``),
# so no other query is ever prepared automatically (a generic plan could hurt the lists' skewed filters).
ONLY_WHEN_ASKED = 2**31 - 1


class PreparingCursor(base.ServerBindingCursor):
    """Prepares the statements that carry ``PREPARED_MARK`` (server-side binding only)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and isinstance(query, str) and query.startswith(PREPARED_MARK):
            prepare = True
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "config.postgresql.compiler"


class UtcTimestampLoader(TimestamptzLoader):
    """Django's loader for a UTC session (``timezone`` is what Django's ``create_cursor`` compares), each
    value parsed by psycopg's C loader (the C class cannot be subclassed: its ``load`` is bound per loader)."""

    timezone = UTC

    def __init__(self, oid: int, context=None) -> None:
        super().__init__(oid, context)
        self.load = _cmodule._psycopg.TimestamptzLoader(oid, context).load


def socket_quiet(connection) -> bool:
    """True when an idle psycopg connection has nothing waiting on its socket: the server neither said
    goodbye (a restart or ``pg_terminate_backend`` sends a FATAL message, then closes: the socket turns
    readable) nor closed it. A connection in any other state is not called quiet."""
    pgconn = connection.pgconn
    if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return False
    try:
        fd = pgconn.socket
    except OperationalError:  # libpq has no socket: the connection is lost
        return False
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP)
    return not poller.poll(0)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if _cmodule._psycopg is not None and self.timezone is UTC and self.timezone_name == "UTC":
            connection.adapters.register_loader("timestamptz", UtcTimestampLoader)
        return connection

    def close_if_health_check_failed(self) -> None:
        """Django's health check (``CONN_HEALTH_CHECKS``) is a ``SELECT 1`` before the first query of every
        request or task: a round trip to PostgreSQL each time, for a connection that is nearly always
        fine. A connection the server closed or said goodbye on has something on its socket (a FATAL
        message, the end of the stream), and an idle healthy one has nothing: so when the socket is
        quiet the check is done without asking the server, and otherwise Django's ``SELECT 1`` decides
        (a notice is harmless, a dead connection is closed and the next query opens a new one). The
        server dying without a word (a lost host) is not seen here, nor by ``SELECT 1`` in time: its
        answer would wait for TCP's timeout too."""
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and socket_quiet(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def get_connection_params(self) -> dict:
        """``OPTIONS["prepare_marked"]`` (``DATABASE_PREPARED_STATEMENTS``, on by default) prepares the marked
        statements; off behind a transaction-mode pooler that keeps no prepared statement (PgBouncer before
        1.21, or without ``max_prepared_statements``): a prepared statement lives on one server connection."""
        params = super().get_connection_params()
        prepare_marked = params.pop("prepare_marked", True)
        if prepare_marked and params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = PreparingCursor
            if "prepare_threshold" not in self.settings_dict["OPTIONS"]:
                params["prepare_threshold"] = ONLY_WHEN_ASKED
        return params
