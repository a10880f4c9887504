"""The demo's clock for the commands that stand in for beat (``--at``)."""

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


def moment(text: str) -> datetime:
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(f"not a date or time: {text!r} (e.g. 2026-11-27 or 2026-11-27T10:00)")
        moment = datetime.combine(day, datetime.max.time())
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
