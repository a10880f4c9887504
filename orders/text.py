"""Text: normalisation shared by the checks, and the one rule for free text that people type.

Normalisation: Traditional to Simplified, full-width to ASCII, spacing.

The seeds mix Simplified and Traditional Chinese (大厦/大廈, 学校/學校), and buyers type full-width
digits (１２３) from Chinese input methods. Comparisons and keyword matches run on the output of
``normalise_text`` so that those variants compare equal.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy
from zhconv import zhconv

from orders.exceptions import InvalidInput

_SPACES = re.compile(r"[\s\u3000]+")
# Refused in every text a person types: they break pick lists and SMS gateways.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@functools.cache
def _traditional_to_simplified() -> dict[int, str]:
    """A character table built once from zhconv's dictionary (single characters only: fast ``str.translate``)."""
    mapping: dict[int, str] = {}
    for source, target in zhconv.getdict("zh-hans").items():
        if len(source) == 1 and len(target) == 1 and source != target:
            mapping[ord(source)] = target
    return mapping


def to_simplified(text: str) -> str:
    """Traditional characters to Simplified, character by character."""
    return text.translate(_traditional_to_simplified())


@functools.lru_cache(maxsize=8192)
def normalise_text(text: str | None) -> str:
    """NFKC (full-width to ASCII), Simplified characters, lower case, no white space.

    Cached: the same provinces, cities and streets come back with every order of a buyer."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return _SPACES.sub("", text).lower()


@dataclass(frozen=True)
class TextRule:
    """What a person may type into one named input: trimmed, at most ``limit`` characters.

    The one rule for free text that services accept (reasons, notes, a buyer's change request);
    forms and serializers take their ``max_length`` from the same constants, so the limit is said
    once per input."""

    field: str
    limit: int
    missing: str = ""  # the error when it is required and empty; the generic one when blank

    def required(self, value: str | None) -> str:
        """The trimmed text; 400 (``InvalidInput`` on ``field``) when empty or too long."""
        text = self.optional(value)
        if not text:
            message = str(self.missing) if self.missing else gettext("This field is required.")
            raise InvalidInput(fields={self.field: [message]})
        return text

    def optional(self, value: str | None) -> str:
        """The trimmed text, possibly empty; 400 when too long."""
        text = (value or "").strip()
        if len(text) > self.limit:
            raise InvalidInput(fields={self.field: [gettext("At most %d characters.") % self.limit]})
        return text


# One limit per input, named. Reasons go to the history; notes are read by people.
REASON = TextRule("reason", 500)
OVERRIDE_REASON = TextRule("override_reason", 500)
ACKNOWLEDGE_NOTE = TextRule("note", 500)
FLAG_NOTE = TextRule("note", 1000, missing=gettext_lazy("A flag needs a note: say what the warehouse must do."))
BUYER_NOTE = TextRule("buyer_note", 1000)
SELLER_MEMO = TextRule("seller_memo", 1000)
CHANGE_REQUEST = TextRule("text", 1000, missing=gettext_lazy("Tell us what to change."))
PAYMENT_REFERENCE = TextRule("reference", 64)
CASE_DESCRIPTION = TextRule("description", 2000)
CASE_NOTE = TextRule("note", 2000)
