"""Channels deliver a rendered message to a buyer; which backend serves which channel is a setting.

``message_route`` picks the channel a buyer's messages take: the first of the shop's preference
(``ORDERDESK["MESSAGE_CHANNEL_PREFERENCE"]``) that is configured and reaches this buyer.

``ORDERDESK_MESSAGE_CHANNELS`` maps a channel (``email``, ``sms``, ``chat``) to a backend class and
its options. A backend's ``send(message)`` returns when the provider accepted the message and raises
``TransientSendError`` (try again later) or ``PermanentSendError`` (do not). Every backend passes the
message's stable ``idempotency_key`` on, so that a provider can drop a second copy of a message
whose first send succeeded but was never recorded (the worker died in between).
"""

import hashlib
import hmac
import json
import smtplib
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol, TextIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string

from orders.addresses import phone_is_mobile
from orders.logging import mask_phones
from orders.messaging.models import Message, MessageChannel
from orders.models import Order

SIGNATURE_HEADER = "X-OrderDesk-Signature"


class SendError(Exception):
    """The channel could not deliver the message."""


class TransientSendError(SendError):
    """Worth another attempt later: a timeout, a 5xx, a refused connection."""


class PermanentSendError(SendError):
    """Another attempt would fail the same way: no such recipient, a 4xx, no channel configured."""


class Channel(Protocol):
    def send(self, message: Message) -> None: ...


def channel_get(name: str) -> Channel:
    """The backend configured for channel ``name``; ``PermanentSendError`` when there is none."""
    config = settings.ORDERDESK_MESSAGE_CHANNELS.get(name)
    if not config:
        raise PermanentSendError(f"no backend is configured for the {name!r} channel")
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


def channels_configured() -> set[str]:
    return {name for name, config in settings.ORDERDESK_MESSAGE_CHANNELS.items() if config}


@dataclass(frozen=True)
class Route:
    channel: str
    recipient: str


def message_route(order: Order) -> Route | None:
    """The first channel of the shop's preference that is configured and reaches this buyer."""
    configured = channels_configured()
    customer = order.customer
    for channel in settings.ORDERDESK["MESSAGE_CHANNEL_PREFERENCE"]:
        if channel not in configured:
            continue
        recipient = ""
        if channel == MessageChannel.EMAIL:
            recipient = customer.email
        elif channel == MessageChannel.SMS:
            recipient = next((p for p in (order.ship_phone, customer.phone) if p and phone_is_mobile(p)), "")
        elif channel == MessageChannel.CHAT:
            recipient = customer.external_id
        if recipient:
            return Route(channel=channel, recipient=recipient)
    return None


class EmailChannel:
    """E-mail through Django's mail backends (``EMAIL_BACKEND`` unless ``backend`` says otherwise).

    The Message-ID is derived from the idempotency key, so a second copy carries the same id."""

    def __init__(self, *, backend: str | None = None, from_email: str | None = None) -> None:
        self.backend = backend
        self.from_email = from_email or settings.DEFAULT_FROM_EMAIL

    def send(self, message: Message) -> None:
        domain = self.from_email.rpartition("@")[2] or "orderdesk"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=self.from_email,
            to=[message.recipient],
            headers={"Message-ID": f"<{message.idempotency_key}@{domain}>"},
            connection=get_connection(self.backend),
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentSendError(f"recipient refused: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc


class WebhookChannel:
    """SMS and chat through the shop's gateway: an HTTP POST of JSON, signed with HMAC-SHA256.

    Headers: ``Idempotency-Key`` (the message's key, also ``id`` in the body) and
    ``X-OrderDesk-Signature: sha256=<hex HMAC of the exact body bytes with the shared secret>``.
    2xx is accepted; 408, 425, 429 and 5xx are retried; any other status is final.
    """

    RETRYABLE_STATUSES = frozenset({408, 425, 429})

    def __init__(self, *, url: str, secret: str, timeout: float = 10.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise ImproperlyConfigured(f"the webhook URL must be http(s): {url!r}")
        if not secret:
            raise ImproperlyConfigured("the webhook channel needs a secret to sign its requests")
        self.url, self.secret, self.timeout = url, secret, float(timeout)

    def payload(self, message: Message) -> bytes:
        body = {
            "id": str(message.idempotency_key),
            "channel": message.channel,
            "to": message.recipient,
            "language": message.language,
            "subject": message.subject,
            "body": message.body,
            "kind": message.kind,
            "order": message.order.external_id,
        }
        return json.dumps(body, ensure_ascii=False, sort_keys=True).encode()

    def signature(self, body: bytes) -> str:
        return "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()

    def send(self, message: Message) -> None:
        body = self.payload(message)
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Idempotency-Key": str(message.idempotency_key),
                SIGNATURE_HEADER: self.signature(body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 or exc.code in self.RETRYABLE_STATUSES:
                raise TransientSendError(f"HTTP {exc.code} from the gateway") from exc
            raise PermanentSendError(f"HTTP {exc.code} from the gateway") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc


class NoopChannel:
    """Accepts every message and returns at once: the benchmark of the outbox and Celery
    (``bench/messages.py``) measures everything but a provider."""

    def send(self, message: Message) -> None:
        return None


class ConsoleChannel:
    """Writes the message to standard output: the demo and benchmarks, where nothing leaves the machine."""

    def __init__(self, *, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, message: Message) -> None:
        stream = self.stream or sys.stdout
        rule = "-" * 60
        stream.write(
            f"{rule}\n[{message.get_channel_display()} → {mask_phones(message.recipient)}] "
            f"{message.get_kind_display()} · {message.idempotency_key}\n"
            f"{message.subject}\n\n{message.body}\n{rule}\n"
        )
        stream.flush()
