"""An edit posted against an older version of the order: somebody else saved in between.

The edit forms carry what the agent saw beside what they typed (Django's hidden ``initial-`` inputs).
After a conflict the page lists what the other person changed, keeps the agent's own changes and
offers them again on the order as it is now, with its new version: the agent reads, then saves
knowingly. The price and shipping pages do the same with their preview (``orders.admin.money_edits``);
both say so with ``version_conflict_notice``.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from orders.admin.timeline import display_value


def version_conflict_notice(request: HttpRequest) -> None:
    messages.error(
        request,
        _(
            "Somebody else changed the order while you had this page open. The page now shows the order as it "
            "is, with your changes kept: check them and save again."
        ),
    )


class SeenValuesMixin:
    """A form whose visible fields also post the value the agent saw (``initial-<name>``), so that
    ``changed_data`` is what the agent changed even when the order moved on meanwhile. A post without
    them (a script) is taken as made on the values the order has now."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seen = {}
        for name, field in self.fields.items():
            if field.widget.is_hidden:
                continue
            field.show_hidden_initial = True
            key = self.add_initial_prefix(name)
            if self.is_bound and key not in self.data:
                seen[key] = self.get_initial_for_field(field, name)
        if seen:
            self.data = self.data.copy()
            self.data.update(seen)


@dataclass(frozen=True)
class ChangedMeanwhile:
    """A field somebody else changed since the agent opened the form."""

    label: str
    seen: str
    now: str
    yours: str | None = None  # the agent changed it too: their value is the one in the form


def _shown(field: forms.Field, raw: Any) -> str:
    try:
        value = field.to_python(raw)
    except ValidationError:
        value = raw
    if isinstance(field, forms.ChoiceField):
        value = dict(field.choices).get(value, value)
    return display_value(value)


def form_refresh(old: forms.BaseForm | None, new: forms.BaseForm, label: str = "") -> tuple[dict, list]:
    """The data that binds ``new``'s form on the order as it is now (``new`` is unbound, its initial
    values are the order's now): the agent's changes from ``old`` over the current values, the current
    values as what the agent has seen. Also what somebody else changed since ``old`` was opened."""
    data: dict[str, Any] = {}
    changed: list[ChangedMeanwhile] = []
    mine = set(old.changed_data) if old is not None else set()
    for name, field in new.fields.items():
        now = new.get_initial_for_field(field, name)
        data[new.add_prefix(name)] = data[new.add_initial_prefix(name)] = now
        if old is None or not field.show_hidden_initial:
            continue
        typed = field.widget.value_from_datadict(old.data, old.files, old.add_prefix(name))
        if name in mine:
            data[new.add_prefix(name)] = typed
        seen = old.data.get(old.add_initial_prefix(name))
        if field.has_changed(now, seen):
            changed.append(
                ChangedMeanwhile(
                    f"{label} {field.label}".strip(),
                    _shown(field, seen),
                    _shown(field, now),
                    _shown(field, typed) if name in mine else None,
                )
            )
    return data, changed


def formset_refresh(
    old: forms.BaseFormSet, new: forms.BaseFormSet, key: str, labels: list[str]
) -> tuple[dict, list[ChangedMeanwhile]]:
    """``form_refresh`` for each form of ``new`` (unbound, on the order now), matched to the form of
    ``old`` with the same ``key`` value (a line's id). ``labels`` names each form of ``new``."""
    posted = {}
    for form in old:
        with_key = form.data.get(form.add_prefix(key))
        posted[str(with_key)] = form
    data = {
        f"{new.prefix}-TOTAL_FORMS": len(new.forms),
        f"{new.prefix}-INITIAL_FORMS": len(new.forms),
    }
    changed: list[ChangedMeanwhile] = []
    for form, label in zip(new.forms, labels, strict=True):
        form_data, form_changed = form_refresh(posted.get(str(form.initial.get(key))), form, label)
        data.update(form_data)
        changed += form_changed
    return data, changed
