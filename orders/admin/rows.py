"""The rows of the order lists, rendered as Django admin renders them, with the work per cell done once per page.

Django's ``items_for_result`` looks every column up again for every row (the field, its choices, the empty
value, which column links), renders the action checkbox through the form widget templates, and resolves each
row's link to carry the list's filters along. At 100 rows of 11 columns that was more than half of a page.
``ListRows`` decides all of that once per page; per row it only reads the values. The HTML is Django's own,
byte for byte (``tests/orders/test_admin_rows.py`` renders every order list both ways and compares);
lists it was not written for (editable rows, popups, a column that is neither a model field nor an admin
method) are left to Django.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import _get_non_gfk_field, display_for_field, display_for_value
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models import Model
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# A cell: the row's object -> its <td> (or <th>) with what it shows.
Cell = Callable[[Model], str]


class Unsupported(Exception):
    """A column this renderer does not know; Django renders the list."""


class ListRows:
    """The cells of one page of a change list, each column prepared once."""

    def __init__(self, cl: ChangeList) -> None:
        if cl.formset is not None or cl.is_popup or cl.to_field:
            raise Unsupported
        self.cl = cl
        self.model_admin = cl.model_admin
        self.empty = self.model_admin.get_empty_value_display()
        self._link_suffix: str | None = None
        self.cells: list[Cell] = []
        first = True
        for name in cl.list_display:
            link = self._links(first, name)
            self.cells.append(self._cell(name, link, "th" if link and first else "td"))
            first = first and not link

    def _links(self, is_first: bool, name: str) -> bool:
        links = self.cl.list_display_links
        if links is None:
            return False
        if is_first and not links:
            return True
        return name in links

    def row(self, result: Model) -> SafeString:
        # Every cell escaped what it shows (``_wrap``, ``_checkbox``), as Django's format_html would.
        return mark_safe("".join(cell(result) for cell in self.cells))  # noqa: S308

    # --- one column ----------------------------------------------------------------------------

    def _cell(self, name: Any, link: bool, tag: str) -> Cell:
        if not isinstance(name, str) or name == "__str__":
            raise Unsupported
        if name == "action_checkbox" and _stock_checkbox(self.model_admin):
            return self._checkbox
        try:
            field = _get_non_gfk_field(self.cl.lookup_opts, name)
        except FieldDoesNotExist:
            if not hasattr(self.model_admin, name):
                raise Unsupported from None
            return self._method_cell(name, getattr(self.model_admin, name), link, tag)
        if field.auto_created:
            raise Unsupported
        return self._field_cell(name, field, link, tag)

    def _method_cell(self, name: str, method: Callable, link: bool, tag: str) -> Cell:
        empty = getattr(method, "empty_value_display", self.empty)
        boolean = getattr(method, "boolean", False)
        plain = f' class="field-{name}"'
        nowrap = f' class="field-{name} nowrap"'

        def cell(result: Model) -> str:
            try:
                value = method(result)
            except ObjectDoesNotExist:
                return self._wrap(result, tag, plain, self.empty, link)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            classes = nowrap if isinstance(value, datetime.date | datetime.time) else plain
            return self._wrap(result, tag, classes, display_for_value(value, empty, boolean), link)

        return cell

    def _field_cell(self, name: str, field: models.Field, link: bool, tag: str) -> Cell:
        nowrap = isinstance(field, models.DateField | models.TimeField | models.ForeignKey)
        classes = f' class="field-{name} nowrap"' if nowrap else f' class="field-{name}"'
        empty = self.empty
        if isinstance(field.remote_field, models.ManyToOneRel):
            attribute = field.name

            def related(result: Model) -> str:
                value = getattr(result, attribute)
                return self._wrap(result, tag, classes, empty if value is None else value, link)

            return related
        if getattr(field, "flatchoices", None):
            try:
                labels = {value: conditional_escape(label) for value, label in field.flatchoices}
            except TypeError:  # list-like choices: Django's own path
                raise Unsupported from None

            def choice(result: Model) -> str:
                value = getattr(result, name)
                if isinstance(value, str) and value.strip() == "":
                    value = ""
                return self._wrap(result, tag, classes, labels.get(value, empty), link)

            return choice

        def plain(result: Model) -> str:
            value = getattr(result, name)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            return self._wrap(result, tag, classes, display_for_field(value, field, empty, avoid_link=link), link)

        return plain

    def _checkbox(self, result: Model) -> str:
        label = format_html(_("Select this object for an action - {}"), str(result))
        return (
            f'<td class="action-checkbox"><input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}"'
            f' value="{escape(result.pk)}" class="action-select" aria-label="{label}"></td>'
        )

    def _wrap(self, result: Model, tag: str, classes: str, shown: Any, link: bool) -> str:
        shown = conditional_escape(shown)
        if link:
            try:
                url = self.cl.url_for_result(result)
            except NoReverseMatch:
                pass
            else:
                shown = f'<a href="{escape(url + self._preserved_filters(url))}">{shown}</a>'
        return f"<{tag}{classes}>{shown}</{tag}>"

    def _preserved_filters(self, url: str) -> str:
        """The list's filters a row's link carries: the same query string for every row of a page (their
        links differ only in the object's id), so Django's ``add_preserved_filters`` (which resolves the
        URL) runs once."""
        if self._link_suffix is None:
            context = {"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts}
            self._link_suffix = add_preserved_filters(context, url)[len(url) :]
        return self._link_suffix


def _stock_checkbox(model_admin: admin.ModelAdmin) -> bool:
    return type(model_admin).action_checkbox is admin.ModelAdmin.action_checkbox


def result_list(cl: ChangeList) -> dict:
    """The context of Django's ``result_list`` tag, its rows rendered by ``ListRows`` when it can."""
    try:
        rows = ListRows(cl)
    except Unsupported:
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": [admin_list.ResultList(None, [rows.row(result)]) for result in cl.result_list],
    }
