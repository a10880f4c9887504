"""Throttles of the token endpoint: by client address and by username."""

import hashlib

from rest_framework.throttling import ScopedRateThrottle

from orders.client_address import client_address


class ClientRateThrottle(ScopedRateThrottle):
    """The view's ``throttle_scope`` rate per client address (orders/client_address.py)."""

    def get_ident(self, request) -> str:
        return client_address(request)


class UsernameRateThrottle(ScopedRateThrottle):
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
