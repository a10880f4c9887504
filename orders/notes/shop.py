"""A shop's own phrases on top of the defaults: rows as supervisors keep them (``orders.models.NotePhrase``)
turned into the ``NotePhrases`` the reader takes. Pure: it reads the rows' attributes, nothing else."""

from collections.abc import Iterable
from typing import Protocol

from orders.notes.phrases import DEFAULT_PHRASES, KINDS, NotePhrases


class _Courier(Protocol):
    code: str


class PhraseRow(Protocol):
    kind: str
    phrase: str
    not_a_request: bool
    courier: _Courier | None


def shop_note_phrases(rows: Iterable[PhraseRow], base: NotePhrases = DEFAULT_PHRASES) -> NotePhrases:
    """``base`` plus every row's phrase: a courier's name under its code, another request under its
    kind, a "not a request" phrase among the kind's exclusions. Rows of unknown kinds are skipped."""
    requests: dict[str, list[str]] = {}
    couriers: dict[str, list[str]] = {}
    not_requests: dict[str, list[str]] = {}
    for row in rows:
        phrase = (row.phrase or "").strip()
        if not phrase or row.kind not in KINDS:
            continue
        if row.not_a_request:
            not_requests.setdefault(row.kind, []).append(phrase)
        elif row.kind == "courier":
            if row.courier is not None:
                couriers.setdefault(row.courier.code, []).append(phrase)
        else:
            requests.setdefault(row.kind, []).append(phrase)
    if not (requests or couriers or not_requests):
        return base
    return base.with_words(requests=requests, couriers=couriers, not_requests=not_requests)
