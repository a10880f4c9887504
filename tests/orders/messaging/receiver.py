"""A fake SMS/chat gateway on 127.0.0.1 for the webhook channel: it checks signatures, records every
request and, like a real provider, delivers each Idempotency-Key once. It can answer with chosen
statuses, stall a request until released (to kill a worker in the middle of a send), or take
``delay`` seconds over every request (a slow gateway)."""

import contextlib
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STALL_LIMIT_SECONDS = 30


class WebhookReceiver:
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.received = threading.Condition()
        self.delay = 0.0
        self._stall_next = False
        self._release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def __enter__(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def stall_next(self) -> None:
        """The next request is recorded, then left without an answer until ``release``."""
        self._stall_next = True
        self._release.clear()

    def release(self) -> None:
        self._release.set()

    def delivered(self) -> list[dict]:
        """What the buyer got: one message per Idempotency-Key, the first copy."""
        seen: dict[str, dict] = {}
        for request in self.requests:
            seen.setdefault(request["key"], request)
        return list(seen.values())

    def wait_for(self, count: int, timeout: float) -> bool:
        with self.received:
            return self.received.wait_for(lambda: len(self.requests) >= count, timeout=timeout)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                expected = "sha256=" + hmac.new(receiver.secret.encode(), raw, hashlib.sha256).hexdigest()
                record = {
                    "key": self.headers.get("Idempotency-Key"),
                    "signed": hmac.compare_digest(expected, self.headers.get("X-OrderDesk-Signature", "")),
                    "body": json.loads(raw),
                    "content_type": self.headers.get("Content-Type"),
                }
                stall = receiver._stall_next
                receiver._stall_next = False
                with receiver.received:
                    receiver.requests.append(record)
                    receiver.received.notify_all()
                if stall:
                    receiver._release.wait(STALL_LIMIT_SECONDS)
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                if not record["signed"]:
                    status = 401
                # A worker killed mid-send has closed its end: the answer has no one to go to.
                with contextlib.suppress(OSError):
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")

            def log_message(self, *args) -> None:
                """No access log: the requests are recorded in ``receiver.requests``."""

        return Handler
