"""The Django admin: the agents', warehouse's and supervisors' screens."""

from orders.admin import abnormal, cases, catalog, messages, note_phrases, orders, queue, shop, storefronts  # noqa: F401
