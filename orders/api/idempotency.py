"""The Idempotency-Key header (IETF draft): replay the stored response, refuse a changed body (422)
or a key whose first request still runs (409). Keys are scoped to the storefront."""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
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
    record = _claim(storefront=storefront, key=key, body_hash=body_hash)
    if not isinstance(record, IdempotencyKey):
        return record
    try:
        response = handler()
    except BaseException:
        # A failed first attempt leaves no trace: the client may fix the body and retry with the key.
        record.delete()
        raise
    if response.status_code >= 300:
        record.delete()
        return response
    record.response_status = response.status_code
    record.response_body = response.data
    record.save(update_fields=["response_status", "response_body"])
    return response


def _claim(*, storefront, key: str, body_hash: str) -> IdempotencyKey | Response:
    ttl: timedelta = settings.ORDERDESK["IDEMPOTENCY_KEY_TTL"]
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(storefront=storefront, key=key, request_hash=body_hash)
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(storefront=storefront, key=key).first()
            if existing is None:
                continue  # the first request failed and released the key meanwhile
            if existing.created_at < timezone.now() - ttl:
                existing.delete()
                continue
            if existing.request_hash != body_hash:
                raise IdempotencyKeyMismatch() from None
            if existing.response_status is None:
                raise IdempotencyKeyInProgress() from None
            return Response(
                existing.response_body, status=existing.response_status, headers={"Idempotent-Replayed": "true"}
            )
    raise IdempotencyKeyInProgress()


def idempotency_keys_purge() -> int:
    """Delete records past their time to live; returns how many."""
    cutoff = timezone.now() - settings.ORDERDESK["IDEMPOTENCY_KEY_TTL"]
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
