"""The production-like stack the fault suite runs: its own PostgreSQL cluster and Redis, gunicorn with
the production settings, a Celery worker and beat, and the fake SMS gateway of the message tests. The
timings (lease, beat, backoff) are short, through the same environment variables production reads."""

import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

from tests.faults.processes import (
    BASE_DIR,
    PostgresCluster,
    Process,
    celery_process,
    free_port,
    gunicorn_process,
    port_open,
    redis_process,
    wait_until,
)
from tests.orders.messaging.receiver import WebhookReceiver

DATABASE = "orderdesk_faults"
GATEWAY_SECRET = "faults-gateway-secret"
LEASE_SECONDS = 3


def _json(response) -> object:
    """The JSON body of an error answer, or None when it has none (gunicorn's own 4xx pages)."""
    try:
        return json.loads(response.read() or b"null")
    except (OSError, ValueError):
        return None


class Stack:
    def __init__(self, *, pg_port: int, redis_port: int, directory: Path) -> None:
        self.directory = directory
        self.logs = directory / "logs"
        self.cluster = PostgresCluster(port=pg_port, directory=directory / "postgresql")
        self.redis_port = redis_port
        self.http_port = free_port()
        self.gateway = WebhookReceiver(GATEWAY_SECRET)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ORDERDESK_", "CELERY_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.cluster.url(DATABASE),
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "ORDERDESK_SMS_WEBHOOK_URL": self.gateway.url,
            "ORDERDESK_SMS_WEBHOOK_SECRET": GATEWAY_SECRET,
            "ORDERDESK_SMS_WEBHOOK_TIMEOUT": "2",
            "ORDERDESK_MESSAGE_LEASE_SECONDS": str(LEASE_SECONDS),
            "ORDERDESK_MESSAGE_RETRY_BACKOFF_SECONDS": "1",
            "ORDERDESK_MESSAGE_RETRY_BACKOFF_MAX_SECONDS": "4",
            "ORDERDESK_BEAT_SECONDS": "1",
            "CELERY_VISIBILITY_TIMEOUT": "30",
            "LOG_LEVEL": "INFO",
        }
        self.redis: Process = redis_process(port=redis_port, log_dir=self.logs, env=self.env)
        self.gunicorn = gunicorn_process(port=self.http_port, log_dir=self.logs, env=self.env)
        self.worker = celery_process("worker", log_dir=self.logs, env=self.env)
        self.beat = celery_process("beat", log_dir=self.logs, env=self.env)
        # A second node (tests/faults/test_scale_out.py): gunicorn and a worker of their own, same
        # PostgreSQL and Redis; started only by the scenarios that ask for it (``node_b_start``).
        self.http_port_b = free_port()
        self.gunicorn_b = gunicorn_process(port=self.http_port_b, log_dir=self.logs, env=self.env, name="gunicorn-b")
        self.worker_b = celery_process("worker", log_dir=self.logs, env=self.env, name="worker-b")
        self.beat_b = celery_process("beat", log_dir=self.logs, env=self.env, name="beat-b")
        self.token = ""

    # --- life cycle ---------------------------------------------------------------------------------

    def up(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        for process in (*self.node_b, self.beat, self.worker, self.gunicorn, self.redis):
            process.kill_leftover()
        self.gateway.__enter__()
        self.cluster.create()
        with psycopg.connect(self.cluster.url("postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")
        if port_open(self.redis_port):
            raise RuntimeError(f"port {self.redis_port} is taken: set FAULTS_REDIS_PORT to a free one")
        self.redis_start()
        self.manage("migrate", "--noinput", "-v", "0")
        self.token = self.shop("setup").splitlines()[-1]
        self.gunicorn_start()
        self.worker_start()
        self.beat.start()

    def down(self) -> None:
        for process in (*self.node_b, self.beat, self.worker, self.gunicorn, self.redis):
            process.kill()
        self.cluster.destroy()
        self.gateway.__exit__(None, None, None)

    def ensure_running(self) -> None:
        """Each scenario starts from a whole stack, whatever the one before it killed."""
        if not self.cluster.accepts_connections():
            self.cluster.start()
        if not self.redis.alive():
            self.redis_start()
        if not self.gunicorn.alive():
            self.gunicorn_start()
        if not self.worker.alive():
            self.worker_start()
        if not self.beat.alive():
            self.beat.start()
        self.gateway.delay = 0.0

    @property
    def node_b(self) -> tuple[Process, ...]:
        return (self.beat_b, self.worker_b, self.gunicorn_b)

    def node_b_start(self) -> None:
        """The second node's gunicorn and worker (not its beat: one beat is the deployment's rule)."""
        if not self.gunicorn_b.alive():
            self.gunicorn_b.start().wait_ready(lambda: port_open(self.http_port_b))
        if not self.worker_b.alive():
            self.worker_b.start().wait_ready(lambda: "ready." in self.worker_b.log())

    def node_b_stop(self) -> None:
        for process in self.node_b:
            process.kill()

    def redis_start(self) -> None:
        self.redis.start().wait_ready(lambda: port_open(self.redis_port), timeout=20)

    def gunicorn_start(self) -> None:
        self.gunicorn.start().wait_ready(lambda: port_open(self.http_port))

    def worker_start(self) -> None:
        self.worker.start().wait_ready(lambda: "ready." in self.worker.log())

    def manage(self, *args: str) -> str:
        return self._python("manage.py", *args)

    def shop(self, *args: str) -> str:
        """``tests/faults/shop.py``: the shop's set-up and the scenarios' data, in the stack's settings."""
        return self._python("-m", "tests.faults.shop", *args)

    def _python(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, *args], cwd=BASE_DIR, env=self.env, capture_output=True, text=True, timeout=300
        )
        if result.returncode:
            raise AssertionError(f"{' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        return result.stdout.strip()

    # --- what a storefront and an operator see --------------------------------------------------------

    def post_order(
        self, body: dict, *, key: str | None = None, timeout: float = 10, port: int | None = None
    ) -> int | None:
        """POST an order to gunicorn (node A's unless ``port``); the status, or None when the connection failed."""
        return self.call("POST", "/api/v1/orders/", body, key=key, timeout=timeout, port=port)[0]

    def call(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        token: str | None = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10,
        port: int | None = None,
    ) -> tuple[int | None, object]:
        """One API request (the storefront's token unless ``token``): the status and the JSON answer,
        or (None, None) when the connection failed."""
        headers = {
            "Authorization": f"Token {token or self.token}",
            "Content-Type": "application/json",
            **(headers or {}),
        }
        if key:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(
            f"http://127.0.0.1:{port or self.http_port}{path}",
            data=None if body is None else json.dumps(body).encode(),
            headers=headers,
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, _json(error)
        except (OSError, ValueError):
            return None, None

    def sql(self, query: str, params: list | None = None) -> list[tuple]:
        with psycopg.connect(self.cluster.url(DATABASE), autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def count(self, query: str, params: list | None = None) -> int:
        return self.sql(query, params)[0][0]

    def messages_of(self, external_id_prefix: str, kind: str) -> list[tuple[str, str]]:
        """(idempotency key, status) of the messages of kind ``kind`` of the orders with this prefix."""
        return self.sql(
            "SELECT m.idempotency_key::text, m.status FROM orders_message m JOIN orders_order o ON o.id = m.order_id"
            " WHERE o.external_id LIKE %s AND m.kind = %s",
            [f"{external_id_prefix}%", kind],
        )

    def gateway_sends(self, prefix: str, kind: str) -> list[tuple[str, str]]:
        """(order, Idempotency-Key) of every request the gateway got for these orders' messages of this
        kind, second copies included."""
        return [
            (request["body"]["order"], request["key"])
            for request in list(self.gateway.requests)
            if request["body"]["order"].startswith(prefix) and request["body"]["kind"] == kind and request["signed"]
        ]

    def wait_all_sent(self, prefix: str, kind: str, count: int, timeout: float) -> float:
        def done() -> bool:
            rows = self.messages_of(prefix, kind)
            return len(rows) == count and all(status == "sent" for _key, status in rows)

        return wait_until(done, timeout, f"{count} {kind} messages of {prefix}* sent", interval=0.25)
