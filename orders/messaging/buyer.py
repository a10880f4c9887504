"""What the buyer does through the link in the confirmation message: confirm, or ask for a change."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from flags.rules import ABNORMAL
from flags.services import flag_raise
from orders.events import Actor, buyer_change_requested_event, buyer_confirmed_event, events_record
from orders.exceptions import OrderNotEditable
from orders.messaging.links import buyer_link_resolve
from orders.messaging.models import BuyerLink
from orders.models import EDITABLE_STATUSES, Order, OrderStatus
from orders.services.lifecycle import order_transition
from orders.services.locking import order_lock
from orders.text import CHANGE_REQUEST


def _link_take(token: str) -> tuple[BuyerLink, Order]:
    """Lock the order, then the link (the order first, as every service does), and spend the link."""
    link = buyer_link_resolve(token)
    order = order_lock(order_id=link.order_id)
    link = buyer_link_resolve(token, for_update=True)
    if order.status not in EDITABLE_STATUSES:
        raise OrderNotEditable(_("The order can no longer be changed here; please contact customer service."))
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return link, order


@transaction.atomic
def buyer_confirm(*, token: str) -> Order:
    """The buyer agrees with the summary: an event in the order's history, the link is spent."""
    _link, order = _link_take(token)
    events_record(buyer_confirmed_event(order=order, actor=Actor.buyer()))
    return order


@transaction.atomic
def buyer_change_request(*, token: str, text: str) -> Order:
    """The buyer asks for a change (free text): recorded word for word, and a confirmed order goes
    back to the agents' queue (``pending_confirmation``) so nobody ships it as it is.

    The one entry point for a buyer's change request; it also raises a purple (abnormal) flag with
    the buyer's words, which lists the order among the abnormal orders until an agent clears it."""
    text = CHANGE_REQUEST.required(text)
    _link, order = _link_take(token)
    actor = Actor.buyer()
    events_record(buyer_change_requested_event(order=order, actor=actor, text=text))
    with translation.override(settings.LANGUAGE_CODE):
        note = _("The buyer asked for a change: “%(text)s”") % {"text": text}
    flag_raise(order=order, category_code=ABNORMAL, cause="buyer_change_request", note=note, actor=actor)
    if order.status == OrderStatus.CONFIRMED:
        order_transition(order=order, to=OrderStatus.PENDING_CONFIRMATION, actor=actor, reason="buyer_change_requested")
    else:
        order.version += 1
        order.save(update_fields=["version", "updated_at"])
    return order
