"""The Django admin: the agents', warehouse's and supervisors' screens."""

from orders.admin import abnormal, catalog, orders, queue, shop, storefronts  # noqa: F401
