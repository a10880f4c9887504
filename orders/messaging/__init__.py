"""Buyer messages: the outbox, its rendering and channels, the send and the buyer's signed link.

Import models from ``orders.messaging.models`` and writes from ``orders.messaging.services`` (the
outbox) or ``orders.messaging.buyer`` (the buyer's link); this package's ``__init__`` stays empty
so that ``orders.models`` can register the models without import cycles.
"""
