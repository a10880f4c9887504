"""What the written-out queries share (the few where compiling the ORM query cost more than running it):
timestamps read back from raw rows, and the mark that asks PostgreSQL to keep a statement's plan.

Prepared statements: Django turns psycopg's prepared statements off (connection poolers in transaction
mode lose them), so PostgreSQL plans every statement again: for the buyer's history (four joins and a
sub-plan) the planning took longer than the run. A statement built with ``prepared`` carries a mark that
the project's PostgreSQL backend (``config/postgresql``) reads: it is prepared on its connection at first
use and only executed after, the others are planned each time as before. Elsewhere the mark is an SQL
comment.
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime


def row_datetime(value: datetime | str | None) -> datetime | None:
    """A timestamp from a raw row: PostgreSQL gives aware datetimes, SQLite naive UTC (or text)."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(value)
    return parsed if parsed is None or timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


PREPARED_MARK = "/* prepared */ "


def prepared(sql: str) -> str:
    """``sql`` marked to be prepared on its connection (see the module's docstring)."""
    return PREPARED_MARK + sql
