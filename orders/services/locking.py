"""Row locks on orders: the one way a service takes them (optimistic versions checked on the way)."""

from collections.abc import Iterable, Mapping

from orders.exceptions import NotFound, VersionConflict
from orders.models import Order


def order_lock(*, order_id: int, expected_version: int | None = None) -> Order:
    """The order's row, locked until the transaction ends; 412 when the caller saw an older version.

    Only the order's own row is locked (``of=("self",)``), not its customer's: a service that locks
    several orders of one buyer must not meet a one-order service in a circle over the customer row."""
    order = Order.objects.select_for_update(of=("self",)).select_related("customer").filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    if expected_version is not None and expected_version != order.version:
        raise VersionConflict(data={"current_version": order.version, "expected_version": expected_version})
    return order


def orders_lock(*, order_ids: Iterable[int], expected_versions: Mapping[int, int] | None = None) -> dict[int, Order]:
    """Several orders' rows, locked in ascending id order: every service that locks more than one
    order goes through here, so two of them (or one of them and a one-order service) never wait on
    each other in a circle. Returns the orders found by id (the caller decides about missing ones);
    412 when any of ``expected_versions`` is stale."""
    ids = sorted(set(order_ids))
    orders = {
        order.pk: order
        for order in Order.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    stale = {
        str(order_id): {"current_version": orders[order_id].version, "expected_version": expected}
        for order_id, expected in sorted((expected_versions or {}).items())
        if order_id in orders and orders[order_id].version != expected
    }
    if stale:
        raise VersionConflict(data={"orders": stale})
    return orders
