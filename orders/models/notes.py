"""The shop's own words for requests written in notes: shop data that supervisors edit in the admin.

The reader (``orders.notes``) starts from its default lists; each row here adds one phrase to them
(``NotePhrases.with_words``), never removes one. ``orders.shop_config`` loads the rows with the
other shop settings and drops its cache when one is saved or deleted.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models.shop import Courier


class NoteKind(models.TextChoices):
    """The kinds of ``API.md``'s ``request.in_note`` (``orders.notes.KINDS``, same order)."""

    COURIER = "courier", _("courier")
    GIFT_WRAP = "gift_wrap", _("gift wrap")
    ENGRAVING = "engraving", _("engraving")
    CARD_MESSAGE = "card_message", _("card")
    FREE_GIFT = "free_gift", _("free gift")
    FRAGILE = "fragile", _("fragile goods")
    DELIVERY_TIME = "delivery_time", _("delivery time")
    ADDRESS_CHANGE = "address_change", _("address change")
    INVOICE = "invoice", _("invoice")


class NotePhrase(models.Model):
    """One phrase of the shop: it asks for ``kind`` (a courier name asks for ``courier``), or, with
    ``not_a_request``, it contains the kind's words without asking for it (立刻 is no 刻)."""

    kind = models.CharField(_("kind"), max_length=16, choices=NoteKind.choices)
    phrase = models.CharField(
        _("phrase"),
        max_length=40,
        help_text=_("As buyers write it; Traditional and Simplified characters, upper and lower case match alike."),
    )
    courier = models.ForeignKey(
        Courier,
        verbose_name=_("courier"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="note_phrases",
        help_text=_("For a courier's name: the courier it asks for."),
    )
    not_a_request = models.BooleanField(
        _("not a request"),
        default=False,
        help_text=_("The phrase holds the kind's words without asking for it (e.g. 立刻 is not an engraving)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note phrase")
        verbose_name_plural = _("note phrases")
        ordering = ["kind", "not_a_request", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "not_a_request", "phrase"], name="note_phrase_unique"),
            models.CheckConstraint(
                name="note_phrase_courier_names_a_courier",
                condition=Q(kind="courier", not_a_request=False, courier__isnull=False)
                | (~Q(kind="courier", not_a_request=False) & Q(courier__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.phrase}"

    def clean(self) -> None:
        self.phrase = (self.phrase or "").strip()
        if not self.phrase:
            raise ValidationError({"phrase": _("Write the words as buyers write them.")})
        if self.kind == NoteKind.COURIER and not self.not_a_request:
            if self.courier_id is None:
                raise ValidationError({"courier": _("Say which courier this name asks for.")})
        elif self.courier_id is not None:
            raise ValidationError({"courier": _("Only a courier's name asks for a courier; leave this empty.")})
