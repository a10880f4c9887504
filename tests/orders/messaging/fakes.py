"""Channels for tests: they record what they were asked to send, or fail on demand."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from orders.messaging.channels import PermanentSendError, TransientSendError


class RecordingChannel:
    """Records every send (thread-safe); ``failures`` queues errors to raise on the next sends."""

    sent: list = []
    failures: list[Exception] = []
    delay: float = 0.0
    _lock = threading.Lock()

    def __init__(self, **options) -> None:
        self.options = options

    @classmethod
    def reset(cls) -> None:
        cls.sent, cls.failures, cls.delay = [], [], 0.0

    def send(self, message) -> None:
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            if self.failures:
                raise self.failures.pop(0)
            self.sent.append(
                {
                    "id": message.pk,
                    "key": str(message.idempotency_key),
                    "to": message.recipient,
                    "kind": message.kind,
                    "body": message.body,
                }
            )


def transient(text: str = "gateway timeout") -> TransientSendError:
    return TransientSendError(text)


def permanent(text: str = "HTTP 400 from the gateway") -> PermanentSendError:
    return PermanentSendError(text)


RECORDING = {"BACKEND": "tests.orders.messaging.fakes.RecordingChannel"}


@contextmanager
def recording_on_every_channel(settings) -> Iterator[type[RecordingChannel]]:
    """Every channel records instead of sending (``settings``: pytest-django's fixture)."""
    settings.ORDERDESK_MESSAGE_CHANNELS = {"sms": RECORDING, "email": RECORDING, "chat": RECORDING}
    RecordingChannel.reset()
    try:
        yield RecordingChannel
    finally:
        RecordingChannel.reset()
