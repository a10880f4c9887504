"""``manage.py run_periodic [--at TIME]``: everything beat does, once, by hand.

Without Redis (the demo) there is no beat: this command stands in for it, and ``--at`` moves the
clock (the day a reminder is due, the day a hold ends). With a worker and beat running, it is
harmless: each job is safe to run twice.
"""

from collections.abc import Callable
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from orders.messaging.payments import payment_reminders_queue_due
from orders.messaging.periodic import messages_sweep, return_reminders_send_due
from orders.services.workflow import holds_release_due


def moment(text: str) -> datetime:
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(f"not a date or time: {text!r} (e.g. 2026-11-27 or 2026-11-27T10:00)")
        moment = datetime.combine(day, datetime.max.time())
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


# (what the line says, the job): the beat schedule's jobs in config/settings/base.py.
JOBS: list[tuple[str, Callable[[datetime | None], int]]] = [
    ("holds released", lambda now: holds_release_due(now=now)),
    ("payment reminders queued", lambda now: payment_reminders_queue_due(now=now)),
    ("return-policy reminders sent", lambda now: return_reminders_send_due(now=now)),
    ("messages re-published", lambda now: messages_sweep()),
]


class Command(BaseCommand):
    help = "Run each job of the beat schedule once: hold releases, payment and return-policy reminders, the sweep."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--at", help="Act as if it were this time (the demo's clock), e.g. 2027-03-01T09:00.")

    def handle(self, *args, at: str | None, **options) -> None:
        now = moment(at) if at else None
        for label, job in JOBS:
            self.stdout.write(f"{label}: {job(now)}")
