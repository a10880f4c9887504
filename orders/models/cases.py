"""After-sale cases (售后, seed 001): a buyer's problem on an order, queued most urgent first.

How urgent a case is and how soon it is due are shop data that supervisors edit: ``CaseRule`` gives
each kind its priority (1 is the most urgent), ``CaseDueTime`` each priority its hours. The defaults
follow the seed (``CASE_DEFAULT_PRIORITIES``, ``CASE_DEFAULT_DUE_HOURS``): what hurts the shop's
rating and standing (disputes 维权, complaints 投诉) before a bad review (差评), a bad review before a
late parcel and the rest; a case the buyer marks urgent moves up one step.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models.fields import actor_field


class CaseKind(models.TextChoices):
    LOGISTICS = "logistics", _("logistics problem")
    REFUND = "refund", _("refund")
    QUALITY = "quality", _("quality problem")
    BAD_REVIEW = "bad_review", _("bad review")
    COMPLAINT = "complaint", _("complaint")
    DISPUTE = "dispute", _("dispute")
    RETURN = "return", _("return")
    EXCHANGE = "exchange", _("exchange")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING_BUYER = "waiting_buyer", _("waiting for the buyer")
    RESOLVED = "resolved", _("resolved")


# What an agent may set a case to with a note (resolving takes an outcome).
CASE_WORKING_STATUS_CHOICES = [
    (status.value, status.label) for status in (CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.WAITING_BUYER)
]


class CaseOutcome(models.TextChoices):
    REFUNDED = "refunded", _("refunded")
    RESENT = "resent", _("resent")
    RETURNED = "returned", _("returned")
    EXPLAINED = "explained", _("explained")
    REVIEW_UPDATED = "review_updated", _("review updated")
    OTHER = "other", _("other")


class CaseNoteKind(models.TextChoices):
    OPENED = "opened", _("case opened")
    ASSIGNED = "assigned", _("assigned")
    NOTE = "note", _("note")
    RESOLVED = "resolved", _("case resolved")


# The seed's ranking: 维权 and 投诉 before 差评, 差评 before 物流 and the rest. Level 1 is left to the
# urgent ones: an urgent dispute comes before any other dispute.
CASE_DEFAULT_PRIORITIES = {
    CaseKind.DISPUTE: 2,
    CaseKind.COMPLAINT: 2,
    CaseKind.BAD_REVIEW: 3,
    CaseKind.LOGISTICS: 4,
    CaseKind.QUALITY: 4,
    CaseKind.REFUND: 4,
    CaseKind.RETURN: 4,
    CaseKind.EXCHANGE: 4,
}
CASE_DEFAULT_DUE_HOURS = {1: 2, 2: 4, 3: 24, 4: 48}
# A kind or a priority the shop's tables leave out: the least urgent default.
CASE_FALLBACK_PRIORITY = 4
CASE_FALLBACK_DUE_HOURS = 48

# Kinds that hurt the shop's standing: opened by the storefront, they flag the order purple until resolved.
CASE_FLAGGED_KINDS = frozenset({CaseKind.BAD_REVIEW, CaseKind.DISPUTE})


class CaseRule(models.Model):
    """The priority of a kind of case (1 is the most urgent)."""

    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices, unique=True)
    priority = models.PositiveSmallIntegerField(_("priority"), help_text=_("1 is the most urgent."))

    class Meta:
        verbose_name = _("case priority")
        verbose_name_plural = _("case priorities")
        ordering = ["priority", "kind"]
        constraints = [models.CheckConstraint(name="case_rule_priority_from_one", condition=Q(priority__gte=1))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.priority}"


class CaseDueTime(models.Model):
    """How many hours a case of a priority has before it is overdue."""

    priority = models.PositiveSmallIntegerField(_("priority"), unique=True)
    hours = models.PositiveIntegerField(_("hours"))

    class Meta:
        verbose_name = _("case due time")
        verbose_name_plural = _("case due times")
        ordering = ["priority"]
        constraints = [
            models.CheckConstraint(name="case_due_priority_from_one", condition=Q(priority__gte=1)),
            models.CheckConstraint(name="case_due_hours_from_one", condition=Q(hours__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.priority}: {self.hours} h"


class CaseReplyTemplate(models.Model):
    """A reply an agent starts from; it opens with an apology (the seed's 及时致歉)."""

    title = models.CharField(_("title"), max_length=80)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=CaseKind.choices,
        blank=True,
        help_text=_("Empty: offered for every kind of case."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    text = models.TextField(_("text"), max_length=1000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("case reply template")
        verbose_name_plural = _("case reply templates")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not reply_opens_with_apology(self.text):
            message = _("Open the reply with an apology (及时致歉): e.g. 非常抱歉… or We are sorry…")
            raise ValidationError({"text": message})


# An apology in the first sentence: the words the seed's replies open with, in both languages.
APOLOGY_WORDS = ("抱歉", "对不起", "不好意思", "歉意", "致歉", "sorry", "apologi")
_SENTENCE_END = re.compile(r"[。！？!?.\n]")


def reply_opens_with_apology(text: str) -> bool:
    """Whether the reply's first sentence apologises."""
    first = _SENTENCE_END.split((text or "").strip(), maxsplit=1)[0].lower()
    return any(word in first for word in APOLOGY_WORDS)


class Case(models.Model):
    order = models.ForeignKey("orders.Order", verbose_name=_("order"), on_delete=models.CASCADE, related_name="cases")
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    priority = models.PositiveSmallIntegerField(_("priority"))
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    due_at = models.DateTimeField(_("deadline"))
    assigned_to = actor_field(_("assigned to"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=CaseOutcome.choices, blank=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    created_by = actor_field(_("opened by"))
    # Who opened it when not a staff user: "storefront:<name>".
    created_by_label = models.CharField(_("opened by (label)"), max_length=100, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # Resolved as ``resent``: the order the warehouse packs again (same goods, nothing to pay).
    replacement = models.ForeignKey(
        "orders.Order",
        verbose_name=_("replacement order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_by = actor_field(_("resolved by"))

    class Meta:
        verbose_name = _("after-sale case")
        verbose_name_plural = _("Cases")
        ordering = ["priority", "due_at", "id"]
        constraints = [
            models.CheckConstraint(name="case_priority_from_one", condition=Q(priority__gte=1)),
            models.CheckConstraint(
                name="case_resolved_has_outcome",
                condition=(Q(status="resolved") & ~Q(outcome="") & Q(resolved_at__isnull=False))
                | (~Q(status="resolved") & Q(outcome="") & Q(resolved_at__isnull=True)),
            ),
        ]
        indexes = [
            # The queue: unresolved cases, most urgent first, one index range scan.
            models.Index(fields=["priority", "due_at", "id"], condition=~Q(status="resolved"), name="case_queue_open"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.RESOLVED


class CaseNote(models.Model):
    """One line of a case's timeline: opened, assigned, a note, resolved."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=16, choices=CaseNoteKind.choices, default=CaseNoteKind.NOTE)
    text = models.TextField(_("text"), max_length=2000, blank=True)
    author = actor_field(_("author"))
    author_label = models.CharField(_("author label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"

    @property
    def author_name(self) -> str:
        return self.author.get_username() if self.author_id else (self.author_label or "system")
