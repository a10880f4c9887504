"""Storefronts and API tokens. Keys are returned once and stored only as hashes."""

import threading
import time
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orders.models import ApiToken, Storefront
from orders.models.storefront import token_hash


def _token_issue(*, kind: str, storefront: Storefront | None = None, user=None, expires_at=None) -> str:
    key = ApiToken.new_key(kind)
    ApiToken.objects.create(
        kind=kind, prefix=key[:10], key_hash=token_hash(key), storefront=storefront, user=user, expires_at=expires_at
    )
    return key


def storefront_create(*, name: str, writes_catalogue: bool = False) -> tuple[Storefront, str]:
    """A new storefront and its first token's key (shown once). ``writes_catalogue``: it may upsert its own
    catalogue over the API."""
    with transaction.atomic():
        storefront = Storefront.objects.create(name=name, writes_catalogue=writes_catalogue)
        key = _token_issue(kind=ApiToken.Kind.STOREFRONT, storefront=storefront)
    return storefront, key


def storefront_token_issue(*, storefront: Storefront) -> str:
    return _token_issue(kind=ApiToken.Kind.STOREFRONT, storefront=storefront)


def staff_token_issue(*, user) -> tuple[str, datetime]:
    """A new expiring token for a staff user (one per login; old ones keep working until they expire).

    Returns the key (shown once) and its expiry."""
    expires_at = timezone.now() + settings.ORDERDESK["STAFF_TOKEN_TTL"]
    return _token_issue(kind=ApiToken.Kind.STAFF, user=user, expires_at=expires_at), expires_at


def token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    token_cache_forget(token.key_hash)


# A storefront sends every order with its token: remembering a valid storefront token for a few
# seconds saves a query per request (staff tokens carry permissions and are always looked up).
# A revoked token is refused by this process at once and by the others within TOKEN_CACHE_SECONDS.
TOKEN_CACHE_SECONDS = 5.0
_token_cache: dict[str, tuple[float, ApiToken]] = {}
_token_cache_lock = threading.Lock()


def token_lookup(key_hash: str) -> ApiToken | None:
    now = time.monotonic()
    with _token_cache_lock:
        cached = _token_cache.get(key_hash)
    if cached is not None and cached[0] > now:
        return cached[1]
    token = (
        ApiToken.objects.select_related("storefront", "user").filter(key_hash=key_hash, revoked_at__isnull=True).first()
    )
    with _token_cache_lock:
        if token is None or token.kind != ApiToken.Kind.STOREFRONT:
            _token_cache.pop(key_hash, None)
        else:
            if len(_token_cache) > 10_000:
                _token_cache.clear()
            _token_cache[key_hash] = (now + TOKEN_CACHE_SECONDS, token)
    return token


def token_cache_forget(key_hash: str | None = None) -> None:
    with _token_cache_lock:
        if key_hash is None:
            _token_cache.clear()
        else:
            _token_cache.pop(key_hash, None)
