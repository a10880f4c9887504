"""``Authorization: Token <key>`` for storefronts and staff; keys are looked up by their hash."""

import threading
import time
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header

from orders.models import ApiToken, Storefront
from orders.models.storefront import token_hash


@dataclass(frozen=True)
class StorefrontPrincipal:
    """``request.user`` for a storefront: authenticated, with no staff permissions."""

    storefront: Storefront
    is_authenticated: bool = True
    is_active: bool = True
    is_staff: bool = False
    is_superuser: bool = False
    pk: None = None

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False

    def get_username(self) -> str:
        return f"storefront:{self.storefront.name}"


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


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "token"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: expected “Token <key>”."))
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = token_lookup(token_hash(key))
        if token is None or (token.expires_at is not None and token.expires_at <= timezone.now()):
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if token.kind == ApiToken.Kind.STOREFRONT:
            if not token.storefront.is_active:
                raise exceptions.AuthenticationFailed(_("This storefront is disabled."))
            return StorefrontPrincipal(storefront=token.storefront), token
        if not token.user.is_active or not token.user.is_staff:
            raise exceptions.AuthenticationFailed(_("This user is inactive."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return "Token"


class StaffSessionAuthentication(SessionAuthentication):
    """The admin's session, for staff who use the interactive docs in the browser."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or not result[0].is_staff:
            return None
        return result


class StaffSessionScheme(OpenApiAuthenticationExtension):
    target_class = "orders.api.authentication.StaffSessionAuthentication"
    name = "staffSession"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "The admin's session, for staff using the interactive docs.",
        }


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "orders.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Token <key>`: a storefront's key (create_storefront) or a staff key (/api/v1/auth/token/)."
            ),
        }
