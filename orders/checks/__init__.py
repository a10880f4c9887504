"""The confirmation checks: one module per sub-domain, one registry (``base.REGISTRY``).

Importing this package registers every check. ``checks_run(snapshot)`` runs them all.
"""

from orders.checks import (  # noqa: F401  (registration)
    address,
    gifts,
    lines,
    notes,
    orders,
    payment,
    phone,
    requests,
    shipping,
)
from orders.checks.base import REGISTRY, Finding, OrderSnapshot, checks_run

__all__ = ["REGISTRY", "Finding", "OrderSnapshot", "checks_run"]
