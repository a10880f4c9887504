"""Serializers built once per thread and reused for every request.

Instantiating a DRF serializer deep-copies each declared field, nested serializers included: about
a hundred field objects for an order, which cost more than validating or rendering the order
itself. The serializers here keep no per-request state in the instance (the context is set per
call), so one instance per thread serves every request of that thread. A serializer may render
another class through ``render`` (a nested call), never its own class.
"""

import threading
from typing import Any

from rest_framework import serializers

_local = threading.local()


def _reused(serializer_class: type[serializers.BaseSerializer], many: bool) -> serializers.BaseSerializer:
    cache: dict = _local.__dict__.setdefault("serializers", {})
    key = (serializer_class, many)
    serializer = cache.get(key)
    if serializer is None:
        serializer = cache[key] = serializer_class(many=many)
    return serializer


def render(
    serializer_class: type[serializers.BaseSerializer],
    instance: Any,
    *,
    context: dict | None = None,
    many: bool = False,
) -> Any:
    """``serializer_class(instance, many=many, context=context).data``, without re-building the fields."""
    serializer = _reused(serializer_class, many)
    serializer._context = context or {}
    return serializer.to_representation(instance)


def validate(serializer_class: type[serializers.BaseSerializer], data: Any) -> Any:
    """The validated data, or ``ValidationError`` with the same detail ``is_valid`` would give."""
    serializer = _reused(serializer_class, False)
    serializer._context = {}
    return serializer.run_validation(data)
