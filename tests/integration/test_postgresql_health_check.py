"""The health check of the project's PostgreSQL backend (config/postgresql/base.py): no round trip while
the connection's socket is quiet, Django's ``SELECT 1`` (and a new connection) once the server ended it."""

from unittest import mock

import pytest
from django.db import close_old_connections, connection, connections

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_quiet_connection_is_reused_without_asking_the_server():
    assert connection.health_check_enabled
    pid = _backend_pid()
    close_old_connections()  # between two requests or tasks: the next query checks the connection

    with mock.patch.object(connection, "is_usable", wraps=connection.is_usable) as is_usable:
        assert _backend_pid() == pid

    is_usable.assert_not_called()
    assert connection.health_check_done


def test_a_connection_the_server_ended_is_replaced_before_the_next_query():
    pid = _backend_pid()
    close_old_connections()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:  # as a restart does: the backend says goodbye and closes
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone()[0]
    finally:
        other.close()

    with mock.patch.object(connection, "is_usable", wraps=connection.is_usable) as is_usable:
        new_pid = _backend_pid()

    is_usable.assert_called_once()  # the socket was not quiet: Django's SELECT 1 failed, a new connection
    assert new_pid != pid
