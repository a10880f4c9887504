"""Requests found in notes flag the order like the structured requests do: one flag per category
(courier red, gift and customisation blue, address yellow, the rest purple, as ``PRODUCT.md``'s
table says), its note naming the words found and the note they were found in."""

from django.utils.translation import gettext as _

from flags.rules import ABNORMAL, ADDRESS, COURIER, GIFT
from orders.checks.base import Finding
from orders.checks.messages import note_finding_text

# Each kind of request.in_note (orders.notes.KINDS) and the flag category it belongs to.
NOTE_KIND_CATEGORIES = {
    "courier": COURIER,
    "gift_wrap": GIFT,
    "engraving": GIFT,
    "card_message": GIFT,
    "free_gift": GIFT,
    "address_change": ADDRESS,
    "fragile": ABNORMAL,
    "delivery_time": ABNORMAL,
    "invoice": ABNORMAL,
}
NOTE_FINDING_CODES = ("request.in_note", "request.note_conflict")
_SOURCES = {"buyer_note": lambda: _("Buyer's note"), "seller_memo": lambda: _("Seller's memo")}


def note_flag_cause(category: str) -> str:
    """The cause of the note flag of one category (synced: it clears when its findings are gone)."""
    return f"request.in_note:{category}"


def _text(item: dict, structured: object) -> str:
    """One finding as the flag names it; a note that contradicts the order says what the order says."""
    text = note_finding_text(item)
    return text if structured is None else f"{text} ≠ {structured}"


def _note(found: list[tuple[dict, object]]) -> str:
    by_source: dict[str, list[str]] = {}
    for item, structured in found:
        by_source.setdefault(item.get("source", "buyer_note"), []).append(_text(item, structured))
    return " ".join(
        f"{_SOURCES.get(source, _SOURCES['buyer_note'])()}: {'; '.join(texts)}" for source, texts in by_source.items()
    )


def note_flags(findings: list[Finding]) -> dict[str, tuple[str, str]]:
    """cause -> (category, note) for what the notes ask: one flag per category, conflicts included."""
    found: dict[str, list[tuple[dict, object]]] = {}
    for finding in findings:
        if finding.code in NOTE_FINDING_CODES:
            structured = finding.data.get("structured")  # a conflict's: what the order says instead
            for item in finding.data.get("found", []):
                category = NOTE_KIND_CATEGORIES.get(item.get("kind"))
                if category is not None and (item, structured) not in found.get(category, []):
                    found.setdefault(category, []).append((item, structured))
    return {note_flag_cause(category): (category, _note(items)) for category, items in found.items()}
