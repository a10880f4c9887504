"""Tasks of the outbox: send one message, and the periodic drain and sweep (beat)."""

from celery import shared_task
from django.conf import settings


@shared_task(name="orders.tasks.message_send", bind=True, ignore_result=True, max_retries=None)
def message_send(self, message_id: int) -> None:
    """Send one outbox message (``orders.messaging.send``: claim, send, record).

    A transient failure retries with the outbox's backoff; the outbox counts the attempts and marks
    the row failed past ``MESSAGE_MAX_ATTEMPTS``, so the retries are bounded there."""
    from orders.messaging.send import message_deliver

    retry_in = message_deliver(message_id=message_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in.total_seconds(), max_retries=settings.ORDERDESK["MESSAGE_MAX_ATTEMPTS"])


@shared_task(name="orders.tasks.return_reminders_send_due", ignore_result=True)
def return_reminders_send_due() -> int:
    """Periodic (beat): send the return-policy reminders that are due."""
    from orders.messaging.periodic import return_reminders_send_due as send_due

    return send_due()


@shared_task(name="orders.tasks.messages_sweep", ignore_result=True)
def messages_sweep() -> int:
    """Periodic (beat): re-publish messages whose send task was lost."""
    from orders.messaging.periodic import messages_sweep as sweep

    return sweep()
