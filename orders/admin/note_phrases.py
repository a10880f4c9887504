"""The shop's words for requests in notes: supervisors add their own phrases per kind (a new courier
name and its courier, a local word for gift wrap, a phrase that only looks like a request)."""

from django.contrib import admin

from orders.models import NotePhrase


@admin.register(NotePhrase)
class NotePhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "kind", "courier", "not_a_request", "created_at"]
    list_filter = ["kind", "not_a_request", "courier"]
    search_fields = ["phrase"]
    fields = ["kind", "phrase", "courier", "not_a_request"]
