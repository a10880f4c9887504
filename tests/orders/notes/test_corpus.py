"""The note reader measured on the corpus: precision and recall per finding (kind and value)."""

import sys

import pytest

from orders.notes import KINDS, note_read
from tests.orders.notes.corpus import CORPUS, NOTHING

pytestmark = pytest.mark.django_db(databases=[])

# The issue asks for both at 0.95 or better.
FLOOR = 0.95


def measure(corpus) -> tuple[float, float, list[str]]:
    true_positives = false_positives = false_negatives = 0
    misses = []
    for note, expected in corpus:
        found = {(finding.kind, finding.value) for finding in note_read(note)}
        true_positives += len(found & expected)
        false_positives += len(found - expected)
        false_negatives += len(expected - found)
        if found != expected:
            misses.append(
                f"{note!r}: extra {sorted(found - expected, key=str)}, missing {sorted(expected - found, key=str)}"
            )
    precision = true_positives / (true_positives + false_positives)
    recall = true_positives / (true_positives + false_negatives)
    return precision, recall, misses


def test_corpus_is_large_and_varied_enough_to_measure():
    assert len(CORPUS) >= 200
    assert len(NOTHING) >= 60
    kinds = {kind for _note, expected in CORPUS for kind, _value in expected}
    assert kinds == set(KINDS)


def test_precision_and_recall_on_the_corpus_are_at_least_095(capsys):
    precision, recall, misses = measure(CORPUS)

    with capsys.disabled():
        sys.stdout.write(f"\nnote corpus: {len(CORPUS)} notes, precision {precision:.3f}, recall {recall:.3f}\n")
        sys.stdout.writelines(f"   {miss}\n" for miss in misses)
    assert precision >= FLOOR, misses
    assert recall >= FLOOR, misses


def test_notes_that_ask_nothing_raise_nothing():
    assert [note for note in NOTHING if note_read(note)] == []
