"""Order actions: price and shipping-fee edits, merge and unmerge."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.decorators import action

from orders.api.output import (
    OrderDetailSerializer,
)
from orders.api.permissions import staff_with
from orders.api.serializers import (
    MergeSerializer,
    PriceAdjustSerializer,
    ShippingAdjustSerializer,
    UnmergeSerializer,
)
from orders.api.views.common import EDIT_ERRORS, IF_MATCH, error_response, staff_actor, validated
from orders.services.merge import order_unmerge, orders_merge
from orders.services.pricing import order_adjust_price, order_adjust_shipping


class MoneyActions:
    """Price and shipping-fee edits, merge and unmerge.

    Mixed into OrderViewSet, which merges ``action_permissions``."""

    action_permissions = {
        "adjust_price": staff_with("orders.edit_order_price"),
        "adjust_shipping": staff_with("orders.edit_order_shipping"),
        "merge": staff_with("orders.merge_orders"),
        "unmerge": staff_with("orders.merge_orders"),
    }

    @extend_schema(
        request=PriceAdjustSerializer,
        responses={200: OrderDetailSerializer, **EDIT_ERRORS},
        parameters=[IF_MATCH],
        summary="Discount or mark up the order or one line, with a reason",
        description=(
            "`amount` is added to the price (negative: a discount); `percent` is the share of the price to pay "
            "(95 on an items total of 99.00 adds -4.95). With `line_id` the edit applies to that line instead. "
            "Agents may take off at most the shop's limit in all (default: 10% of the goods or 50.00, whichever "
            "is less, counted over every edit of the order); supervisors have no limit. A discount never takes "
            "off more than the goods cost. On a paid order a decrease becomes `refund_due` and an increase "
            "`balance_due` (补差价): the blocker `payment.balance_due` opens and the buyer gets a `balance_due` "
            "message; the order ships once a payment covers it. Each edit is listed in `price_edits` and `events` "
            "with the totals before and after."
        ),
        examples=[
            OpenApiExample("5.00 off", value={"amount": "-5.00", "reason": "老客户优惠"}, request_only=True),
            OpenApiExample("95折", value={"percent": "95", "reason": "活动价"}, request_only=True),
            OpenApiExample("A line", value={"line_id": 5, "amount": "-10.00", "reason": "瑕疵品"}, request_only=True),
        ],
    )
    @action(detail=True, methods=["post"], url_path="adjust-price")
    def adjust_price(self, request, pk: int):
        serializer = PriceAdjustSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.change(
            order_adjust_price, pk, change=serializer.to_change(), reason=serializer.validated_data["reason"]
        )

    @extend_schema(
        request=ShippingAdjustSerializer,
        responses={200: OrderDetailSerializer, **EDIT_ERRORS},
        parameters=[IF_MATCH],
        summary="Override the shipping fee, with a reason",
        description=(
            "The order's `shipping_quote` shows the fee by the rules (base fee by province, free shipping above "
            "the threshold except to remote provinces, the requested courier's surcharge) beside the fee charged. "
            "On a paid order a lower fee becomes `refund_due`, a higher one `balance_due` (the buyer is asked to "
            "pay it; the order ships once paid)."
        ),
    )
    @action(detail=True, methods=["post"], url_path="adjust-shipping")
    def adjust_shipping(self, request, pk: int):
        data = validated(ShippingAdjustSerializer, request)
        return self.change(order_adjust_shipping, pk, fee=data["fee"], reason=data["reason"])

    @extend_schema(
        request=MergeSerializer,
        responses={
            201: OrderDetailSerializer,
            400: error_response("Invalid input."),
            403: error_response("The caller's role may not merge orders."),
            409: error_response(
                "`merge_refused`: nothing changed; `data.refusals` lists each reason with its order: `too_few`, "
                "`duplicate`, `not_found`, `on_hold`, `shipped`, `cancelled`, `merged`, `status`, "
                "`other_customer`, `other_address`, `refunded`, `payment_differs`, `courier_differs`, "
                "`engraving_differs`, `card_message_differs`."
            ),
            412: error_response("One of `versions` is stale; `data.orders` has the current versions."),
        },
        summary="Merge unshipped orders of one customer to one address",
        description=(
            "Creates a new primary order (`MERGE-<first id>-<n>`) with the goods and adjustments of every order; "
            "shipping is charged once, by the rules for the merged goods, and never more than the orders' fees "
            "together. The payment (amount paid, refund due) moves to the primary. Each original stays "
            "readable by its id with status `merged` and `merged_into`. The primary enters the agents' queue "
            "with fresh checks. Orders with open blockers may be merged: the blockers come back on the primary."
        ),
    )
    @action(detail=False, methods=["post"])
    def merge(self, request):
        data = validated(MergeSerializer, request)
        primary = orders_merge(
            order_ids=data["order_ids"],
            actor=staff_actor(request),
            reason=data["reason"],
            expected_versions=data.get("versions"),
        )
        return self.detail_response(primary, status.HTTP_201_CREATED)

    @extend_schema(
        request=UnmergeSerializer,
        responses={
            200: OrderDetailSerializer,
            403: error_response("The caller's role may not unmerge orders."),
            404: error_response("No such order."),
            409: error_response(
                "`merge_refused`: not the primary of an active merge (`not_merged`), already shipped (`shipped`), "
                "merged again into another order (`merged`), or money paid or refunded on it since "
                "(`payments_recorded`)."
            ),
            412: error_response("If-Match is stale."),
        },
        parameters=[IF_MATCH],
        summary="Undo a merge before shipping",
        description=(
            "Call it on the primary order. Every original gets back exactly the status and payment it had "
            "before the merge; the primary is cancelled with an `unmerged` event. Refused once the primary "
            "has shipped. Price edits made on the primary are not carried back (the event lists them)."
        ),
    )
    @action(detail=True, methods=["post"])
    def unmerge(self, request, pk: int):
        data = validated(UnmergeSerializer, request)
        return self.change(order_unmerge, pk, reason=data["reason"])
