"""Requests found in notes: the agent turns a finding into the order's structured request."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from orders.api.fields import TextField
from orders.api.output import OrderDetailSerializer
from orders.api.permissions import staff_with
from orders.api.views.common import IF_MATCH, error_response, validated
from orders.checks.notes import NOTE_SOURCES
from orders.notes import KINDS
from orders.services.note_requests import CONVERTIBLE, IN_NOTE, order_note_convert


class NoteConvertSerializer(serializers.Serializer):
    # Only the kinds a structured field carries: the schema says which (the service refuses the others too).
    kind = serializers.ChoiceField(choices=[kind for kind in KINDS if kind in CONVERTIBLE])
    value = TextField(max_length=500, required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=NOTE_SOURCES, required=False)


class NoteActions:
    """Mixed into OrderViewSet, which merges ``action_permissions``."""

    action_permissions = {"convert": staff_with("orders.edit_order_address")}

    @extend_schema(
        request=NoteConvertSerializer,
        responses={
            200: OrderDetailSerializer,
            400: error_response(
                "Invalid input: `kind` lists only the kinds a structured field carries (courier, gift wrap, "
                "engraving, card message)."
            ),
            403: error_response("Only staff who may edit the requests (agents, supervisors)."),
            404: error_response("No such order for the caller."),
            409: error_response(
                "No such finding (note_finding_not_found), several values (note_finding_ambiguous), no text "
                "(note_finding_without_text), the order carries another value (note_request_conflict), "
                "or not editable."
            ),
            412: error_response("If-Match is stale: somebody else changed the order; reload it."),
        },
        parameters=[IF_MATCH],
        summary="Make a request found in the notes the order's structured request",
    )
    # Only request.in_note's findings convert: the check is part of the path, not a parameter.
    @action(detail=True, methods=["post"], url_path=r"checks/request\.in_note/convert")
    def convert(self, request, pk: int):
        data = validated(NoteConvertSerializer, request)
        return self.change(
            order_note_convert,
            pk,
            code=IN_NOTE,
            kind=data["kind"],
            value=data.get("value") or None,
            source=data.get("source"),
        )
