"""Storefronts and API tokens. Keys are returned once and stored only as hashes."""

import json
import threading
import time
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from orders.json_rows import JSONValues
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
# seconds saves a query per request. A revoked token is refused by this process at once and by the
# others within TOKEN_CACHE_SECONDS.
TOKEN_CACHE_SECONDS = 5.0
_token_cache: dict[str, tuple[float, ApiToken]] = {}
_token_cache_lock = threading.Lock()


def _permission_names(through: type, user_column: str, join: str = "") -> JSONValues:
    """The token's user's permissions as "app_label.codename", through one of the two m2m tables."""
    permission, content_type = Permission._meta.db_table, ContentType._meta.db_table
    return JSONValues(
        "ct.app_label || '.' || p.codename",
        f'"{permission}" p JOIN "{content_type}" ct ON ct.id = p.content_type_id'
        f' JOIN "{through._meta.db_table}" m ON m.permission_id = p.id{join}'
        f' WHERE {user_column} = "{ApiToken._meta.db_table}".user_id',
    )


_USER_PERMISSIONS = _permission_names(get_user_model().user_permissions.through, "m.user_id")
_GROUP_PERMISSIONS = _permission_names(
    Group.permissions.through,
    "ug.user_id",
    f' JOIN "{get_user_model().groups.through._meta.db_table}" ug ON ug.group_id = m.group_id',
)


def _permissions_known(user, user_permissions: str, group_permissions: str) -> None:
    """Give a staff user the permission caches ``ModelBackend`` would fill with two queries of its own.

    Staff tokens are not cached across requests, so a permission taken away applies at the next request;
    the permissions come with the token's own query instead. A superuser has every permission: left to the
    backend."""
    if user.is_superuser:
        return
    user._user_perm_cache = set(json.loads(user_permissions))
    user._group_perm_cache = set(json.loads(group_permissions))
    user._perm_cache = user._user_perm_cache | user._group_perm_cache


def token_lookup(key_hash: str) -> ApiToken | None:
    """The live token of that hash with its storefront or its user; a staff user comes with its permissions
    (one query in all)."""
    now = time.monotonic()
    with _token_cache_lock:
        cached = _token_cache.get(key_hash)
    if cached is not None and cached[0] > now:
        return cached[1]
    token = (
        ApiToken.objects.select_related("storefront", "user")
        .annotate(user_permissions=_USER_PERMISSIONS, group_permissions=_GROUP_PERMISSIONS)
        .filter(key_hash=key_hash, revoked_at__isnull=True)
        .first()
    )
    if token is not None and token.user is not None:
        _permissions_known(token.user, token.user_permissions, token.group_permissions)
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
