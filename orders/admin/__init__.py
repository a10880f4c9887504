"""The Django admin: the agents', warehouse's and supervisors' screens."""

from orders.admin import catalog, messages, orders, shop, storefronts  # noqa: F401
