"""The client's address: one rule for the API's throttles and the admin's lockout.

``X-Forwarded-For`` is whatever the client wants it to be, except for the addresses that our own proxies
append to its right end. ``TRUSTED_PROXIES`` (settings, ``ORDERDESK_TRUSTED_PROXIES``) says how many of
those there are: 0 (the default) ignores the header and takes the socket's peer; n takes the n-th address
from the right, the one our outermost proxy saw. DRF's ``NUM_PROXIES`` reads the header the same way.
"""

from django.conf import settings


def client_address(request) -> str:
    trusted = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted > 0 and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(trusted, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")
