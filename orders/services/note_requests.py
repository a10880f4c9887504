"""Turn a request found in a note into the order's structured request, with one action.

``request.in_note`` lists what the buyer's note or the seller's memo asks that no field carries. For a
courier, gift wrap, an engraving or a card the agent can make the finding the order's request: the
field is set as an agent's edit of the requests would set it (one event, the checks re-run, the
flags follow), and the finding goes, since the order now carries it. What no field can carry (a
free gift, fragile goods, a delivery time, an address change, an invoice) is read back and
acknowledged instead.
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.checks.notes import NOTE_SOURCES
from orders.events import Actor, events_record, requests_changed_event
from orders.exceptions import DomainError, InvalidInput, OrderNotEditable
from orders.models import CheckResult, CheckStatus, Order
from orders.notes import KINDS
from orders.services.locking import order_lock
from orders.services.pipeline import order_changed
from orders.shop_config import shop_config

IN_NOTE = "request.in_note"
# The kinds a structured field carries: kind -> the order's field.
CONVERTIBLE = {
    "courier": "requested_courier",
    "gift_wrap": "gift_wrap",
    "engraving": "engraving_text",
    "card_message": "card_message",
}


class CheckNotConvertible(DomainError):
    code = "check_not_convertible"
    status = 400
    default_message = gettext_lazy("Only the findings of request.in_note can become the order's requests.")


class NoteKindNotConvertible(DomainError):
    code = "note_kind_not_convertible"
    status = 400
    default_message = gettext_lazy(
        "No field of the order carries this kind of request: read it back to the buyer and acknowledge it."
    )


class NoteFindingNotFound(DomainError):
    code = "note_finding_not_found"
    status = 409
    default_message = gettext_lazy("The notes ask for no such request (any more); reload the order.")


class NoteFindingAmbiguous(DomainError):
    code = "note_finding_ambiguous"
    status = 409
    default_message = gettext_lazy("The notes ask for this in several ways; say which one (value).")


class NoteFindingWithoutText(DomainError):
    code = "note_finding_without_text"
    status = 409
    default_message = gettext_lazy(
        "The note asks for it without giving the text: ask the buyer and edit the special requests."
    )


class NoteRequestConflict(DomainError):
    code = "note_request_conflict"
    status = 409
    default_message = gettext_lazy(
        "The order already carries another value for this request; change the special requests instead."
    )


def _same(kind: str, left: Any, right: Any) -> bool:
    if kind == "courier":
        return str(left).strip().upper() == str(right).strip().upper()
    return "".join(str(left).split()) == "".join(str(right).split())


def _validate(code: str, kind: str, source: str | None) -> None:
    if code != IN_NOTE:
        raise CheckNotConvertible()
    if kind not in KINDS:
        raise InvalidInput(fields={"kind": [_("Unknown kind; use one of: %s.") % ", ".join(KINDS)]})
    if kind not in CONVERTIBLE:
        raise NoteKindNotConvertible(data={"kind": kind, "convertible": list(CONVERTIBLE)})
    if source is not None and source not in NOTE_SOURCES:
        raise InvalidInput(fields={"source": [_("Use one of: %s.") % ", ".join(NOTE_SOURCES)]})


def _finding(row: CheckResult | None, kind: str, value: str | None, source: str | None) -> dict:
    """The one finding the agent means: of this kind, with this value and from this note when said."""
    found = [
        item
        for item in (row.data.get("found", []) if row is not None else [])
        if item.get("kind") == kind
        and (value is None or (item.get("value") is not None and _same(kind, item["value"], value)))
        and (source is None or item.get("source") == source)
    ]
    if not found:
        raise NoteFindingNotFound(data={"kind": kind, "value": value, "source": source})
    values = list(dict.fromkeys(item.get("value") for item in found))
    if len(values) > 1:
        raise NoteFindingAmbiguous(data={"kind": kind, "values": values})
    return found[0]


def _structured_value(order: Order, kind: str, finding: dict) -> str | bool:
    if kind == "gift_wrap":
        return True
    value = finding.get("value")
    if not value:
        raise NoteFindingWithoutText(data={"kind": kind, "text": finding.get("text", "")})
    if kind == "courier" and value not in shop_config().couriers:
        raise NoteRequestConflict(
            _("The shop has no courier %s: add it in the settings, or edit the special requests.") % value,
            data={"kind": kind, "value": value},
        )
    limit = Order._meta.get_field(CONVERTIBLE[kind]).max_length
    if limit is not None and len(value) > limit:
        raise InvalidInput(fields={"kind": [_("The note's text is longer than the request holds (%d).") % limit]})
    current = getattr(order, CONVERTIBLE[kind])
    if current and not _same(kind, current, value):
        raise NoteRequestConflict(data={"kind": kind, "structured": current, "value": value})
    return value


@transaction.atomic
def order_note_convert(
    *,
    order_id: int,
    code: str,
    kind: str,
    actor: Actor,
    value: str | None = None,
    source: str | None = None,
    expected_version: int | None = None,
) -> Order:
    """Make a finding of ``request.in_note`` the order's structured request (``kind``; ``value`` and
    ``source`` pick one finding when the notes hold several). One event; the checks and flags re-run,
    and the finding, now carried by the order, is resolved by the agent."""
    _validate(code, kind, source)
    order = order_lock(order_id=order_id, expected_version=expected_version)
    if not order.is_editable:
        raise OrderNotEditable()
    row = order.checks.filter(code=IN_NOTE).exclude(status=CheckStatus.RESOLVED).first()
    finding = _finding(row, kind, value, source)
    structured = _structured_value(order, kind, finding)
    before = dict(order.special_requests)
    setattr(order, CONVERTIBLE[kind], structured)
    order.version += 1
    order.save()
    events_record(
        requests_changed_event(
            order=order,
            actor=actor,
            before=before,
            after=dict(order.special_requests),
            from_note={key: finding.get(key) for key in ("kind", "text", "value", "source")},
        )
    )
    order_changed(order=order, actor=actor)
    _resolved_by(row, actor)
    return order


def _resolved_by(row: CheckResult | None, actor: Actor) -> None:
    """The check resolved itself when its last finding became a request: the agent resolved it."""
    if row is not None and actor.user is not None:
        CheckResult.objects.filter(pk=row.pk, status=CheckStatus.RESOLVED, resolved_by__isnull=True).update(
            resolved_by=actor.user
        )
