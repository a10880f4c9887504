"""Requests written in notes: a pure matcher and its phrase data.

``note_read(text, phrases)`` returns the findings of one note; ``DEFAULT_PHRASES`` are the lists a
shop starts from (``orders.notes.phrases`` documents them). No database, no clock: the check
``orders.checks.notes`` and, later, the shop's own phrase lists call it with the data they hold.
"""

from orders.notes.phrases import DEFAULT_PHRASES, KINDS, NotePhrases
from orders.notes.reading import NoteFinding, note_read

__all__ = ["DEFAULT_PHRASES", "KINDS", "NoteFinding", "NotePhrases", "note_read"]
