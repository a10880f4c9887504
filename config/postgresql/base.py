"""Django's PostgreSQL backend with two changes: small bulk inserts use plain VALUES (see compiler.py),
and the health check asks the socket before it asks the server (``close_if_health_check_failed``)."""

import select

from django.db.backends.postgresql import base, operations
from psycopg import OperationalError, pq


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "config.postgresql.compiler"


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
