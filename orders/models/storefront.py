"""Storefronts (sales channels) and the API tokens of storefronts and staff."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Storefront(models.Model):
    """A sales channel of the shop: its own website, a marketplace connector, ..."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    writes_catalogue = models.BooleanField(
        _("writes its catalogue"),
        default=False,
        help_text=_("May create and update its own products over the API (never the shop's or another's)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("storefront")
        verbose_name_plural = _("storefronts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def token_hash(key: str) -> str:
    """Tokens are random (256 bits), so a plain SHA-256 is enough: no salt or slow hash needed."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API, stored only as a hash: the key is shown once, at creation."""

    class Kind(models.TextChoices):
        STOREFRONT = "sf", _("Storefront")
        STAFF = "st", _("Staff")

    kind = models.CharField(_("kind"), max_length=2, choices=Kind.choices)
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("The first characters, to tell tokens apart."))
    key_hash = models.CharField(max_length=64, unique=True)
    storefront = models.ForeignKey(
        Storefront, verbose_name=_("storefront"), null=True, blank=True, on_delete=models.CASCADE, related_name="tokens"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                name="apitoken_one_owner",
                condition=(Q(kind="sf", storefront__isnull=False, user__isnull=True))
                | Q(kind="st", storefront__isnull=True, user__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @staticmethod
    def new_key(kind: str) -> str:
        return f"{kind}_{secrets.token_urlsafe(32)}"
