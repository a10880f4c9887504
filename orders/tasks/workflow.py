"""Tasks of the confirm workflow: holds that end by themselves (beat)."""

from celery import shared_task


@shared_task(name="orders.tasks.holds_release_due", ignore_result=True)
def holds_release_due() -> int:
    """Periodic (beat): bring back the orders whose hold ``until`` has passed, with fresh checks."""
    from orders.services.workflow import holds_release_due as release_due

    return release_due()
