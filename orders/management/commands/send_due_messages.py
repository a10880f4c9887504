"""``manage.py send_due_messages [--at TIME]``: run the outbox's periodic work once, by hand.

What the beat schedule does every minute when a worker runs: send the reminders that are due and
re-publish messages whose task was lost. Without Redis (the demo) there is no beat: this command
stands in, and ``--at`` moves the clock, e.g. to the day a reminder is due.
"""

from django.core.management.base import BaseCommand

from orders.management.clock import moment
from orders.messaging.periodic import messages_sweep, return_reminders_send_due


class Command(BaseCommand):
    help = "Send the return-policy reminders that are due and re-publish lost messages."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--at", help="Act as if it were this time (the demo's clock), e.g. 2026-11-27T10:00.")

    def handle(self, *args, at: str | None, **options) -> None:
        now = moment(at) if at else None
        reminders = return_reminders_send_due(now=now)
        republished = messages_sweep()
        self.stdout.write(f"reminders sent: {reminders}; messages re-published: {republished}")
