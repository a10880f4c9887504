"""``Authorization: Token <key>`` for storefronts and staff; keys are looked up by their hash."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header

from orders.models import ApiToken, Storefront
from orders.models.storefront import token_hash
from orders.services.tokens import token_lookup


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
