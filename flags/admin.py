"""Flags in the admin: the colour rules (supervisors), the flags themselves, and the pieces the
order lists use: a colour filter with counts and coloured badges."""

import unicodedata

from django.contrib import admin, messages
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from flags.models import Flag, FlagCategory, FlagColour
from flags.selectors import open_flag_counts, orders_with_flag
from flags.services import flag_clear, flags_recolour
from orders.events import Actor

BADGE_COLOURS = {
    "red": "#d93025",
    "yellow": "#e8a600",
    "green": "#188038",
    "blue": "#1a73e8",
    "purple": "#8e24aa",
    "orange": "#f57c00",
    "grey": "#757575",
}


# Dark text on the light colours, white on the others: every badge reads at 4.5:1 or better (WCAG AA).
BADGE_DARK_TEXT = {"yellow", "orange"}
NOTE_SHOWN = 16  # characters of a flag's note shown beside its badge in a list (all of it on hover)


_COLOURS = frozenset(FlagColour.values)
_BADGE = (
    '<span class="flag-badge" title="{title}" style="display:inline-block;white-space:nowrap;padding:0 .45em;'
    'border-radius:.6em;background:{background};color:{text};font-size:11px;line-height:1.6em;margin:1px 2px 1px 0">'
    "{label}</span>"
)


def _colour_label(colour: str) -> str:
    """A colour's name (as ``Flag.get_colour_display``, without hashing every lazy label of the choices)."""
    return FlagColour(colour).label if colour in _COLOURS else colour


def _badge_html(colour: str, label: str, title: str) -> str:
    """A badge from its label and title already escaped."""
    background = BADGE_COLOURS.get(colour, "#757575")
    text = "#1f1f1f" if colour in BADGE_DARK_TEXT else "#fff"
    return _BADGE.format(title=title, background=background, text=text, label=label)


def flag_badge(colour: str, label: str = "", title: str = "") -> str:
    label_html = conditional_escape(label or _colour_label(colour))
    return mark_safe(_badge_html(colour, label_html, conditional_escape(title)))  # noqa: S308 (escaped)


def flag_badges(flags) -> str:
    """An order's open flags in a list row (``order.open_flags``, prefetched by the list's queryset): each
    badge names its colour and category, with the start of the note beside it. Written out rather than with
    ``format_html`` per badge: a list page shows some three hundred."""
    if not flags:
        return "—"
    rows = []
    for flag in flags:
        label = escape(f"{_colour_label(flag.colour)} · {flag.category.name}")
        badge = _badge_html(flag.colour, label, escape(flag.note))
        rows.append(f'<div class="flag-row">{badge} <small>{escape(_note_start(flag.note))}</small></div>')
    return mark_safe("".join(rows))  # noqa: S308 (every part escaped above)


def _note_start(note: str) -> str:
    """The first ``NOTE_SHOWN`` characters of a note: Django's ``Truncator``, which returns a short note in
    its NFC form unchanged."""
    if len(note) <= NOTE_SHOWN and unicodedata.is_normalized("NFC", note):
        return note
    return Truncator(note).chars(NOTE_SHOWN)


# The counts beside the colours may be this old: counting every open flag of a million orders on each
# page view costs more than the page itself.
COLOUR_COUNTS_CACHE_SECONDS = 60


class FlagColourFilter(admin.SimpleListFilter):
    """Filter orders by the colour of an open flag, with how many orders carry each colour."""

    title = _("flag colour")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        # Every colour is listed, so a colour flagged since the counts were taken can be filtered on.
        counts = cache.get_or_set("flags:open_colour_counts", open_flag_counts, COLOUR_COUNTS_CACHE_SECONDS)
        return [(colour, f"{label} ({counts.get(colour, 0)})") for colour, label in FlagColour.choices]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value in FlagColour.values:
            return orders_with_flag(queryset, value)
        return queryset


@admin.register(FlagCategory)
class FlagCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "colour_badge", "colour", "position", "description"]
    list_editable = ["colour", "position"]
    actions = ["recolour_open_flags"]

    @admin.display(description=_("badge"))
    def colour_badge(self, category: FlagCategory) -> str:
        return flag_badge(category.colour)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Re-colour open flags to the current rules"), permissions=["change"])
    def recolour_open_flags(self, request, queryset) -> None:
        count = flags_recolour()
        messages.success(request, ngettext("%d open flag re-coloured.", "%d open flags re-coloured.", count) % count)


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["order", "badge", "category", "note", "source", "author_name", "created_at", "cleared_at"]
    list_filter = ["colour", "source", "category", ("cleared_at", admin.EmptyFieldListFilter)]
    list_select_related = ["order", "category", "author"]
    search_fields = ["=order__external_id", "note"]
    readonly_fields = [
        "order",
        "category",
        "colour",
        "note",
        "source",
        "cause",
        "author",
        "author_label",
        "created_at",
        "cleared_at",
        "cleared_by",
    ]
    actions = ["clear_flags"]
    show_full_result_count = False

    @admin.display(description=_("colour"), ordering="colour")
    def badge(self, flag: Flag) -> str:
        return flag_badge(flag.colour)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Clear the selected flags"), permissions=["change"])
    def clear_flags(self, request, queryset) -> None:
        flags = list(queryset.filter(cleared_at__isnull=True))
        for flag in flags:
            flag_clear(order_id=flag.order_id, flag_id=flag.pk, actor=Actor(user=request.user))
        messages.success(request, ngettext("%d flag cleared.", "%d flags cleared.", len(flags)) % len(flags))
