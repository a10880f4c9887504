"""Money helpers: ``Decimal`` only, two places, half-up. Every rounding goes through ``quantize``."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def quantize(amount: Decimal | int | str) -> Decimal:
    """Round to cents, half-up (0.005 -> 0.01), the way Chinese marketplaces show prices."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(amount: Decimal) -> str:
    """The wire format: a string with exactly two decimals."""
    return str(quantize(amount))
