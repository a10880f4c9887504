"""The Idempotency-Key header (IETF draft): replay the stored response, refuse a changed body (422)
or a key whose first request still runs (409). Keys are scoped to the storefront.

The key's record and the order are written in one transaction, so a claim cannot outlive the request
that made it: a request that dies (its worker killed, PostgreSQL restarted) leaves no record, and the
retry runs afresh. While a request runs it holds a transaction-scoped advisory lock on its key; a
duplicate that cannot take the lock gets 409 at once, and once the first request committed, the lock
is free and its record answers the replay. A record without a response can only have been left by a
request that died before this rule (the claim used to be committed on its own): it is taken over.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.response import Response

from orders.exceptions import IdempotencyKeyInProgress, IdempotencyKeyMismatch, InvalidInput
from orders.models import IdempotencyKey

MAX_KEY_LENGTH = 255


def request_hash(data: object) -> str:
    """A fingerprint of a parsed JSON body: key order and white space do not matter."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent_response(*, storefront, key: str, body_hash: str, handler: Callable[[], Response]) -> Response:
    """Run ``handler`` once per (storefront, key); later calls with the same body get its response."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(fields={"Idempotency-Key": [f"1 to {MAX_KEY_LENGTH} characters."]})
    with transaction.atomic():
        if not _key_lock(storefront_id=storefront.pk, key=key):
            raise IdempotencyKeyInProgress()
        stored = _stored(storefront=storefront, key=key, body_hash=body_hash)
        if stored is not None:
            return stored
        # A failed first attempt (an exception, a 4xx) leaves no record: the client may fix the body and
        # retry with the key.
        response = handler()
        if response.status_code < 300:
            IdempotencyKey.objects.create(
                storefront=storefront,
                key=key,
                request_hash=body_hash,
                response_status=response.status_code,
                response_body=response.data,
            )
        return response


def _key_lock(*, storefront_id: int, key: str) -> bool:
    """Take the key's advisory lock until the transaction ends; False while another request holds it.

    On SQLite (the demo, the unit layer) writers are serialised by the database itself: always True."""
    if connection.vendor != "postgresql":
        return True
    digest = hashlib.blake2b(f"idempotency-key:{storefront_id}:{key}".encode(), digest_size=8).digest()
    lock_id = int.from_bytes(digest, "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_id])
        return bool(cursor.fetchone()[0])


def _stored(*, storefront, key: str, body_hash: str) -> Response | None:
    """The stored response to replay, None when the key is free (never used, expired or abandoned)."""
    ttl: timedelta = settings.ORDERDESK["IDEMPOTENCY_KEY_TTL"]
    existing = IdempotencyKey.objects.filter(storefront=storefront, key=key).first()
    if existing is None:
        return None
    if existing.response_status is None or existing.created_at < timezone.now() - ttl:
        existing.delete()
        return None
    if existing.request_hash != body_hash:
        raise IdempotencyKeyMismatch()
    return Response(existing.response_body, status=existing.response_status, headers={"Idempotent-Replayed": "true"})


def idempotency_keys_purge() -> int:
    """Delete records past their time to live; returns how many."""
    cutoff = timezone.now() - settings.ORDERDESK["IDEMPOTENCY_KEY_TTL"]
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
