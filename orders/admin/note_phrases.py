"""The shop's words for requests in notes: supervisors add their own phrases per kind (a new courier
name and its courier, a local word for gift wrap, a phrase that only looks like a request), and try a
note against the shop's words above the list."""

from django.contrib import admin

from orders.models import NoteKind, NotePhrase
from orders.notes import note_read
from orders.shop_config import shop_config
from orders.text import BUYER_NOTE

TRY_PARAMETER = "try"


@admin.register(NotePhrase)
class NotePhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "kind", "courier", "not_a_request", "created_at"]
    list_filter = ["kind", "not_a_request", "courier"]
    search_fields = ["phrase"]
    fields = ["kind", "phrase", "courier", "not_a_request"]
    change_list_template = "admin/orders/notephrase/change_list.html"

    def changelist_view(self, request, extra_context=None):
        """The list, with what the reader finds in ``?try=<a note>`` using the shop's words as saved."""
        note = request.GET.get(TRY_PARAMETER, "")[: BUYER_NOTE.limit]
        if TRY_PARAMETER in request.GET:  # not a filter of the list
            request.GET = request.GET.copy()
            del request.GET[TRY_PARAMETER]
        findings = [
            (NoteKind(f.kind).label if f.kind in NoteKind.values else f.kind, f.text, f.value)
            for f in note_read(note, shop_config().note_phrases)
        ]
        context = {**(extra_context or {}), "try_note": note, "try_findings": findings, "try_max": BUYER_NOTE.limit}
        return super().changelist_view(request, context)
