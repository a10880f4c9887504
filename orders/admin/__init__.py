"""The Django admin: the agents', warehouse's and supervisors' screens."""

from orders.admin import (  # noqa: F401
    abnormal,
    cases,
    catalog,
    gifts,
    messages,
    note_phrases,
    orders,
    queue,
    shop,
    storefronts,
)
