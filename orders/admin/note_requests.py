"""Requests found in notes on the order page: beside each finding of ``request.in_note`` that a field
can carry (a courier, gift wrap, an engraving's or a card's text), a button makes it the order's request."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy

from orders.admin.forms import VersionForm
from orders.admin.plumbing import EDIT_PERMISSION, PageAction
from orders.checks.notes import NOTE_SOURCES
from orders.events import Actor
from orders.models import Order
from orders.notes import KINDS
from orders.services.note_requests import CONVERTIBLE, IN_NOTE, order_note_convert


class NoteConvertForm(VersionForm):
    kind = forms.ChoiceField(choices=[(kind, kind) for kind in KINDS], widget=forms.HiddenInput)
    value = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)
    source = forms.ChoiceField(choices=[(s, s) for s in NOTE_SOURCES], required=False, widget=forms.HiddenInput)


def _convert(request: HttpRequest, order: Order, data: dict) -> None:
    order_note_convert(
        order_id=order.pk,
        code=IN_NOTE,
        kind=data["kind"],
        value=data["value"] or None,
        source=data["source"] or None,
        actor=Actor(user=request.user),
        expected_version=data["version"],
    )


NOTE_ACTIONS = {
    "convert": PageAction(
        NoteConvertForm, EDIT_PERMISSION, _convert, gettext_lazy("The note's request is now the order's request.")
    ),
}


class OrderNoteRequestsMixin:
    """Mixed into OrderAdmin: the convert buttons' URL and what the page needs to show them."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/notes/<slug:action>/",
                self.admin_site.admin_view(self.notes_view),
                name="{}_{}_notes".format(*info),
            ),
            *super().get_urls(),
        ]

    def workbench_context(self, request: HttpRequest, order: Order) -> dict:
        context = super().workbench_context(request, order)
        can_convert = request.user.has_perm(EDIT_PERMISSION) and order.is_editable
        context["note_convertible"] = sorted(CONVERTIBLE) if can_convert else []
        return context

    def notes_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        return self.page_action(request, object_id, NOTE_ACTIONS.get(action))
