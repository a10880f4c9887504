"""Read a note for requests: which kinds it asks for, in the words as written, with a value.

Plain patterns, measured against a corpus of notes (``tests/orders/notes/corpus.py``): phrases
from ``NotePhrases`` and ``orders.notes.patterns`` find candidates in the folded note; a
negation before or after a candidate in its clause cancels it (不要顺丰, 贺卡不用了); the text an
engraving or a card asks for is read from quotes or after a colon and hidden from the other kinds
(a card that says 顺顺利利 asks for no courier). One finding per kind and value, in note order.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from orders.notes import patterns
from orders.notes.phrases import DEFAULT_PHRASES, NotePhrases
from orders.text import to_simplified

TEXT_KINDS = ("engraving", "card_message")
_CONJUNCTION = re.compile(r"^[\s和与跟及或、/&+]*(?:或者|还是|以及|and|or)?[\s和与跟及或、/&+]*$")
_FILLER = re.compile(r"^[\s]*(?:的|就|也|都|可以|快递|了)*[\s]*")
_TRAILING = re.compile(r"[\s,.;:!?，。；：！？…~～]+$")
_POLITE = re.compile(r"^\s*(?:谢谢|麻烦|辛苦|感谢|thanks|thank you|thx|pls|please)")
_ASCII = re.compile(r"[a-z]")
_OPENING, _CLOSING = "「『“‘\"《'＂", "」』”’\"》'＂"
_GIFT_VERB = re.compile(r"^(?:多|再|额外)?送")


@dataclass(frozen=True)
class NoteFinding:
    kind: str
    text: str  # the words as written in the note
    value: str | None  # normalised (a courier code, an engraving's text), where one exists

    def as_data(self) -> dict:
        return {"kind": self.kind, "text": self.text, "value": self.value}


@dataclass
class _Match:
    kind: str
    value: str | None
    start: int
    end: int
    negated: bool = False
    text_span: tuple[int, int] | None = field(default=None)


def fold(text: str) -> str:
    """Simplified, NFKC, lower case, one character for one character (positions stay those of the
    note as written; a character whose folding would take several is kept as it is)."""

    def one(ch: str) -> str:
        folded = unicodedata.normalize("NFKC", ch)
        folded = folded if len(folded) == 1 else ch
        lower = folded.lower()
        return lower if len(lower) == 1 else folded

    return to_simplified("".join(one(ch) for ch in text))


def _alternation(words) -> re.Pattern | None:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return None
    parts = []
    for word in words:
        head = r"(?<![a-z0-9])" if word[0].isascii() and word[0].isalnum() else ""
        tail = r"(?![a-z0-9])" if word[-1].isascii() and word[-1].isalnum() else ""
        parts.append(head + re.escape(word) + tail)
    return re.compile("|".join(parts))


@dataclass(frozen=True)
class _Compiled:
    requests: tuple[tuple[str, re.Pattern], ...]
    couriers: tuple[tuple[str, re.Pattern], ...]
    not_requests: dict[str, re.Pattern]
    negations: re.Pattern | None
    negations_after: tuple[str, ...]
    not_negations: re.Pattern | None
    not_negatable: frozenset[str]


@functools.lru_cache(maxsize=16)
def _compile(phrases: NotePhrases) -> _Compiled:
    return _Compiled(
        requests=tuple((kind, p) for kind, words in phrases.requests if (p := _alternation(words))),
        couriers=tuple((code, p) for code, names in phrases.couriers if (p := _alternation(names))),
        not_requests={kind: p for kind, words in phrases.not_requests if (p := _alternation(words))},
        negations=_alternation(phrases.negations),
        negations_after=phrases.negations_after,
        not_negations=_alternation(phrases.not_negations),
        not_negatable=frozenset(phrases.not_negatable),
    )


def _candidates(folded: str, compiled: _Compiled) -> list[_Match]:
    found = [_Match(kind, None, m.start(), m.end()) for kind, p in compiled.requests for m in p.finditer(folded)]
    found += [_Match("courier", code, m.start(), m.end()) for code, p in compiled.couriers for m in p.finditer(folded)]
    found += [
        _Match("delivery_time", None, m.start(), m.end()) for p in patterns.DELIVERY_TIME for m in p.finditer(folded)
    ]
    found += [
        _Match(kind, None, m.start(), m.end())
        for kind, kind_patterns in (("address_change", patterns.ADDRESS_CHANGE), ("gift_wrap", patterns.GIFT_WRAP))
        for p in kind_patterns
        for m in p.finditer(folded)
    ]
    shadows = {kind: [m.span() for m in p.finditer(folded)] for kind, p in compiled.not_requests.items()}

    def shadowed(c: _Match) -> bool:
        # overlapping a phrase that is no request of its kind, unless the match holds all of it (送货时间)
        return any(
            c.start < end and start < c.end and not (c.start <= start and end <= c.end)
            for start, end in shadows.get(c.kind, ())
        )

    found = [c for c in found if not shadowed(c)]
    found.sort(key=lambda c: (c.start, -c.end))
    # 送个贺卡, 送一个礼盒: the verb belongs to the card or the box, it is no free gift.
    return [
        c
        for c in found
        if not (
            c.kind == "free_gift"
            and _GIFT_VERB.match(folded[c.start : c.end])
            and any(o.kind != "free_gift" and c.end <= o.start <= c.end + 1 for o in found)
        )
    ]


def _clause_bounds(folded: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for end in patterns.CLAUSE_END.finditer(folded):
        bounds.append((start, end.start()))
        start = end.end()
    bounds.append((start, len(folded)))
    return bounds


def _linked(folded: str, first: _Match, second: _Match) -> bool:
    """Two candidates joined by 和/、/or only: a negation of one is a negation of both."""
    return first.end <= second.start and bool(_CONJUNCTION.match(folded[first.end : second.start]))


def _negated_before(folded: str, clause_start: int, match: _Match, others: list[_Match], compiled: _Compiled) -> bool:
    if compiled.negations is None:
        return False
    window = folded[clause_start : match.start]
    if compiled.not_negations is not None:
        window = compiled.not_negations.sub(lambda m: "\x00" * len(m.group()), window)
    last = None
    for negation in compiled.negations.finditer(window):
        last = negation
    if last is None:
        return False
    negation_end = clause_start + last.end()
    if any(negation_end <= o.start < match.start for o in others):
        return False
    limit = 16 if _ASCII.search(last.group()) else 6
    return match.start - negation_end <= limit


def _negated_after(folded: str, clause_end: int, match: _Match, compiled: _Compiled) -> bool:
    rest = folded[match.end : clause_end]
    rest = rest[_FILLER.match(rest).end() :]
    return rest.startswith(compiled.negations_after)


def _negate(folded: str, matches: list[_Match], compiled: _Compiled) -> None:
    for clause_start, clause_end in _clause_bounds(folded):
        inside = [m for m in matches if clause_start <= m.start < clause_end]
        before = {}
        for i, m in enumerate(inside):
            previous = inside[i - 1] if i else None
            if previous is not None and _linked(folded, previous, m):
                before[i] = before[i - 1]
            else:
                before[i] = _negated_before(folded, clause_start, m, inside, compiled)
        after = {}
        for i in reversed(range(len(inside))):
            following = inside[i + 1] if i + 1 < len(inside) else None
            if following is not None and _linked(folded, inside[i], following):
                after[i] = after[i + 1]
            else:
                after[i] = _negated_after(folded, clause_end, inside[i], compiled)
        for i, m in enumerate(inside):
            m.negated = m.kind not in compiled.not_negatable and (before[i] or after[i])


def _opens_text(folded: str, match: _Match) -> bool:
    """An engraving or a card word with its own text after it (刻字：…, 贺卡写…)."""
    after = folded[match.end :]
    return bool(patterns.COLON_TEXT.match(after) or patterns.WRITE_TEXT.match(after))


def _sentence_text(folded: str, start: int, others: list[_Match], texts: list[_Match]) -> tuple[int, int]:
    """A text after a colon: to the end of its sentence, short of a clause that asks or refuses
    something else, opens another text or only thanks (贺卡写：生日快乐，别放发票，谢谢 -> 生日快乐)."""
    sentence_end = patterns.SENTENCE_END.search(folded, start)
    end = sentence_end.start() if sentence_end else len(folded)
    position = start
    while position < end:
        comma = folded.find(",", position, end)
        clause_end = end if comma < 0 else comma
        clause = folded[position:clause_end]
        if position > start and (
            _POLITE.match(clause)
            or any(position <= o.start < clause_end for o in others)
            or any(position <= t.start < clause_end and _opens_text(folded, t) for t in texts)
        ):
            return start, position - 1
        position = clause_end + 1
    return start, end


def _quoted(folded: str, quote: re.Match, offset: int) -> tuple[int, int]:
    group = next(i for i in range(1, quote.lastindex + 1) if quote.group(i) is not None)
    return offset + quote.start(group), offset + quote.end(group)


def _text_after(folded: str, match: _Match, others: list[_Match], texts: list[_Match]) -> tuple[int, int] | None:
    """Where the text of an engraving or a card is: right after its request word (in quotes, after a
    colon or after 写), or quoted before it in the same clause (“生日快乐”写在贺卡上)."""
    after = folded[match.end :]
    written = patterns.WRITE_TEXT.match(after)
    offset = match.end + (written.end() if written else 0)
    after = folded[offset:]

    def clear(lead_end: int) -> bool:  # no other request between the word and its text
        return not any(match.end <= o.start < offset + lead_end for o in others)

    lead = patterns.QUOTE_AFTER.match(after)
    if lead is not None and clear(lead.end()):
        quote = patterns.QUOTED.match(after, lead.end())
        if quote is not None:
            return _quoted(folded, quote, offset)
    colon = patterns.COLON_TEXT.match(after)
    if colon is not None and clear(colon.end()):
        quote = patterns.QUOTED.match(after, colon.end())
        if quote is not None:
            return _quoted(folded, quote, offset)
        return _sentence_text(folded, offset + colon.end(), others, texts)
    if written is not None:
        clause_end = patterns.CLAUSE_END.search(folded, offset)
        return offset, clause_end.start() if clause_end else len(folded)
    if match.kind == "engraving" and not folded[match.start].isascii():
        latin = patterns.LATIN_TEXT.match(after)
        if latin is not None:
            return offset + latin.start(1), offset + latin.end(1)
    clause_start = max((m.end() for m in patterns.CLAUSE_END.finditer(folded, 0, match.start)), default=0)
    before = list(patterns.QUOTED.finditer(folded, clause_start, match.start))
    if before and not any(before[-1].end() <= o.start < match.start for o in others):
        return _quoted(folded, before[-1], 0)
    return None


def _read_texts(folded: str, note: str, matches: list[_Match]) -> list[_Match]:
    """Give engravings and cards their texts; drop what the texts contain (not requests of their own)."""
    masks = []
    for match in matches:
        if match.kind not in TEXT_KINDS or match.negated or any(s <= match.start < e for s, e in masks):
            continue
        others = [m for m in matches if m.kind not in TEXT_KINDS]
        texts = [m for m in matches if m.kind in TEXT_KINDS and m.start > match.end]
        span = _text_after(folded, match, others, texts)
        if span is None:
            continue
        value = _TRAILING.sub("", note[span[0] : span[1]]).strip()
        if value:
            match.value, match.text_span = value, span
            masks.append(span)
    return [m for m in matches if m.text_span is not None or not any(s <= m.start < e for s, e in masks)]


def _findings(note: str, matches: list[_Match]) -> list[NoteFinding]:
    valued = {m.kind for m in matches if m.value is not None and m.kind in TEXT_KINDS}
    seen, findings = set(), []
    for m in matches:
        if m.negated or (m.kind in valued and m.value is None) or (m.kind, m.value) in seen:
            continue
        seen.add((m.kind, m.value))
        start, end = m.start, m.end
        if m.text_span:  # the words and their text, quotes included
            start, end = min(start, m.text_span[0]), max(end, m.text_span[1])
            start -= start == m.text_span[0] and note[start - 1 : start] in _OPENING
            end += end == m.text_span[1] and note[end : end + 1] in _CLOSING
        findings.append(NoteFinding(kind=m.kind, text=note[start:end].strip(), value=m.value))
    return findings


@functools.lru_cache(maxsize=4096)
def _read(note: str, phrases: NotePhrases) -> tuple[NoteFinding, ...]:
    folded = fold(note)
    compiled = _compile(phrases)
    matches = _candidates(folded, compiled)
    _negate(folded, matches, compiled)
    matches = _read_texts(folded, note, matches)
    return tuple(_findings(note, matches))


def note_read(note: str | None, phrases: NotePhrases = DEFAULT_PHRASES) -> list[NoteFinding]:
    """The requests a note makes, in note order: one per kind and value (a note that asks nothing: [])."""
    if not note or not note.strip():
        return []
    return list(_read(note, phrases))
