"""Tasks of the checks: re-run them when another order changed a buyer's situation."""

from celery import shared_task


@shared_task(name="orders.tasks.orders_recheck", ignore_result=True)
def orders_recheck(order_ids: list[int]) -> None:
    """Re-run the checks of orders whose situation changed because of another order (mergeable hint)."""
    from orders.events import Actor
    from orders.exceptions import NotFound, OrderNotEditable
    from orders.services.pipeline import recheck_started
    from orders.services.workflow import order_recheck

    recheck_started(order_ids)
    for order_id in order_ids:
        try:
            order_recheck(order_id=order_id, actor=Actor.system())
        except (NotFound, OrderNotEditable):
            continue
