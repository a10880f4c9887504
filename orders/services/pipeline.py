"""What happens to every order once it is stored or changed: checks, flags, the queue."""

from orders.events import Actor
from orders.models import Order, OrderLine, OrderStatus
from orders.services.lifecycle import order_transition
from orders.shop_config import ShopConfig


def order_after_intake(*, order: Order, lines: list[OrderLine], actor: Actor, config: ShopConfig) -> None:
    """A new order enters the agents' queue."""
    order_transition(order=order, to=OrderStatus.PENDING_CONFIRMATION, actor=actor)
