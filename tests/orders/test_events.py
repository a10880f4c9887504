"""Events are written one way: a factory per event type in ``orders.events``, or ``order_transition``."""

import re
from pathlib import Path

import pytest

from orders import events
from orders.models import Order, OrderEventType

ROOT = Path(events.__file__).resolve().parent.parent
# Writing an event without the factories: building the model or saving through its manager.
DIRECT_WRITE = re.compile(
    r"(?<!class )OrderEvent\(|OrderEvent\.objects\.(create|bulk_create|get_or_create|update_or_create)\("
)

# Types nothing writes yet (kept for the stored history's choices and the features that will).
NOT_WRITTEN = {OrderEventType.NOTE, OrderEventType.PAYMENT_CHANGED}


@pytest.mark.parametrize("event_type", list(OrderEventType), ids=str)
def test_every_event_type_has_a_factory_named_after_it_or_is_a_status_change(event_type):
    factory = getattr(events, f"{event_type.value}_event", None)
    assert callable(factory) or event_type in events.TRANSITION_EVENT_TYPES or event_type in NOT_WRITTEN


def test_a_factory_builds_its_own_type_unsaved():
    event = events.buyer_change_requested_event(order=Order(), actor=events.Actor.buyer(), text="L, not M")
    assert (event.pk, event.type, event.actor_label, event.data) == (
        None,
        OrderEventType.BUYER_CHANGE_REQUESTED,
        "buyer",
        {"text": "L, not M"},
    )


def test_only_status_changes_go_through_transition_event():
    with pytest.raises(ValueError, match="not a status change"):
        events.transition_event(
            order=Order(), type=OrderEventType.CHECKS_RUN, actor=events.Actor.system(), before="a", after="b"
        )


def test_nothing_else_builds_or_saves_an_event():
    writers = sorted(
        str(path.relative_to(ROOT))
        for package in ("orders", "flags")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and DIRECT_WRITE.search(path.read_text(encoding="utf-8"))
    )
    assert writers == ["orders/events.py"]
