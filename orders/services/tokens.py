"""Storefronts and API tokens. Keys are returned once and stored only as hashes."""

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
    from orders.api.authentication import token_cache_forget

    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    token_cache_forget(token.key_hash)
