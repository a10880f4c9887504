"""Requests written in notes: what the buyer's note or the seller's memo asks that no field carries.

The reading itself is ``orders.notes`` (pure, tested on a corpus); the phrases are the shop's
(``ShopConfig.note_phrases``). A finding the structured requests already carry (the note says 顺丰
and the order's courier is SF) is no news; a finding that contradicts them is a conflict.
"""

from collections.abc import Iterable

from orders.checks.base import BLOCKER, WARNING, Finding, OrderSnapshot, check
from orders.gifts import note_gift_covered
from orders.notes import NoteFinding, note_read

# Where notes are read, in this order (the snapshot's field and the source named in the finding).
NOTE_SOURCES = ("buyer_note", "seller_memo")


def _note_findings(snapshot: OrderSnapshot) -> list[tuple[str, NoteFinding]]:
    return [
        (source, finding)
        for source in NOTE_SOURCES
        for finding in note_read(getattr(snapshot, source), snapshot.config.note_phrases)
    ]


def _same_text(left: str, right: str) -> bool:
    return "".join(left.split()) == "".join(right.split())


def _structured(snapshot: OrderSnapshot, kind: str) -> str | bool | None:
    """What the order's own fields say about a kind (None: they carry nothing of that kind)."""
    value = {
        "courier": snapshot.courier,
        "gift_wrap": snapshot.gift_wrap,
        "engraving": snapshot.engraving,
        "card_message": snapshot.card_message,
    }.get(kind)
    return value or None


def _conflicts(snapshot: OrderSnapshot, kind: str, findings: list[NoteFinding]) -> bool:
    """The note asks for another courier, or another engraving text, than the order carries."""
    structured = _structured(snapshot, kind)
    values = [f.value for f in findings if f.value is not None]
    if structured is None or not values or kind not in ("courier", "engraving"):
        return False
    return not any(_same_text(value, structured) for value in values)


def _by_kind(snapshot: OrderSnapshot) -> dict[str, list[tuple[str, NoteFinding]]]:
    kinds: dict[str, list[tuple[str, NoteFinding]]] = {}
    for source, finding in _note_findings(snapshot):
        kinds.setdefault(finding.kind, []).append((source, finding))
    return kinds


def _carried(snapshot: OrderSnapshot, kind: str, finding: NoteFinding) -> bool:
    """The order already carries what the note asks: a structured request of its kind, or for a free
    gift, a gift line the rules gave (unless the note asks for more: 多送一个)."""
    if kind == "free_gift":
        return note_gift_covered(finding.text, gifts_given=bool(snapshot.gift_lines))
    return _structured(snapshot, kind) is not None


@check("request.in_note")
def request_in_note(snapshot: OrderSnapshot) -> Iterable[Finding]:
    found = [
        {**finding.as_data(), "source": source}
        for kind, findings in _by_kind(snapshot).items()
        for source, finding in findings
        if not _carried(snapshot, kind, finding)
    ]
    if found:
        yield Finding("request.in_note", WARNING, {"found": found})


@check("request.note_conflict")
def request_note_conflict(snapshot: OrderSnapshot) -> Iterable[Finding]:
    for kind, pairs in _by_kind(snapshot).items():
        findings = [finding for _source, finding in pairs]
        if _conflicts(snapshot, kind, findings):
            yield Finding(
                "request.note_conflict",
                BLOCKER,
                {
                    "kind": kind,
                    "structured": _structured(snapshot, kind),
                    "found": [{**finding.as_data(), "source": source} for source, finding in pairs],
                },
                key=kind,
            )
