"""The buyer's signed link ``/c/<token>/``: issued with the confirmation message, used once.

The token is a random nonce signed with the project's secret and a salt of its own (a token for
this purpose cannot be forged from a signature made for another). The nonce names a ``BuyerLink``
row, which holds the order, the expiry and whether the link was used: the URL carries no personal
data and not even the order's id.
"""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from orders.exceptions import BuyerLinkExpired, BuyerLinkInvalid, BuyerLinkUsed
from orders.messaging.models import BuyerLink
from orders.models import Order

SALT = "orders.messaging.buyer-link"


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def buyer_link_issue(*, order: Order, valid_days: int) -> str:
    """A new link for ``order``, valid ``valid_days`` days; returns its token (for the URL)."""
    nonce = secrets.token_urlsafe(16)
    BuyerLink.objects.create(order=order, nonce=nonce, expires_at=timezone.now() + timedelta(days=valid_days))
    return _signer().sign(nonce)


def buyer_link_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("buyer-link", kwargs={"token": token})


def buyer_links_mask(text: str) -> str:
    """``text`` with the token of every buyer link hidden: staff read a message as it went out, but
    the token is the buyer's credential (whoever has it can answer in the buyer's name)."""
    prefix, suffix = reverse("buyer-link", kwargs={"token": "TOKEN"}).split("TOKEN")
    pattern = re.compile(re.escape(prefix) + r"[^/\s]+" + re.escape(suffix))
    return pattern.sub(prefix + "********" + suffix, text)


def buyer_link_resolve(token: str, *, for_update: bool = False) -> BuyerLink:
    """The link a token stands for; raises when the signature is wrong, it expired or was used."""
    try:
        nonce = _signer().unsign(token)
    except signing.BadSignature as exc:
        raise BuyerLinkInvalid() from exc
    queryset = BuyerLink.objects.select_related("order__customer", "order__storefront")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    link = queryset.filter(nonce=nonce).first()
    if link is None:
        raise BuyerLinkInvalid()
    if link.used_at is not None:
        raise BuyerLinkUsed()
    if link.expires_at <= timezone.now():
        raise BuyerLinkExpired()
    return link
