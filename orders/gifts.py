"""The free-gift rules (赠品), evaluated: which gifts an order's goods earn, pure and without a database.

A rule in force on the order's day applies once when the goods reach its threshold and once per
trigger SKU bought (买一送一); it gives ``quantity`` each time, never more than ``limit_per_order``
in one order. Gift lines never count toward the goods: their total is 0.00, and the threshold and
the triggers read the paid lines only.

What an order already holds of a rule's gift is subtracted, so the same evaluation serves intake (no
gift yet: every gift earned) and a merge (the originals' gifts are kept; only what the merged goods
earn beyond them is added, so no trigger ever gives its gift twice). An agent's later edit of the
lines does not re-evaluate the rules: the gift line is edited like any line (its price stays 0.00).

A note that asks for a gift (赠品, 送个…) is no request left to read back once the rules gave one;
a note that asks for more (多送一个, 再送点, an extra gift) still is: ``note_gift_covered``.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class GiftRuleFacts:
    """A rule as the evaluation reads it (``orders.shop_config`` loads the active ones)."""

    id: int
    name: str
    gift_sku: str
    quantity: int = 1
    threshold: Decimal | None = None
    trigger_skus: frozenset[str] = frozenset()
    valid_from: date | None = None
    valid_to: date | None = None
    limit_per_order: int = 1

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class GiftableLine(Protocol):
    """What the evaluation reads of a line: an ``OrderLine`` (saved or not) fits."""

    sku: str
    quantity: int
    is_gift: bool
    gift_rule_id: int | None


@dataclass(frozen=True)
class GiftDue:
    """A gift the rules give and the order does not hold yet."""

    rule_id: int
    sku: str
    quantity: int


def rule_applications(rule: GiftRuleFacts, *, lines: Sequence[GiftableLine], items_total: Decimal) -> int:
    """How many times ``rule`` applies to these goods: once for the threshold, once per trigger bought."""
    triggers = sum(line.quantity for line in lines if not line.is_gift and line.sku in rule.trigger_skus)
    threshold = 1 if rule.threshold is not None and items_total >= rule.threshold else 0
    return max(triggers, threshold)


def gifts_due(
    *,
    rules: Iterable[GiftRuleFacts],
    lines: Sequence[GiftableLine],
    items_total: Decimal,
    day: date,
    available: Iterable[str] | None = None,
) -> list[GiftDue]:
    """The gifts the rules in force on ``day`` give these lines and the lines do not hold yet, by rule.

    ``items_total`` is the goods' total (gift lines are 0.00 in it); ``available``, when given, the gift
    SKUs this order may carry (the storefront sells them): a rule whose gift is not among them gives nothing."""
    allowed = None if available is None else set(available)
    due = []
    for rule in rules:
        if not rule.in_force(day) or (allowed is not None and rule.gift_sku not in allowed):
            continue
        earned = min(
            rule_applications(rule, lines=lines, items_total=items_total) * rule.quantity, rule.limit_per_order
        )
        held = sum(line.quantity for line in lines if line.is_gift and line.gift_rule_id == rule.id)
        if earned > held:
            due.append(GiftDue(rule_id=rule.id, sku=rule.gift_sku, quantity=earned - held))
    return due


# Words that ask for a gift beyond the one given: 多送一个, 再送点, 额外送, "an extra gift".
_MORE = re.compile(r"多|再|额外|另外|另送|extra|another|more|additional|second")


def note_gift_covered(text: str, *, gifts_given: bool) -> bool:
    """Whether a note's free-gift request (its words as written) is what the rules already gave: any
    gift line answers 送个赠品 or 满3000送靠枕; words that ask for more (多送一个) still need an agent."""
    return gifts_given and _MORE.search(text.lower()) is None
