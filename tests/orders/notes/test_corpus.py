"""The note reader measured on the corpus: precision and recall per finding (kind and value)."""

import sys

import pytest

from orders.notes import KINDS, note_read
from tests.orders.notes.corpus import CORPUS, NOTHING
from tests.orders.notes.corpus_second import (
    HELD_OUT_2,
    HELD_OUT_2_NOTHING,
    HELD_OUT_3,
    HELD_OUT_3_NOTHING,
    SECOND_ROUND,
    SECOND_ROUND_NOTHING,
)

pytestmark = pytest.mark.django_db(databases=[])

# The issue asks for both at 0.95 or better.
FLOOR = 0.95
# The second held-out set is never tuned on: a floor below the corpus's, that catches a reader made worse.
HELD_OUT_FLOOR = 0.9
TUNED = CORPUS + SECOND_ROUND


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
    assert len(TUNED) >= 200
    assert len(NOTHING) + len(SECOND_ROUND_NOTHING) >= 60
    assert {kind for _note, expected in TUNED for kind, _value in expected} == set(KINDS)
    assert {kind for _note, expected in HELD_OUT_2 for kind, _value in expected} == set(KINDS)


def test_precision_and_recall_on_the_corpus_are_at_least_095(capsys):
    precision, recall, misses = measure(TUNED)

    with capsys.disabled():
        sys.stdout.write(f"\nnote corpus: {len(TUNED)} notes, precision {precision:.3f}, recall {recall:.3f}\n")
        sys.stdout.writelines(f"   {miss}\n" for miss in misses)
    assert precision >= FLOOR, misses
    assert recall >= FLOOR, misses


@pytest.mark.parametrize(("name", "held_out"), [("held-out 2", HELD_OUT_2), ("held-out 3", HELD_OUT_3)])
def test_precision_and_recall_on_the_held_out_sets(capsys, name, held_out):
    precision, recall, misses = measure(held_out)

    with capsys.disabled():
        sys.stdout.write(f"\n{name}: {len(held_out)} notes, precision {precision:.3f}, recall {recall:.3f}\n")
        sys.stdout.writelines(f"   {miss}\n" for miss in misses)
    assert precision >= HELD_OUT_FLOOR, misses
    assert recall >= HELD_OUT_FLOOR, misses


def test_notes_that_ask_nothing_raise_nothing():
    asking_nothing = NOTHING + SECOND_ROUND_NOTHING + HELD_OUT_2_NOTHING + HELD_OUT_3_NOTHING
    assert [note for note in asking_nothing if note_read(note)] == []
