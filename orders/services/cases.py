"""After-sale cases: open one on an order, assign it, note on it, resolve it; the queue, most urgent first.

Priority and due time come from the shop's tables (``CaseRule``, ``CaseDueTime``; defaults from seed 001);
``urgent`` moves a case up one step. Every write adds a line to the case's timeline (``CaseNote``) and an
event to its order. A bad review or a dispute the storefront opens flags the order purple (``abnormal``)
until the case is resolved.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from flags.rules import ABNORMAL
from flags.services import flag_clear_cause, flag_raise
from orders.events import (
    Actor,
    case_assigned_event,
    case_noted_event,
    case_opened_event,
    case_resolved_event,
    events_record,
)
from orders.exceptions import CaseRefundMissing, CaseResolved, InvalidInput, NotFound, PermissionDeniedError
from orders.models import (
    SHIPPED_STATUSES,
    Case,
    CaseDueTime,
    CaseKind,
    CaseNote,
    CaseNoteKind,
    CaseOutcome,
    CaseRule,
    CaseStatus,
    Order,
    OrderLine,
    PaymentKind,
    PaymentRecord,
)
from orders.models.cases import (
    CASE_FALLBACK_DUE_HOURS,
    CASE_FALLBACK_PRIORITY,
    CASE_FLAGGED_KINDS,
    CASE_WORKING_STATUS_CHOICES,
)
from orders.services.aftersale import order_resend, return_accept
from orders.services.payments import refund_record
from orders.services.pricing import discount_allowance_for, order_after_sale_reduce
from orders.text import CASE_DESCRIPTION, CASE_NOTE, FLAG_NOTE

CASE_PERMISSION = "orders.change_case"
REFUND_PERMISSION = "orders.record_refund"
# Outcomes that may carry money back: a refund, or an accepted return refunded with it.
REFUND_OUTCOMES = frozenset({CaseOutcome.REFUNDED, CaseOutcome.RETURNED})


def case_flag_cause(case: Case) -> str:
    return f"case:{case.pk}"


def case_priority(kind: str, urgent: bool) -> int:
    """The kind's priority from the shop's table, one step up when urgent (never above 1)."""
    rule = CaseRule.objects.filter(kind=kind).values_list("priority", flat=True).first()
    priority = rule if rule is not None else CASE_FALLBACK_PRIORITY
    return max(1, priority - 1) if urgent else priority


def case_due_at(priority: int, start: datetime) -> datetime:
    """When a case of ``priority`` opened at ``start`` is due: the shop's hours for that priority."""
    hours = CaseDueTime.objects.filter(priority=priority).values_list("hours", flat=True).first()
    return start + timedelta(hours=hours if hours is not None else CASE_FALLBACK_DUE_HOURS)


def _note(case: Case, kind: str, text: str, actor: Actor) -> CaseNote:
    return CaseNote.objects.create(case=case, kind=kind, text=text, author=actor.user, author_label=actor.label)


def _open_case(case_id: int) -> Case:
    """The case's row, locked; 404 when there is none, 409 when it is resolved."""
    case = Case.objects.select_for_update(of=("self",)).select_related("assigned_to").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    if not case.is_open:
        raise CaseResolved()
    return case


@transaction.atomic
def case_open(*, order_id: int, kind: str, description: str, urgent: bool, actor: Actor) -> Case:
    """A new case on the order: priority and due time from the shop's tables, the timeline's first line,
    the order's event, and the purple flag for a bad review or a dispute from the storefront."""
    if kind not in CaseKind.values:
        raise InvalidInput(fields={"kind": [_("Unknown kind; use one of: %s.") % ", ".join(CaseKind.values)]})
    description = CASE_DESCRIPTION.optional(description)
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    now = timezone.now()
    priority = case_priority(kind, urgent)
    case = Case.objects.create(
        order=order,
        kind=kind,
        description=description,
        urgent=urgent,
        priority=priority,
        due_at=case_due_at(priority, now),
        created_by=actor.user,
        created_by_label=actor.label,
    )
    _note(case, CaseNoteKind.OPENED, description, actor)
    events_record(case_opened_event(case=case, actor=actor))
    if actor.is_storefront and kind in CASE_FLAGGED_KINDS:
        with translation.override(settings.LANGUAGE_CODE):  # flag notes are in the shop's language
            note = _("After-sale: %(kind)s.") % {"kind": case.get_kind_display()}
        note = f"{note} {description}".strip()[: FLAG_NOTE.limit]
        flag_raise(order=order, category_code=ABNORMAL, cause=case_flag_cause(case), note=note, actor=actor)
    return case


def _assignee(assignee_id: int | None, actor: Actor) -> AbstractBaseUser:
    """The staff user a case goes to (the actor when none is named): active staff who may work cases."""
    if assignee_id is None:
        if actor.user is None:
            raise InvalidInput(fields={"assigned_to": [_("Name the agent to assign the case to.")]})
        return actor.user
    user = get_user_model().objects.filter(pk=assignee_id, is_active=True, is_staff=True).first()
    if user is None or not user.has_perm(CASE_PERMISSION):
        raise InvalidInput(fields={"assigned_to": [_("Not an agent who may work on cases.")]})
    return user


@transaction.atomic
def case_assign(*, case_id: int, actor: Actor, assignee_id: int | None = None) -> Case:
    """Give the case to an agent (to the actor: "assign to me"); an open case is then in progress."""
    case = _open_case(case_id)
    user = _assignee(assignee_id, actor)
    case.assigned_to = user
    if case.status == CaseStatus.OPEN:
        case.status = CaseStatus.IN_PROGRESS
    case.save(update_fields=["assigned_to", "status"])
    _note(case, CaseNoteKind.ASSIGNED, user.get_username(), actor)
    events_record(case_assigned_event(case=case, actor=actor, assignee=user.get_username()))
    return case


@transaction.atomic
def case_note_add(*, case_id: int, note: str, actor: Actor, status: str | None = None) -> Case:
    """A line on the case's timeline; with ``status``, the case moves to it (waiting for the buyer…)."""
    text = CASE_NOTE.required(note)
    case = _open_case(case_id)
    if status is not None:
        if status not in dict(CASE_WORKING_STATUS_CHOICES):
            raise InvalidInput(fields={"status": [_("Resolve the case with an outcome instead.")]})
        if status != case.status:
            case.status = status
            case.save(update_fields=["status"])
    _note(case, CaseNoteKind.NOTE, text, actor)
    events_record(case_noted_event(case=case, actor=actor, note=text))
    return case


@dataclass(frozen=True)
class CaseRefund:
    """Money returned with the case's resolution: recorded on the order by ``refund_record``."""

    amount: Decimal
    reference: str
    reason: str = ""


def case_refund_limit(*, case: Case, actor: Actor) -> Decimal | None:
    """The most ``actor`` may refund when resolving ``case``: no limit for who may record refunds
    (supervisors), an agent's discount allowance on the order's goods for who works cases (10% or 50.00 by
    default, the limit of the agent's price edits), nothing for anybody else."""
    if actor.user is not None and actor.user.has_perm(REFUND_PERMISSION):
        return None
    if actor.user is None or not actor.user.has_perm(CASE_PERMISSION):
        return Decimal("0.00")
    lines = list(OrderLine.objects.filter(order_id=case.order_id))
    return discount_allowance_for(actor=actor, lines=lines)


def _refund(case: Case, refund: CaseRefund | None, note: str, actor: Actor) -> None:
    """A case resolved as ``refunded`` returns money on the order (PRODUCT.md: a refund on the order, never a
    number typed elsewhere): the refund given with it, recorded now (who may record refunds only), or one
    recorded on the order before (by the storefront or a supervisor)."""
    if refund is None:
        if not PaymentRecord.objects.filter(order_id=case.order_id, kind=PaymentKind.REFUND).exists():
            raise CaseRefundMissing()
        return
    limit = case_refund_limit(case=case, actor=actor)
    if limit is not None and refund.amount > limit:
        raise PermissionDeniedError(
            _("Your role may refund at most %(limit)s on this order: a supervisor records more.") % {"limit": limit}
        )
    with translation.override(settings.LANGUAGE_CODE):  # the order's history is in the shop's language
        reason = refund.reason or note or _("After-sale case #%(case)s") % {"case": case.pk}
    order = Order.objects.only("status", "refund_due").get(pk=case.order_id)
    if order.status in SHIPPED_STATUSES and refund.amount > order.refund_due:
        # Money back after the goods left: the goods cost that much less, then it is refunded like any refund.
        order_after_sale_reduce(order_id=order.pk, amount=refund.amount - order.refund_due, reason=reason, actor=actor)
    refund_record(order_id=case.order_id, amount=refund.amount, reference=refund.reference, reason=reason, actor=actor)


@transaction.atomic
def case_resolve(*, case_id: int, outcome: str, note: str, actor: Actor, refund: CaseRefund | None = None) -> Case:
    """Close the case with its outcome; the purple flag it raised clears. ``refunded`` records ``refund``
    through the payments service (the buyer gets ``refund_issued``) or finds one on the order; ``resent``
    creates the replacement order (``order_resend``); ``returned`` accepts the return of the lines their
    policies allow (``return_accept``) and records ``refund`` when one comes with it."""
    if outcome not in CaseOutcome.values:
        raise InvalidInput(fields={"outcome": [_("Unknown outcome; use one of: %s.") % ", ".join(CaseOutcome.values)]})
    if refund is not None and outcome not in REFUND_OUTCOMES:
        raise InvalidInput(fields={"refund": [_("Only a case resolved as refunded or returned records a refund.")]})
    text = CASE_NOTE.optional(note)
    case = _open_case(case_id)
    if outcome == CaseOutcome.RESENT:
        order_resend(case=case, actor=actor)
    elif outcome == CaseOutcome.RETURNED:
        return_accept(case=case, actor=actor)
    if outcome == CaseOutcome.REFUNDED or (outcome == CaseOutcome.RETURNED and refund is not None):
        _refund(case, refund, text, actor)
    case.status = CaseStatus.RESOLVED
    case.outcome = outcome
    case.resolved_at = timezone.now()
    case.resolved_by = actor.user
    case.save(update_fields=["status", "outcome", "resolved_at", "resolved_by", "replacement"])
    _note(case, CaseNoteKind.RESOLVED, text, actor)
    events_record(case_resolved_event(case=case, actor=actor, note=text))
    if case.kind in CASE_FLAGGED_KINDS:
        flag_clear_cause(order_id=case.order_id, cause=case_flag_cause(case), actor=actor, reason="case_resolved")
    return case


def cases_queue(queryset: QuerySet[Case] | None = None, *, now: datetime | None = None) -> QuerySet[Case]:
    """Cases most urgent first (priority, then due time), each with ``overdue`` (unresolved past its due time)."""
    now = now or timezone.now()
    overdue = ExpressionWrapper(~Q(status=CaseStatus.RESOLVED) & Q(due_at__lt=now), output_field=BooleanField())
    queryset = queryset if queryset is not None else Case.objects.all()
    return queryset.annotate(overdue=overdue).order_by("priority", "due_at", "id")
