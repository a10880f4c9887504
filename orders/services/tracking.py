"""Tracking news from the courier, through the storefront: stored once, and what it means for the order.

* ``delivered`` delivers the order (``order_deliver``: the return window and its reminder, as always).
* ``exception`` and ``returned_to_sender`` raise a purple (abnormal) flag with the courier's words: the
  order is listed among the abnormal orders until an agent clears the flag.
* Any other news moves the order's ``stalled_after`` on: the parcel is stalled (``logistics.stalled``)
  only after the shop's limit for its province passes without news (``shipping.stalled_after``).

The same status at the same time again is a replay: nothing new is stored or done. The order's row is
locked first, so two copies of one piece of news wait for each other; the unique constraint
(``tracking_event_once``) is the rule even so.
"""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from flags.rules import ABNORMAL
from flags.services import flag_raise
from orders.events import Actor, events_record, tracking_recorded_event
from orders.exceptions import InvalidInput, ShippingRefused
from orders.models import TRACKING_TROUBLE, Order, OrderStatus, TrackingEvent, TrackingStatus
from orders.services.locking import order_lock
from orders.services.shipping import order_deliver, stalled_after
from orders.text import FLAG_NOTE

TRACKING_TROUBLE_CAUSE = "tracking_trouble"


def _trouble_note(event: TrackingEvent) -> str:
    """The flag's note: what happened, in the courier's words, where."""
    with translation.override(settings.LANGUAGE_CODE):
        words = event.description or str(event.get_status_display())
        note = _("Courier: %(status)s — “%(words)s”") % {"status": event.get_status_display(), "words": words}
        if event.location:
            note += f" ({event.location})"
    return note[: FLAG_NOTE.limit]


def _stored(order: Order, fields: dict) -> TrackingEvent | None:
    """The new row, or None when the same news is already there (a replay, or its twin just won)."""
    try:
        with transaction.atomic():
            return TrackingEvent.objects.create(order=order, **fields)
    except IntegrityError:
        if TrackingEvent.objects.filter(order=order, status=fields["status"], at=fields["at"]).exists():
            return None
        raise


@transaction.atomic
def tracking_event_record(
    *, order_id: int, status: str, at: datetime, actor: Actor, location: str = "", description: str = ""
) -> tuple[Order, bool]:
    """Store one piece of tracking news of a shipped order and act on it; returns ``(order, created)``,
    ``created`` False for a replay (the order as it is, nothing done twice)."""
    if status not in TrackingStatus.values:
        raise InvalidInput(fields={"status": [_("Choose one of: %s.") % ", ".join(TrackingStatus.values)]})
    if at > timezone.now():
        raise InvalidInput(fields={"at": [_("Cannot be in the future.")]})
    order = order_lock(order_id=order_id)
    if TrackingEvent.objects.filter(order=order, status=status, at=at).exists():
        return order, False
    if order.status != OrderStatus.SHIPPED:
        raise ShippingRefused(
            _("Only a shipped order has tracking news; this one is %s.") % order.get_status_display(),
            data={"status": order.status},
        )
    if status == TrackingStatus.DELIVERED and order.shipped_at and at < order.shipped_at:
        raise InvalidInput(fields={"at": [_("Cannot be before the order shipped.")]})
    fields = {"status": status, "at": at, "location": location.strip(), "description": description.strip()}
    event = _stored(order, fields)
    if event is None:
        return order, False
    events_record(
        tracking_recorded_event(
            order=order,
            actor=actor,
            status=status,
            at=at.isoformat(),
            location=event.location,
            description=event.description,
        )
    )
    if status == TrackingStatus.DELIVERED:
        return order_deliver(order_id=order.pk, actor=actor, delivered_at=at), True
    if status in TRACKING_TROUBLE:
        flag_raise(
            order=order, category_code=ABNORMAL, cause=TRACKING_TROUBLE_CAUSE, note=_trouble_note(event), actor=actor
        )
    later = stalled_after(order=order, news_at=at)
    order.stalled_after = max(later, order.stalled_after) if order.stalled_after else later
    order.version += 1
    order.save(update_fields=["stalled_after", "version", "updated_at"])
    return order, True
