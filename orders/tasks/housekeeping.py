"""Housekeeping tasks (beat): forget what has outlived its use."""

from celery import shared_task


@shared_task(name="orders.tasks.idempotency_keys_purge", ignore_result=True)
def idempotency_keys_purge() -> int:
    """Periodic (beat): forget Idempotency-Key records past their time to live."""
    from orders.api.idempotency import idempotency_keys_purge as purge

    return purge()
