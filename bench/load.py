"""A small HTTP/1.1 load generator: N connections in one asyncio loop, fixed duration, latency percentiles.

Pure Python so the benchmarks need nothing installed (no wrk). It keeps connections alive when the server
allows and reconnects when it closes them (gunicorn's sync workers answer ``Connection: close``); the
connect time then counts in the latency, as it does for a storefront. Each request's body comes from a
callable that gets a sequence number, so every request can carry a unique external id.

``python -m bench.load`` measures the generator's own ceiling against a trivial server in another
process: it must be many times the rates measured on the service, or the numbers mean nothing.
"""

import argparse
import asyncio
import itertools
import math
import multiprocessing
import os
import socket
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

BodyFactory = Callable[[int], bytes]

# Request numbers, unique within the process across runs: bodies build unique external ids from them.
_SEQUENCE = itertools.count(1)


@dataclass
class LoadResult:
    name: str
    duration: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0  # connection failures and non-2xx responses
    answered: int = 0  # every response, warm-up and stragglers included (what the server did in the run)
    client_cpu: float = 0.0  # the generator's CPU time over the window, as a fraction of one core
    first_error: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        return self.requests / self.duration if self.duration else 0.0

    def percentile(self, p: float) -> float:
        return percentile(self.latencies_ms, p)

    def summary(self) -> dict:
        return {
            "name": self.name,
            "requests": self.requests,
            "answered": self.answered,
            "duration_s": round(self.duration, 3),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(50), 2),
            "p90_ms": round(self.percentile(90), 2),
            "p99_ms": round(self.percentile(99), 2),
            "max_ms": round(max(self.latencies_ms, default=0.0), 2),
            "errors": self.errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "client_cpu": round(self.client_cpu, 3),
            "first_error": self.first_error,
        }


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (p in 0..100) of ``values``; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


class _Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, head: bytes, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            sock = self.writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.writer.write(head + body)
        status, payload, keep_alive = await _read_response(self.reader)
        if not keep_alive:
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if b":" in line:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip().lower()
    keep_alive = headers.get(b"connection") != b"close" and lines[0].startswith(b"HTTP/1.1")
    if b"content-length" in headers:
        payload = await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding") == b"chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            chunks.append(chunk[:-2])
        payload = b"".join(chunks)
    else:
        payload = await reader.read()
        keep_alive = False
    return status, payload, keep_alive


def _head(method: str, path: str, host: str, headers: dict[str, str], length: int | None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _drive(
    *,
    name: str,
    host: str,
    port: int,
    method: str,
    path: str,
    headers: dict[str, str],
    body: BodyFactory | None,
    connections: int,
    duration: float,
    warmup: float,
) -> LoadResult:
    loop = asyncio.get_running_loop()
    start = loop.time()
    window_start, window_end = start + warmup, start + warmup + duration
    result = LoadResult(name=name, duration=duration)
    cpu_marks: dict[str, float] = {}

    async def mark_cpu() -> None:
        await asyncio.sleep(warmup)
        cpu_marks["start"] = time.process_time()
        await asyncio.sleep(duration)
        cpu_marks["end"] = time.process_time()

    async def worker() -> None:
        connection = _Connection(host, port)
        try:
            while loop.time() < window_end:
                payload = body(next(_SEQUENCE)) if body is not None else b""
                head = _head(method, path, host, headers, len(payload) if body is not None else None)
                sent = loop.time()
                try:
                    status, response = await connection.request(head, payload)
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    connection.close()
                    if window_start <= sent:
                        result.errors += 1
                        result.first_error = result.first_error or f"{type(exc).__name__}: {exc}"
                    await asyncio.sleep(0.01)
                    continue
                done = loop.time()
                result.answered += 1
                if sent < window_start or done > window_end:
                    continue
                result.latencies_ms.append((done - sent) * 1000)
                result.statuses[status] += 1
                if not 200 <= status < 300:
                    result.errors += 1
                    result.first_error = (
                        result.first_error or f"HTTP {status}: {response[:300].decode(errors='replace')}"
                    )
        finally:
            connection.close()

    await asyncio.gather(mark_cpu(), *(worker() for _ in range(connections)))
    result.client_cpu = (cpu_marks["end"] - cpu_marks["start"]) / duration
    return result


def load_run(
    *,
    name: str,
    url_host: str,
    port: int,
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: BodyFactory | None = None,
    connections: int = 8,
    duration: float = 20.0,
    warmup: float = 2.0,
) -> LoadResult:
    """Drive ``connections`` concurrent clients at ``path`` for ``warmup + duration`` seconds;
    only requests sent and answered inside the last ``duration`` seconds count."""
    return asyncio.run(
        _drive(
            name=name,
            host=url_host,
            port=port,
            method=method,
            path=path,
            headers=headers or {},
            body=body,
            connections=connections,
            duration=duration,
            warmup=warmup,
        )
    )


# --- the generator's own ceiling ------------------------------------------------------------------

_FIXED_RESPONSE = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'


def _trivial_server(port: int, close_each: bool) -> None:
    response = (
        _FIXED_RESPONSE.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1) if close_each else _FIXED_RESPONSE
    )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                writer.write(response)
                if close_each:
                    await writer.drain()
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            return  # the client hung up: the connection is done
        finally:
            writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=128)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def generator_ceiling(*, connections: int = 8, duration: float = 2.0, close_each: bool = True) -> LoadResult:
    """Requests per second the generator reaches against a server that does nothing (another process)."""
    port = free_port()
    server = multiprocessing.get_context("spawn").Process(target=_trivial_server, args=(port, close_each), daemon=True)
    server.start()
    try:
        wait_for_port(port)
        body = b'{"external_id": "X"}'
        return load_run(
            name="generator ceiling" + (" (reconnect each)" if close_each else " (keep-alive)"),
            url_host="127.0.0.1",
            port=port,
            path="/",
            method="POST",
            headers={"Content-Type": "application/json"},
            body=lambda n: body,
            connections=connections,
            duration=duration,
            warmup=0.3,
        )
    finally:
        server.terminate()
        server.join(5)


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure the load generator's ceiling against a trivial server.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=3.0)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores")
    for close_each in (True, False):
        result = generator_ceiling(connections=args.connections, duration=args.duration, close_each=close_each)
        summary = result.summary()
        print(
            f"{summary['name']:<40} {summary['rps']:>9.0f} req/s  p50 {summary['p50_ms']:.2f} ms  "
            f"p99 {summary['p99_ms']:.2f} ms  client CPU {summary['client_cpu']:.0%}  errors {summary['errors']}"
        )


if __name__ == "__main__":
    main()
