"""Tasks of the money: remind buyers of unpaid orders (beat)."""

from celery import shared_task


@shared_task(name="orders.tasks.payment_reminders_queue_due", ignore_result=True)
def payment_reminders_queue_due() -> int:
    """Periodic (beat): queue the payment reminder of each order unpaid past the shop's time, once."""
    from orders.messaging.payments import payment_reminders_queue_due as queue_due

    return queue_due()
