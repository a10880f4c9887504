"""The Django admin: the agents', warehouse's and supervisors' screens."""

from orders.admin import catalog, orders, shop, storefronts  # noqa: F401
