"""The check engine's vocabulary: the order snapshot checks read, the findings they return, the registry.

A check is a pure function ``(snapshot) -> Iterable[Finding]``: no queries, no clock, no writes.
Everything it needs is in the snapshot, which ``orders.checks.snapshot`` loads in a few queries.
Adding a check is one function decorated with ``@check("code")`` in a module that ``orders.checks``
imports; nothing else.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from orders.addresses import Address
from orders.shop_config import ShopConfig

BLOCKER, WARNING, INFO = "blocker", "warning", "info"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    data: dict[str, Any] = field(default_factory=dict)
    # Tells apart several findings of one code on one order (one per line, per SKU, ...).
    key: str = ""


@dataclass(frozen=True)
class VariantFacts:
    sku: str
    size: str
    colour: str
    price: Decimal
    stock: int
    product_code: str
    product_name: str
    category: str
    bulky: bool
    engravable: bool
    max_engraving_chars: int
    usual_max_quantity: int | None


@dataclass(frozen=True)
class LineFacts:
    position: int
    sku: str
    quantity: int
    size: str
    colour: str
    unit_price: Decimal
    variant: VariantFacts | None
    # A free gift the shop's rules added (orders.gifts): stock counts it, the price and quantity checks do not.
    is_gift: bool = False


@dataclass(frozen=True)
class OtherOrder:
    """Another order of the same customer, as the history checks need it."""

    id: int
    external_id: str
    status: str
    at: datetime  # placed_at, or created_at when the storefront did not send it
    address_key: tuple[str, ...]
    skus: frozenset[str]
    # (category, size) of each line with a known product, for the size history
    sizes: tuple[tuple[str, str], ...]
    # It already carries an unresolved order.mergeable hint (a new sibling need not re-check it).
    merge_hint: bool = False


@dataclass(frozen=True)
class OrderSnapshot:
    order_id: int | None
    at: datetime  # placed_at, or now: when the parcel leaves, for the delivery estimate
    shipping_address: Address
    default_address: Address | None
    lines: tuple[LineFacts, ...]
    courier: str
    gift_wrap: bool
    engraving: str
    card_message: str
    shipping_fee: Decimal
    items_total: Decimal
    config: ShopConfig
    other_orders: tuple[OtherOrder, ...] = ()
    # placed_at, or when the order arrived: where it stands among the buyer's orders (history checks)
    ordered_at: datetime | None = None
    # The notes read for requests (orders.checks.notes).
    buyer_note: str = ""
    seller_memo: str = ""
    # The money (orders.checks.payment): what the buyer paid against the total.
    payment_status: str = "unpaid"
    amount_paid: Decimal = Decimal("0.00")
    total: Decimal = Decimal("0.00")

    @property
    def history_at(self) -> datetime:
        return self.ordered_at or self.at

    @property
    def bought_lines(self) -> tuple[LineFacts, ...]:
        """The lines the buyer chose, without the free gifts the shop's rules added."""
        return tuple(line for line in self.lines if not line.is_gift)

    @property
    def gift_lines(self) -> tuple[LineFacts, ...]:
        return tuple(line for line in self.lines if line.is_gift)


CheckFunction = Callable[[OrderSnapshot], Iterable[Finding]]

REGISTRY: dict[str, CheckFunction] = {}


def check(code: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check under the code it reports (a function may report only its own code)."""

    def register(function: CheckFunction) -> CheckFunction:
        if code in REGISTRY:
            raise ValueError(f"check {code!r} is registered twice")
        REGISTRY[code] = function
        return function

    return register


def checks_run(snapshot: OrderSnapshot) -> list[Finding]:
    """Every registered check on one snapshot, in a stable order."""
    findings: list[Finding] = []
    for code, function in REGISTRY.items():
        for finding in function(snapshot):
            if finding.code != code:
                raise ValueError(f"check {code!r} reported {finding.code!r}")
            findings.append(finding)
    return findings
