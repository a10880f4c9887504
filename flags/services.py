"""Every write of flags: automatic flags kept in step with the order, manual flags, clearing, re-colouring."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from flags.models import Flag, FlagCategory, FlagSource
from flags.note_rules import note_flags
from flags.rules import SYNCED_PREFIXES, desired_auto_flags
from flags.selectors import flag_categories
from orders.checks.base import Finding
from orders.events import Actor, events_record, flag_added_event, flag_cleared_event
from orders.exceptions import InvalidInput, NotFound
from orders.models import Order, OrderEvent
from orders.text import FLAG_NOTE


@dataclass
class FlagChanges:
    created: list[Flag] = field(default_factory=list)
    updated: list[Flag] = field(default_factory=list)
    cleared: list[Flag] = field(default_factory=list)


def _new_flag(order: Order, category: FlagCategory, note: str, source: str, cause: str, actor: Actor) -> Flag:
    return Flag(
        order=order,
        category=category,
        colour=category.colour,
        note=note,
        source=source,
        cause=cause,
        author=actor.user,
        author_label=actor.label,
    )


def _added_event(flag: Flag, actor: Actor) -> OrderEvent:
    return flag_added_event(
        order=flag.order,
        actor=actor,
        colour=flag.colour,
        category=flag.category.code,
        note=flag.note,
        source=flag.source,
    )


def _desired(order: Order, findings: list[Finding]) -> dict[str, tuple[str, str]]:
    # Notes are stored in the shop's language: the warehouse reads them as written.
    with translation.override(settings.LANGUAGE_CODE):
        return {**desired_auto_flags(order, findings), **note_flags(findings)}


def flags_build_for_intake(*, order: Order, findings: list[Finding], actor: Actor) -> list[Flag]:
    """Unsaved automatic flags for a new order (intake writes them in bulk; its one event lists them)."""
    categories = flag_categories()
    return [
        _new_flag(order, categories[category], note, FlagSource.AUTO, cause, actor)
        for cause, (category, note) in _desired(order, findings).items()
    ]


def flags_sync(*, order: Order, findings: list[Finding], actor: Actor) -> FlagChanges:
    """Bring the automatic flags of a stored order in line with its requests and findings:
    new causes get a flag, changed notes are updated, causes that are gone clear their flag."""
    categories = flag_categories()
    desired = _desired(order, findings)
    open_flags = {
        flag.cause: flag
        for flag in order.flags.filter(source=FlagSource.AUTO, cleared_at__isnull=True).select_related("category")
        if flag.cause.startswith(SYNCED_PREFIXES)
    }
    changes = FlagChanges()
    now = timezone.now()
    for cause, (category_code, note) in desired.items():
        flag = open_flags.pop(cause, None)
        if flag is None:
            changes.created.append(_new_flag(order, categories[category_code], note, FlagSource.AUTO, cause, actor))
        elif flag.note != note:
            flag.note = note
            changes.updated.append(flag)
    for flag in open_flags.values():
        flag.cleared_at = now
        changes.cleared.append(flag)
    Flag.objects.bulk_create(changes.created)
    if changes.updated:
        Flag.objects.bulk_update(changes.updated, ["note"])
    if changes.cleared:
        Flag.objects.bulk_update(changes.cleared, ["cleared_at"])
    events = [_added_event(flag, actor) for flag in changes.created] + [
        flag_cleared_event(
            order=order,
            actor=actor,
            colour=flag.colour,
            category=flag.category.code,
            cause=flag.cause,
            reason="cause_gone",
        )
        for flag in changes.cleared
    ]
    if events:
        events_record(*events)
    return changes


def flag_raise(*, order: Order, category_code: str, cause: str, note: str, actor: Actor) -> Flag:
    """An automatic flag born of an event (an agent changed the address, the buyer asked for a change):
    it stays until somebody clears it; the same cause again updates its note."""
    category = flag_categories()[category_code]
    flag = order.flags.filter(source=FlagSource.AUTO, cause=cause, cleared_at__isnull=True).first()
    if flag is not None:
        flag.note = note
        flag.save(update_fields=["note"])
        return flag
    flag = _new_flag(order, category, note, FlagSource.AUTO, cause, actor)
    flag.save()
    events_record(_added_event(flag, actor))
    return flag


def flag_clear_cause(*, order_id: int, cause: str, actor: Actor, reason: str) -> Flag | None:
    """Clear the open automatic flag of ``cause`` (raised by ``flag_raise``) when what raised it is over."""
    flag = (
        Flag.objects.select_related("order", "category")
        .filter(order_id=order_id, source=FlagSource.AUTO, cause=cause, cleared_at__isnull=True)
        .first()
    )
    if flag is None:
        return None
    flag.cleared_at = timezone.now()
    flag.cleared_by = actor.user
    flag.save(update_fields=["cleared_at", "cleared_by"])
    events_record(
        flag_cleared_event(
            order=flag.order, actor=actor, colour=flag.colour, category=flag.category.code, cause=cause, reason=reason
        )
    )
    return flag


def _note(note: str) -> str:
    return FLAG_NOTE.required(note)


@transaction.atomic
def flag_add(*, order_id: int, category_code: str, note: str, actor: Actor) -> Flag:
    """A manual flag from an agent or the warehouse; its colour comes from the category's rule."""
    note = _note(note)
    category = flag_categories().get(category_code)
    if category is None:
        known = ", ".join(sorted(flag_categories()))
        raise InvalidInput(fields={"category": [_("Unknown category; use one of: %s.") % known]})
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    flag = _new_flag(order, category, note, FlagSource.MANUAL, "", actor)
    flag.save()
    events_record(_added_event(flag, actor))
    return flag


@transaction.atomic
def flag_clear(*, order_id: int, flag_id: int, actor: Actor) -> Flag:
    flag = Flag.objects.select_for_update().select_related("category").filter(pk=flag_id, order_id=order_id).first()
    if flag is None:
        raise NotFound()
    if flag.cleared_at is None:
        flag.cleared_at = timezone.now()
        flag.cleared_by = actor.user
        flag.save(update_fields=["cleared_at", "cleared_by"])
        events_record(
            flag_cleared_event(
                order=flag.order,
                actor=actor,
                colour=flag.colour,
                category=flag.category.code,
                cause=flag.cause,
                note=flag.note,
            )
        )
    return flag


@transaction.atomic
def flags_recolour() -> int:
    """Give open flags their category's current colour (after a supervisor changed a rule).
    Returns how many flags changed colour; closed flags keep the colour they had."""
    changed = 0
    for category in FlagCategory.objects.all():
        changed += (
            Flag.objects.filter(category=category, cleared_at__isnull=True)
            .exclude(colour=category.colour)
            .update(colour=category.colour)
        )
    return changed
