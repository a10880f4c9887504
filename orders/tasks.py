"""Celery tasks: thin, they take ids and call a service."""

from celery import shared_task
from django.conf import settings


@shared_task(ignore_result=True)
def orders_recheck(order_ids: list[int]) -> None:
    """Re-run the checks of orders whose situation changed because of another order (mergeable hint)."""
    from orders.events import Actor
    from orders.exceptions import NotFound, OrderNotEditable
    from orders.services.workflow import order_recheck

    for order_id in order_ids:
        try:
            order_recheck(order_id=order_id, actor=Actor.system())
        except (NotFound, OrderNotEditable):
            continue


@shared_task(bind=True, ignore_result=True, max_retries=None)
def message_send(self, message_id: int) -> None:
    """Send one outbox message (``orders.messaging.services``: claim, send, record).

    A transient failure retries with the outbox's backoff; the outbox counts the attempts and marks
    the row failed past ``MESSAGE_MAX_ATTEMPTS``, so the retries are bounded there."""
    from orders.messaging.services import message_deliver

    retry_in = message_deliver(message_id=message_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in.total_seconds(), max_retries=settings.ORDERDESK["MESSAGE_MAX_ATTEMPTS"])


@shared_task(ignore_result=True)
def return_reminders_send_due() -> int:
    """Periodic (beat): send the return-policy reminders that are due."""
    from orders.messaging.services import return_reminders_send_due as send_due

    return send_due()


@shared_task(ignore_result=True)
def messages_sweep() -> int:
    """Periodic (beat): re-publish messages whose send task was lost."""
    from orders.messaging.services import messages_sweep as sweep

    return sweep()


@shared_task(ignore_result=True)
def idempotency_keys_purge() -> int:
    """Periodic (beat): forget Idempotency-Key records past their time to live."""
    from orders.api.idempotency import idempotency_keys_purge as purge

    return purge()
