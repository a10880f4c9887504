"""A flag's badge in a list row: the colour's name and the start of the note as Django would write them."""

import pytest
from django.utils.text import Truncator

from flags.admin import NOTE_SHOWN, _colour_label, _note_start
from flags.models import Flag, FlagColour

NOTES = [
    "",
    "call first",
    "买家要求周末送货",  # short, Chinese
    "买家要求周末送货，工作日家里没人，请快递员提前电话联系",  # long
    "exactly sixteen!",
    "seventeen chars!!",
    "cafe\u0301 au lait",  # combining accent (NFD): Truncator normalises it
    "e\u0301" * 20,
    "<b>tag</b> & more text here",
]


@pytest.mark.parametrize("note", NOTES)
def test_note_start_is_truncators(note):
    assert _note_start(note) == Truncator(note).chars(NOTE_SHOWN)


@pytest.mark.parametrize("colour", [*FlagColour.values, "mauve"])
def test_colour_label_is_the_models_display(colour):
    assert _colour_label(colour) == Flag(colour=colour).get_colour_display()
