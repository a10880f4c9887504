"""Channels: the webhook signs and keys its requests, e-mail keys its Message-ID, errors are sorted."""

import io
import smtplib
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend

from orders.messaging.channels import (
    ConsoleChannel,
    EmailChannel,
    NoopChannel,
    PermanentSendError,
    TransientSendError,
    WebhookChannel,
    channel_get,
)
from orders.messaging.models import Message
from orders.messaging.send import message_deliver
from tests.orders.messaging.conftest import confirmation_of
from tests.orders.messaging.receiver import WebhookReceiver

pytestmark = pytest.mark.django_db

SECRET = "gateway-secret"


@pytest.fixture
def message(confirmed):
    return confirmation_of(confirmed())


@pytest.fixture
def receiver():
    with WebhookReceiver(SECRET) as running:
        yield running


def test_webhook_posts_signed_json_with_the_idempotency_key(message, receiver):
    WebhookChannel(url=receiver.url, secret=SECRET, timeout=5).send(message)

    [request] = receiver.requests
    assert request["signed"] is True
    assert request["key"] == str(message.idempotency_key)
    assert request["content_type"] == "application/json; charset=utf-8"
    assert request["body"] == {
        "id": str(message.idempotency_key),
        "channel": "sms",
        "to": "+8613800138000",
        "language": "zh-hans",
        "subject": message.subject,
        "body": message.body,
        "kind": "confirmation",
        "order": message.order.external_id,
    }


def test_a_signature_made_with_another_secret_does_not_verify(message, receiver):
    with pytest.raises(PermanentSendError, match="HTTP 401"):
        WebhookChannel(url=receiver.url, secret="not-the-gateways-secret", timeout=5).send(message)

    assert receiver.requests[0]["signed"] is False


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, TransientSendError), (503, TransientSendError), (429, TransientSendError), (400, PermanentSendError)],
)
def test_gateway_statuses_are_sorted_into_retry_or_give_up(message, receiver, status, error):
    receiver.statuses = [status]

    with pytest.raises(error, match=f"HTTP {status}"):
        WebhookChannel(url=receiver.url, secret=SECRET, timeout=5).send(message)


def test_an_unreachable_gateway_is_worth_another_attempt(message):
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()  # nothing listens there any more

    with pytest.raises(TransientSendError):
        WebhookChannel(url=f"http://127.0.0.1:{port}/sms", secret=SECRET, timeout=2).send(message)


def test_a_slow_gateway_times_out_and_is_worth_another_attempt(message):
    class Slow(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            time.sleep(1)

        def log_message(self, *args) -> None:
            """No access log in the test output."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        with pytest.raises(TransientSendError):
            WebhookChannel(url=f"http://127.0.0.1:{server.server_address[1]}/", secret=SECRET, timeout=0.2).send(
                message
            )
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("options", "problem"),
    [({"url": "file:///etc/passwd", "secret": SECRET}, "http"), ({"url": "http://x", "secret": ""}, "secret")],
)
def test_webhook_refuses_a_bad_configuration(options, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        WebhookChannel(**options)


def test_email_goes_through_djangos_backend_with_a_stable_message_id(message):
    message.recipient = "lilei@example.com"

    EmailChannel().send(message)
    EmailChannel().send(message)

    first, second = mail.outbox
    assert first.to == ["lilei@example.com"]
    assert (first.subject, first.body) == (message.subject, message.body)
    assert first.extra_headers["Message-ID"] == f"<{message.idempotency_key}@example.com>"
    assert second.extra_headers["Message-ID"] == first.extra_headers["Message-ID"]


class RefusingBackend(BaseEmailBackend):
    error: Exception

    def send_messages(self, email_messages):
        raise self.error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"no such user")}), PermanentSendError),
        (smtplib.SMTPServerDisconnected("gone"), TransientSendError),
        (ConnectionRefusedError("refused"), TransientSendError),
    ],
)
def test_email_errors_are_sorted_into_retry_or_give_up(message, error, expected):
    RefusingBackend.error = error
    message.recipient = "x@example.com"

    with pytest.raises(expected):
        EmailChannel(backend="tests.orders.messaging.test_channels.RefusingBackend").send(message)


def test_console_prints_the_message_with_the_recipient_masked(message):
    stream = io.StringIO()

    ConsoleChannel(stream=stream).send(message)

    text = stream.getvalue()
    assert message.body in text and message.subject in text
    assert "+86138****8000" in text and "13800138000" not in text


def test_the_noop_channel_is_chosen_by_settings_and_the_message_counts_as_sent_once(message, settings):
    settings.ORDERDESK_MESSAGE_CHANNELS = {"sms": {"BACKEND": "orders.messaging.channels.NoopChannel"}}
    Message.objects.filter(pk=message.pk).update(status="pending", attempts=0, sent_at=None)

    assert isinstance(channel_get("sms"), NoopChannel)
    assert message_deliver(message_id=message.pk) is None

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert message_deliver(message_id=message.pk) is None
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_channel_without_backend_is_a_permanent_failure(settings):
    settings.ORDERDESK_MESSAGE_CHANNELS = {"sms": None}

    with pytest.raises(PermanentSendError, match="chat"):
        channel_get("chat")
    with pytest.raises(PermanentSendError, match="sms"):
        channel_get("sms")
