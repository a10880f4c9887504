"""After-sale cases over REST: a storefront or an agent opens one on an order; staff read the queue; agents
assign, note and resolve (``API.md`` 1.1, "After-sale cases")."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound as PageNotFound
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from orders.api.fields import DecimalStringField, StrictBooleanField, TextField
from orders.api.filtering import QuickFilterBackend, QuickFilterSet
from orders.api.permissions import staff_with, storefront_or_staff_with
from orders.api.reuse import render
from orders.api.views.common import DenyAll, error_response, page_size_asked, staff_actor, validated
from orders.exceptions import NotFound
from orders.models import Case, CaseKind, CaseOutcome, CaseStatus
from orders.models.cases import CASE_WORKING_STATUS_CHOICES
from orders.selectors import case_detail_fetch
from orders.services.cases import CaseRefund, case_assign, case_note_add, case_open, case_resolve, cases_queue
from orders.text import CASE_DESCRIPTION, CASE_NOTE, PAYMENT_REFERENCE, REASON


class CaseNoteOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    author = serializers.CharField(source="author_name")
    created_at = serializers.DateTimeField()


class CaseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField(source="order_id")
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    description = serializers.CharField()
    urgent = serializers.BooleanField()
    priority = serializers.IntegerField(help_text="1 is the most urgent.")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField(help_text="Not resolved and past its due time.")
    assigned_to = serializers.CharField(source="assigned_to.username", allow_null=True, default=None)
    outcome = serializers.CharField(help_text="Empty until resolved.")
    created_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    replacement = serializers.IntegerField(
        source="replacement_id", allow_null=True, help_text="Resolved as `resent`: the replacement order's id."
    )
    replacement_external_id = serializers.CharField(
        source="replacement.external_id",
        allow_null=True,
        default=None,
        help_text="Resolved as `resent`: the replacement order's external id (`<external_id>-R1`…).",
    )


class CaseDetailOutputSerializer(CaseOutputSerializer):
    notes = CaseNoteOutputSerializer(many=True, help_text="The case's timeline, oldest first.")


class CaseOpenSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    description = TextField(max_length=CASE_DESCRIPTION.limit, required=False, allow_blank=True, default="")
    urgent = StrictBooleanField(required=False, default=False, help_text="Moves the case up one step.")


class CaseRefundSerializer(serializers.Serializer):
    amount = DecimalStringField(max_digits=12, decimal_places=2, help_text='Money as a string, e.g. "12.00".')
    reference = TextField(max_length=PAYMENT_REFERENCE.limit, help_text="The refund's id; unique per order.")
    reason = TextField(max_length=REASON.limit, required=False, allow_blank=True, default="")


class CaseResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=CaseOutcome.choices,
        help_text="`resent`: a replacement order (same goods at 0.00, paid, confirmed) for a shipped order; "
        "`returned`: accepts the return of the lines their return policies still allow.",
    )
    note = TextField(max_length=CASE_NOTE.limit, required=False, allow_blank=True, default="")
    refund = CaseRefundSerializer(
        required=False,
        help_text="With `refunded` (or `returned`): the money returned, recorded on the order as POST …/refunds/ "
        "does (who may record refunds only; at most the order's `refund_due`). Left out, `refunded` needs a "
        "refund recorded on the order before.",
    )


class CaseAssignSerializer(serializers.Serializer):
    assigned_to = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A staff user's id; left out: the caller."
    )


class CaseNoteSerializer(serializers.Serializer):
    note = TextField(max_length=CASE_NOTE.limit)
    status = serializers.ChoiceField(choices=CASE_WORKING_STATUS_CHOICES, required=False)


def case_detail_response(case_id: int, status_code: int = status.HTTP_200_OK) -> Response:
    """The case with its timeline, from one query after the service."""
    case = case_detail_fetch(cases_queue(), case_id)
    if case is None:
        raise NotFound()
    return Response(CaseDetailOutputSerializer(case).data, status=status_code)


class CaseActions:
    """``POST /orders/{id}/cases/``, mixed into OrderViewSet (which merges ``action_permissions``)."""

    action_permissions = {"cases": storefront_or_staff_with("orders.add_case")}

    @extend_schema(
        request=CaseOpenSerializer,
        responses={
            201: CaseDetailOutputSerializer,
            400: error_response("Unknown kind or invalid input."),
            403: error_response("Only the order's storefront, agents and supervisors open cases."),
            404: error_response("No such order for the caller."),
        },
        summary="Open an after-sale case on the order",
    )
    @action(detail=True, methods=["post"], url_path="cases")
    def cases(self, request, pk: int):
        data = validated(CaseOpenSerializer, request)
        case = self.on_order(pk, case_open, actor=self.actor(), **data)
        return case_detail_response(case.pk, status.HTTP_201_CREATED)


class CasePagination(PageNumberPagination):
    """Page numbers: the queue reorders as cases come and go, a cursor over priorities would skip some."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        return page_size_asked(request, self)

    def paginate_queryset(self, queryset, request, view=None):
        """A page past the end or not a number is a 400 on ``page`` (like a list's bad cursor), not a 404."""
        try:
            return super().paginate_queryset(queryset, request, view)
        except PageNotFound:
            raise ValidationError({"page": [_("No such page: start from page 1.")]}) from None


class CaseFilter(QuickFilterSet):
    status = filters.ChoiceFilter(choices=CaseStatus.choices)
    kind = filters.ChoiceFilter(choices=CaseKind.choices)
    order = filters.NumberFilter(field_name="order_id")
    assigned_to = filters.CharFilter(method="filter_assigned_to", max_length=150, help_text="A username, me, or none.")
    overdue = filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")], coerce=lambda value: value == "true", method="filter_overdue"
    )

    class Meta:
        model = Case
        fields = ["status", "kind", "order", "assigned_to", "overdue"]

    def filter_assigned_to(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == "me":
            return queryset.filter(assigned_to=self.request.user)
        if value == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset.filter(assigned_to__username=value) if value else queryset

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        return queryset if value is None else queryset.filter(overdue=value)


CASE_ERRORS = {
    400: error_response("Invalid input."),
    403: error_response("Only agents and supervisors work on cases (the warehouse reads the queue)."),
    404: error_response("No such case."),
    409: error_response("The case is resolved already (case_resolved)."),
}
RESOLVE_ERRORS = {
    **CASE_ERRORS,
    403: error_response("Only agents and supervisors resolve cases; a refund with it: who may record refunds."),
    409: error_response(
        "`case_resolved`: resolved already; `case_refund_missing`: `refunded` with no refund given or recorded; "
        "`refund_exceeds_due`, `payment_reference_conflict`, `payment_refused`: the refund's own refusals; "
        "`order_not_shipped`: `resent` or `returned` on an order that has not shipped; `return_not_allowed`: "
        "`returned` when no line may be returned (window closed, not returnable; `data.lines` says why)."
    ),
}


class CaseViewSet(GenericViewSet):
    """The after-sale queue, most urgent first (priority, then due time), and the work on a case."""

    lookup_value_regex = r"[0-9]+"
    filter_backends = [QuickFilterBackend]
    filterset_class = CaseFilter
    pagination_class = CasePagination
    serializer_class = CaseOutputSerializer
    action_permissions = {
        "list": staff_with("orders.view_case"),
        "retrieve": staff_with("orders.view_case"),
        "resolve": staff_with("orders.change_case"),
        "assign": staff_with("orders.change_case"),
        "note": staff_with("orders.change_case"),
    }

    def get_permissions(self):
        return [self.action_permissions.get(self.action, DenyAll)()]

    def get_queryset(self) -> QuerySet[Case]:
        return cases_queue().select_related("assigned_to", "replacement")

    @extend_schema(responses=CaseOutputSerializer(many=True), summary="The after-sale queue, most urgent first")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(render(CaseOutputSerializer, page, many=True))

    @extend_schema(responses={200: CaseDetailOutputSerializer, 404: CASE_ERRORS[404]}, summary="One case")
    def retrieve(self, request, pk: int):
        return case_detail_response(int(pk))

    @extend_schema(
        request=CaseResolveSerializer,
        responses={200: CaseDetailOutputSerializer, **RESOLVE_ERRORS},
        summary="Resolve the case with an outcome",
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk: int):
        data = validated(CaseResolveSerializer, request)
        refund = CaseRefund(**data.pop("refund")) if "refund" in data else None
        case = case_resolve(case_id=int(pk), actor=staff_actor(request), refund=refund, **data)
        return case_detail_response(case.pk)

    @extend_schema(
        request=CaseAssignSerializer,
        responses={200: CaseDetailOutputSerializer, **CASE_ERRORS},
        summary="Assign the case to an agent (to the caller when none is named)",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk: int):
        data = validated(CaseAssignSerializer, request)
        case = case_assign(case_id=int(pk), actor=staff_actor(request), assignee_id=data["assigned_to"])
        return case_detail_response(case.pk)

    @extend_schema(
        request=CaseNoteSerializer,
        responses={200: CaseDetailOutputSerializer, **CASE_ERRORS},
        summary="Add a note to the case's timeline (and set it waiting for the buyer or in progress)",
    )
    @action(detail=True, methods=["post"])
    def note(self, request, pk: int):
        data = validated(CaseNoteSerializer, request)
        case = case_note_add(case_id=int(pk), actor=staff_actor(request), **data)
        return case_detail_response(case.pk)
