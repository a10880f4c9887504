"""One event row per change, written through these helpers (the admin timeline and the API read them)."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from orders.models import Order, OrderEvent, OrderEventType


@dataclass(frozen=True)
class Actor:
    """Who does something: a staff user, or a named non-user (a storefront, the buyer, the system)."""

    user: AbstractBaseUser | None = None
    label: str = ""

    @classmethod
    def system(cls) -> "Actor":
        return cls(label="system")

    @classmethod
    def storefront(cls, storefront: Any) -> "Actor":
        return cls(label=f"storefront:{storefront.name}")

    @classmethod
    def buyer(cls) -> "Actor":
        return cls(label="buyer")

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    def __str__(self) -> str:
        return self.user.get_username() if self.user is not None else self.label


def event_build(*, order: Order, type: OrderEventType, actor: Actor, **data: Any) -> OrderEvent:
    """An unsaved event, for ``bulk_create`` when a service records several at once."""
    return OrderEvent(order=order, type=type, actor=actor.user, actor_label=actor.label, data=data)


def event_record(*, order: Order, type: OrderEventType, actor: Actor, **data: Any) -> OrderEvent:
    event = event_build(order=order, type=type, actor=actor, **data)
    event.save()
    return event
