"""What the written-out queries share (the few where compiling the ORM query cost more than running it)."""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime


def row_datetime(value: datetime | str | None) -> datetime | None:
    """A timestamp from a raw row: PostgreSQL gives aware datetimes, SQLite naive UTC (or text)."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(value)
    return parsed if parsed is None or timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)
