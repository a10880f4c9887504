"""Which return policy applies to each line of an order.

Agents read it to the buyer at confirmation, the confirmation message and the return reminder print
it: all of them ask ``line_return_policy`` so that the rule holds in one place.
"""

from dataclasses import dataclass

from orders.models import Order, OrderLine, ReturnPolicy

# Customised goods (engraved) are not returnable without a reason, whatever the product's policy says.
CUSTOM_POLICY_CODE = "custom-none"


@dataclass(frozen=True)
class ReturnPolicies:
    """Every return policy by id, loaded once for any number of lines (a shop has a handful)."""

    by_id: dict[int, ReturnPolicy]

    @classmethod
    def load(cls) -> "ReturnPolicies":
        return cls(by_id=ReturnPolicy.objects.in_bulk())

    @property
    def custom(self) -> ReturnPolicy | None:
        return next((policy for policy in self.by_id.values() if policy.code == CUSTOM_POLICY_CODE), None)


def line_is_customised(line: OrderLine, order: Order) -> bool:
    """The workshop engraves this line: the buyer asked for an engraving and its product is engravable."""
    return bool(order.engraving_text and line.variant_id and line.variant.product.engravable)


def line_return_policy(line: OrderLine, order: Order, policies: ReturnPolicies) -> ReturnPolicy | None:
    """The policy for one line: the custom one when the buyer asked for an engraving and the line's
    product is engravable (the workshop engraves it), the product's own policy otherwise.

    None when the line's SKU is not in the catalogue or its product has no policy. ``line.variant``
    should be loaded with its product (``select_related("variant__product")``).
    """
    if line.variant_id is None:
        return None
    if line_is_customised(line, order):
        return policies.custom
    product = line.variant.product
    return policies.by_id.get(product.return_policy_id) if product.return_policy_id else None
