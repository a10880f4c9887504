"""A flag's badge in a list row: the colour's name and the start of the note as Django would write them."""

import pytest
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from flags.admin import BADGE_COLOURS, BADGE_DARK_TEXT, NOTE_SHOWN, _colour_label, _note_start, flag_badge, flag_badges
from flags.models import Flag, FlagCategory, FlagColour

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


def _djangos_badges(flags) -> str:
    """The badges as first written, with format_html per badge: the reference for the written-out ones."""
    return format_html_join(
        "",
        '<div class="flag-row">{} <small>{}</small></div>',
        (
            (
                format_html(
                    '<span class="flag-badge" title="{}" style="display:inline-block;white-space:nowrap;'
                    "padding:0 .45em;border-radius:.6em;background:{};color:{};font-size:11px;line-height:1.6em;"
                    'margin:1px 2px 1px 0">{}</span>',
                    flag.note,
                    BADGE_COLOURS.get(flag.colour, "#757575"),
                    "#1f1f1f" if flag.colour in BADGE_DARK_TEXT else "#fff",
                    f"{flag.get_colour_display()} · {flag.category.name}",
                ),
                Truncator(flag.note).chars(NOTE_SHOWN),
            )
            for flag in flags
        ),
    )


def test_badges_are_the_format_html_ones():
    category = FlagCategory(code="x", name='Fragile <"glass"> & co')
    flags = [
        Flag(colour=colour, category=category, note=note)
        for colour, note in zip([*FlagColour.values, "mauve"] * 2, NOTES, strict=False)
    ]

    assert flag_badges(flags) == _djangos_badges(flags)
    assert flag_badges([]) == "—"
    assert flag_badge("yellow") == format_html(
        '<span class="flag-badge" title="" style="display:inline-block;white-space:nowrap;padding:0 .45em;'
        'border-radius:.6em;background:{};color:#1f1f1f;font-size:11px;line-height:1.6em;margin:1px 2px 1px 0">'
        "{}</span>",
        BADGE_COLOURS["yellow"],
        FlagColour.YELLOW.label,
    )
