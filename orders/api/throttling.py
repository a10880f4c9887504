"""Throttles of the token endpoint: by client address and by username.

Both count in the shared cache (Redis in production). When it cannot be reached the endpoint must still
answer: the count moves to a cache in this process until Redis is back, and the first failure is logged
once as a WARNING (a per-process limit is weaker but still a limit; failing closed would lock every
member of staff out).
"""

import hashlib
import logging

from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError
from rest_framework.throttling import ScopedRateThrottle

from orders.client_address import client_address

logger = logging.getLogger("orders.api")

_fallback_cache = LocMemCache("orders-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
_shared_cache_down = False


class _FallbackToLocalCache:
    """Counts in this process's memory while the shared cache fails."""

    def allow_request(self, request, view) -> bool:
        global _shared_cache_down
        try:
            allowed = super().allow_request(request, view)
        except (RedisError, OSError) as exc:
            if not _shared_cache_down:
                logger.warning("Throttle cache unreachable (%s); counting in this process until it is back", exc)
                _shared_cache_down = True
            self.cache = _fallback_cache
            return super().allow_request(request, view)
        if _shared_cache_down and self.cache is not _fallback_cache:
            logger.info("Throttle cache reachable again")
            _shared_cache_down = False
        return allowed

    def get_ident(self, request) -> str:
        return client_address(request)


class ClientRateThrottle(_FallbackToLocalCache, ScopedRateThrottle):
    """The view's ``throttle_scope`` rate per client address (orders/client_address.py)."""


class UsernameRateThrottle(_FallbackToLocalCache, ScopedRateThrottle):
    """Attempts on one username from any address, at the rate ``<throttle_scope>_username``."""

    def get_rate(self) -> str:
        return self.THROTTLE_RATES[f"{self.scope}_username"]

    def get_cache_key(self, request, view) -> str | None:
        data = request.data
        username = data.get("username") if isinstance(data, dict) else None
        if not isinstance(username, str) or not username.strip():
            return None
        ident = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
        return self.cache_format % {"scope": f"{self.scope}_username", "ident": ident}
