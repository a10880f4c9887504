"""Order actions: the confirm workflow: corrections, acknowledgements, confirm, hold, release, cancel, re-check."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from orders.api.output import (
    OrderDetailSerializer,
)
from orders.api.permissions import staff_with
from orders.api.serializers import (
    AcknowledgeSerializer,
    EmptySerializer,
    HoldSerializer,
    OrderPatchSerializer,
    ReasonSerializer,
)
from orders.api.views.common import IF_MATCH, validated
from orders.services.edits import order_edit
from orders.services.workflow import (
    order_cancel,
    order_check_acknowledge,
    order_confirm,
    order_hold,
    order_recheck,
    order_release,
)


class WorkflowActions:
    """The confirm workflow: corrections, acknowledgements, confirm, hold, release, cancel, re-check.

    Mixed into OrderViewSet, which merges ``action_permissions``."""

    action_permissions = {
        "partial_update": staff_with("orders.edit_order_address"),
        "acknowledge": staff_with("orders.confirm_order"),
        "confirm": staff_with("orders.confirm_order"),
        "hold": staff_with("orders.confirm_order"),
        "release": staff_with("orders.confirm_order"),
        "cancel": staff_with("orders.confirm_order"),
        "recheck": staff_with("orders.confirm_order"),
    }

    @extend_schema(
        request=OrderPatchSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Correct the address, lines or requests (re-runs the checks)",
    )
    def partial_update(self, request, pk: int):
        serializer = OrderPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self.change(order_edit, pk, changes=serializer.to_changes())

    @extend_schema(
        request=AcknowledgeSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Acknowledge a warning read back to the buyer",
    )
    @action(detail=True, methods=["post"], url_path=r"checks/(?P<code>[a-z_]+\.[a-z_]+)/acknowledge")
    def acknowledge(self, request, pk: int, code: str):
        serializer = AcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.change(
            order_check_acknowledge,
            pk,
            code=code,
            note=serializer.validated_data["note"],
            key=serializer.validated_data.get("key") or None,
        )

    @extend_schema(
        request=EmptySerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Confirm (409 with the open blockers and unread warnings)",
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk: int):
        return self.change(order_confirm, pk)

    @extend_schema(
        request=HoldSerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Park the order with a reason, optionally until a date",
    )
    @action(detail=True, methods=["post"])
    def hold(self, request, pk: int):
        data = validated(HoldSerializer, request)
        return self.change(order_hold, pk, reason=data["reason"], until=data.get("until"))

    @extend_schema(
        request=EmptySerializer,
        responses=OrderDetailSerializer,
        parameters=[IF_MATCH],
        summary="Back from hold into the queue",
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk: int):
        return self.change(order_release, pk)

    @extend_schema(
        request=ReasonSerializer, responses=OrderDetailSerializer, parameters=[IF_MATCH], summary="Cancel with a reason"
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk: int):
        reason = validated(ReasonSerializer, request)["reason"]
        return self.change(order_cancel, pk, reason=reason)

    @extend_schema(request=EmptySerializer, responses=OrderDetailSerializer, summary="Run the checks again")
    @action(detail=True, methods=["post"])
    def recheck(self, request, pk: int):
        return self.change(order_recheck, pk, versioned=False)
