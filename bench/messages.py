"""Messages benchmark: confirmations sent by a real Celery worker on Redis, beside a no-op task.

    python -m bench.messages                     # 10,000 messages, a prefork worker of concurrency 2, 3 rounds
    python -m bench.messages --smoke             # CI: 200 messages, one round
    python -m bench.messages --profile 1000      # no worker: message_deliver in-process, then under cProfile

Setup: a fresh database (``$BENCH_DATABASE_URL`` with ``_messages`` appended) holding ``--messages``
confirmed orders, cloned with COPY from the seed situations put through the real intake (the generator
of ``bench.scale``), and one ``celery worker`` (``bench.messages_settings``: Celery on Redis under a key
prefix of the run's own, every channel the no-op one, the benchmark's ``bench.tasks.noop`` registered).

Each round runs both kinds of task, in turn (the order alternates between rounds). The worker stops
taking tasks (Celery's remote control), the N tasks are published, and the clock starts when it takes
tasks again: so it is the worker's rate that is timed, not the publisher's, and publishing does not
take CPU from the worker on a small machine. The clock stops at the last task's end:

- ``noop``: N ``bench.tasks.noop`` tasks; each appends its end time to a Redis list;
- ``messages``: N confirmations queued by the service (``confirmation_message_queue`` for each order,
  all inside one transaction: each renders its text, issues the buyer link, inserts the outbox row and
  its event), so that the service's own ``on_commit`` hook publishes the N ``message_send`` tasks when
  it commits; the worker claims each row, sends it through the no-op channel and records it sent; the
  last ``sent_at`` stops the clock.

Per task: the CPU time of the worker's processes (main and pool, from ``/proc``) over the run divided
by N, and the task's runtime in its pool process (Celery's "succeeded in" log line), p50 and p99.
After each round every message must be sent exactly once (status sent, one attempt, one
``message_sent`` event) and every no-op task must have run once. The worker's memory: each process's
peak RSS (``VmHWM``) and the highest total PSS sampled while it ran. The worker is stopped at the end,
whatever happens. Results go to ``bench/results/``.
"""

import argparse
import contextlib
import cProfile
import os
import pstats
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.capacity import Meter, children, cpu_seconds
from bench.common import BENCH_DIR, database_url, django_setup, fail, machine, redis_url, results_write, table
from bench.load import median, percentile

TARGET = 0.75  # messages/s at least this times the no-op task's (issue #17; the first round's was 0.5)
SETTINGS = "bench.messages_settings"
NOOP_TASK = "bench.tasks.noop"
MESSAGE_TASK = "orders.tasks.message_send"
WARMUP = 20  # tasks of each kind before the first round: imports, connections, caches in every pool process
POLL_SECONDS = 0.2
STALL_SECONDS = 60.0  # no progress for this long: the run fails with the worker's log
SUCCEEDED = re.compile(r"Task (?P<name>[\w.]+)\[[^\]]+\] succeeded in (?P<seconds>[0-9.e-]+)s")


# --- the worker ------------------------------------------------------------------------------------------


def _status_kib(pid: int, field: str) -> int:
    with contextlib.suppress(OSError):  # the process is gone: nothing to read
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _pss_kib(pid: int) -> int:
    with contextlib.suppress(OSError):  # the process is gone: nothing to read
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


class Worker:
    """``celery worker`` (prefork) on the benchmark's settings, its log in a temporary file; its memory
    sampled while it runs; stopped (its own process group) by ``stop``."""

    def __init__(self, *, concurrency: int, database: str, redis: str, prefix: str) -> None:
        self.concurrency = concurrency
        self.name = f"bench-messages-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        self.log_dir = Path(tempfile.mkdtemp(prefix="bench-messages-"))
        self.log_path = self.log_dir / "worker.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": database,
            "REDIS_URL": redis,
            "BENCH_CELERY_KEY_PREFIX": prefix,
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": str(BENCH_DIR.parent),
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "-n",
            self.name,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                command, cwd=BENCH_DIR.parent, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.peak_rss_kib = 0
        self.peak_pss_kib = 0
        self._sampling = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"the worker exited with code {self.process.returncode}:\n{self.log_tail()}")
            if " ready." in self.log_path.read_text():
                self._sampler.start()
                return
            time.sleep(0.1)
        fail(f"the worker was not ready in {timeout:.0f} s:\n{self.log_tail()}")

    def consuming(self, on: bool) -> None:
        """Start or stop taking tasks from the queue (Celery's remote control; returns once the worker
        answered), so that a run's tasks are all in the queue before the worker takes the first."""
        from config.celery_app import app

        control = app.control.add_consumer if on else app.control.cancel_consumer
        if not control(app.conf.task_default_queue, destination=[self.name], reply=True, timeout=10):
            fail(f"the worker did not answer the remote control:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.process.poll() is None

    def pids(self) -> list[int]:
        return [self.process.pid, *children(self.process.pid)]

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU time used so far by the worker's main process, and by all its processes (main and pool)."""
        seconds = [cpu_seconds(pid) for pid in self.pids()]
        return seconds[0], sum(seconds)

    def _sample(self) -> None:
        while not self._sampling.wait(0.25):
            pids = self.pids()
            self.peak_rss_kib = max(self.peak_rss_kib, sum(_status_kib(pid, "VmRSS") for pid in pids))
            self.peak_pss_kib = max(self.peak_pss_kib, sum(_pss_kib(pid) for pid in pids))

    def memory(self) -> dict:
        """MiB: each process's peak RSS so far (the main process first), and the sampled peaks of the sums."""
        peaks = [_status_kib(pid, "VmHWM") / 1024 for pid in self.pids()]
        return {
            "main_peak_rss_mib": round(peaks[0], 1),
            "pool_peak_rss_mib": [round(p, 1) for p in peaks[1:]],
            "peak_rss_sum_mib": round(sum(peaks), 1),
            "sampled_peak_total_rss_mib": round(self.peak_rss_kib / 1024, 1),
            "sampled_peak_total_pss_mib": round(self.peak_pss_kib / 1024, 1),
        }

    def log_offset(self) -> int:
        return self.log_path.stat().st_size

    def runtimes_ms(self, task: str, since: int, expected: int, timeout: float = 10.0) -> list[float]:
        """The runtimes of ``task`` logged after offset ``since``; waits a little for the last lines."""
        deadline = time.monotonic() + timeout
        while True:
            with self.log_path.open("rb") as log:
                log.seek(since)
                text = log.read().decode(errors="replace")
            runtimes = [1000 * float(m["seconds"]) for m in SUCCEEDED.finditer(text) if m["name"] == task]
            if len(runtimes) >= expected or time.monotonic() > deadline:
                return runtimes
            time.sleep(0.1)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, *, keep_log: bool = False) -> None:
        self._sampling.set()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        if not keep_log:
            self.log_path.unlink(missing_ok=True)
            self.log_dir.rmdir()


# --- data ------------------------------------------------------------------------------------------------


def _orders_prepare(count: int) -> list[int]:
    """``count`` confirmed orders (the seed situations cloned with COPY), their ids in order."""
    from django.db import connection

    from bench.scale import generate
    from orders.models import Order

    started = time.monotonic()
    generate(orders=count, days=2, clean_share=0.6)
    table_name = Order._meta.db_table
    with connection.cursor() as cursor:
        # Table names come from the models.
        cursor.execute(
            f"UPDATE {table_name} SET status = 'confirmed', confirmed_at = created_at + interval '1 hour', "  # noqa: S608
            "open_blockers = 0, open_warnings = 0, shipped_at = NULL, delivered_at = NULL, "
            "shipped_courier = '', tracking_number = '', hold_reason = ''"
        )
        cursor.execute(f"VACUUM ANALYZE {table_name}")
    ids = list(Order.objects.order_by("pk").values_list("pk", flat=True))
    print(f"{len(ids):,} confirmed orders in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return ids


def _messages_reset() -> None:
    """No messages, buyer links or message events: every order can be confirmed to its buyer again."""
    from django.db import connection

    from orders.messaging.models import BuyerLink, Message
    from orders.models import OrderEvent, OrderEventType

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Message._meta.db_table}, {BuyerLink._meta.db_table}")
    OrderEvent.objects.filter(
        type__in=[OrderEventType.MESSAGE_QUEUED, OrderEventType.MESSAGE_SENT, OrderEventType.MESSAGE_FAILED]
    ).delete()


def _messages_queue(order_ids: list[int]) -> tuple[float, float]:
    """Queue a confirmation for every order in one transaction; returns (seconds spent queueing inside
    it, the wall-clock time just before its commit, when the service's on_commit hook publishes)."""
    from django.db import transaction

    from orders.messaging.queue import confirmation_message_queue
    from orders.models import Order

    orders = Order.objects.select_related("customer", "storefront").filter(pk__in=order_ids).order_by("pk")
    started = time.perf_counter()
    with transaction.atomic():
        for order in orders:
            confirmation_message_queue(order=order)
        queued = time.perf_counter() - started
        released = time.time()
    return queued, released


# --- the timed runs --------------------------------------------------------------------------------------


def _wait_for(done, total: int, what: str, worker: Worker) -> None:
    """Poll ``done()`` until it reaches ``total``; fail when the worker died or nothing moves for a minute."""
    last, moved = -1, time.monotonic()
    while True:
        count = done()
        if count >= total:
            return
        if count != last:
            last, moved = count, time.monotonic()
        elif time.monotonic() - moved > STALL_SECONDS:
            fail(f"{what}: stuck at {count:,}/{total:,} for {STALL_SECONDS:.0f} s; worker log:\n{worker.log_tail()}")
        if not worker.alive():
            fail(f"{what}: the worker died at {count:,}/{total:,}:\n{worker.log_tail()}")
        time.sleep(POLL_SECONDS)


def _summary(
    name: str,
    count: int,
    started: float,
    ended: float,
    published: float,
    cpu: tuple[float, float],
    runtimes: list[float],
) -> dict:
    seconds = ended - started
    return {
        "name": name,
        "count": count,
        "seconds": round(seconds, 3),
        "per_second": round(count / seconds, 1) if seconds > 0 else 0.0,
        "publish_seconds": round(published, 3),
        "worker_cpu_ms": round(1000 * cpu[1] / count, 3),
        # The main process's share: its Redis polling goes on per second, not per task, so a slower kind
        # of task pays more of it per task.
        "main_cpu_ms": round(1000 * cpu[0] / count, 3),
        "runtime_p50_ms": round(percentile(runtimes, 50), 3),
        "runtime_p99_ms": round(percentile(runtimes, 99), 3),
        "runtimes_logged": len(runtimes),
    }


def noop_run(worker: Worker, count: int, done_key: str) -> dict:
    """Publish ``count`` no-op tasks in a loop; from the first publish to the last task's end."""
    import redis
    from django.conf import settings

    from bench.tasks import noop

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(done_key)
    since = worker.log_offset()
    worker.consuming(False)
    publishing = time.time()
    for _ in range(count):
        noop.delay(done_key)
    published = time.time() - publishing
    cpu = worker.cpu_seconds()
    started = time.time()
    worker.consuming(True)
    _wait_for(lambda: client.llen(done_key), count, "no-op tasks", worker)
    cpu = tuple(now - before for now, before in zip(worker.cpu_seconds(), cpu, strict=True))
    ended_at = [float(value) for value in client.lrange(done_key, 0, -1)]
    if len(ended_at) != count:
        fail(f"{len(ended_at):,} no-op tasks ran for {count:,} published: some ran twice")
    client.delete(done_key)
    runtimes = worker.runtimes_ms(NOOP_TASK, since, count)
    return _summary("noop", count, started, max(ended_at), published, cpu, runtimes)


def messages_run(worker: Worker, order_ids: list[int], meter: Meter | None = None) -> dict:
    """Queue a confirmation per order through the service; from the commit (the first publish) to the
    last ``sent_at``. Then checks that every message was sent exactly once. With ``meter``: PostgreSQL's
    transactions and WAL bytes per message while the worker sent them (the benchmark's own polling of
    the outbox, five queries a second, is among those transactions)."""
    from django.db import connection
    from django.db.models import Max

    from orders.messaging.models import Message, MessageStatus

    since = worker.log_offset()
    worker.consuming(False)
    queued, publishing = _messages_queue(order_ids)
    published = time.time() - publishing
    connection.close()  # the meter ends the database's connections (bench/capacity.py)
    before = meter.snapshot() if meter else None
    cpu = worker.cpu_seconds()
    started = time.time()
    worker.consuming(True)
    count = len(order_ids)
    finished = Message.objects.filter(status__in=[MessageStatus.SENT, MessageStatus.FAILED])
    _wait_for(finished.count, count, "messages", worker)
    cpu = tuple(now - before for now, before in zip(worker.cpu_seconds(), cpu, strict=True))
    connection.close()
    cost = meter.cost(before, meter.snapshot(), count) if meter and before else {}
    ended = Message.objects.aggregate(last=Max("sent_at"))["last"]
    # The worker records the message_sent event just after it marks the row sent (another statement).
    deadline = time.monotonic() + 10
    while (problems := messages_verify(count)) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
    if problems:
        fail("messages were not sent exactly once: " + "; ".join(problems))
    runtimes = worker.runtimes_ms(MESSAGE_TASK, since, count)
    result = _summary("messages", count, started, ended.timestamp(), published, cpu, runtimes)
    result["queue_ms_per_message"] = round(1000 * queued / count, 3)
    result["postgresql_cpu_ms"] = cost.get("postgresql_cpu_ms", 0.0)
    result["transactions"] = cost.get("transactions", 0.0)
    result["wal_bytes"] = cost.get("wal_bytes", 0.0)
    result["database_wal_bytes"] = cost.get("database_wal_bytes") or 0.0
    return result


def messages_verify(count: int) -> list[str]:
    """What is wrong with the round's outbox: every confirmation sent once, one attempt, one event."""
    from orders.messaging.models import Message, MessageKind, MessageStatus
    from orders.models import OrderEvent, OrderEventType

    problems = []
    messages = Message.objects.filter(kind=MessageKind.CONFIRMATION)
    total = messages.count()
    sent_once = messages.filter(status=MessageStatus.SENT, attempts=1).count()
    if total != count:
        problems.append(f"{total:,} confirmation rows for {count:,} orders")
    if sent_once != total:
        by_state = list(messages.exclude(status=MessageStatus.SENT, attempts=1).values_list("status", "attempts")[:5])
        problems.append(f"{total - sent_once:,} not sent in exactly one attempt (e.g. {by_state})")
    events = OrderEvent.objects.filter(type=OrderEventType.MESSAGE_SENT)
    recorded, distinct = events.count(), events.order_by().values("data__message").distinct().count()
    if recorded != total or distinct != total:
        problems.append(f"{recorded:,} message_sent events for {distinct:,} messages ({total:,} rows)")
    return problems


# --- the profile -----------------------------------------------------------------------------------------


def profile(count: int, limit: int) -> None:
    """``message_deliver`` in-process on ``count`` queued messages: the first half timed one after the
    other, then the queries of one message, then the rest under cProfile. Nothing runs the published
    tasks (no worker; the queue is deleted at the end)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from orders.messaging.models import Message
    from orders.messaging.send import message_deliver

    order_ids = _orders_prepare(count)
    _messages_queue(order_ids)
    message_ids = list(Message.objects.order_by("pk").values_list("pk", flat=True))
    timed, (shown, *profiled) = message_ids[: count // 2], message_ids[count // 2 :]
    started, cpu = time.perf_counter(), time.process_time()
    for message_id in timed:
        message_deliver(message_id=message_id)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    with CaptureQueriesContext(connection) as captured:
        message_deliver(message_id=shown)
    print(
        f"message_deliver in-process, one at a time ({len(timed):,} messages): {1000 * wall / len(timed):.3f} ms"
        f" wall, {1000 * cpu / len(timed):.3f} ms CPU of this process; {len(captured)} queries per message:"
    )
    for query in captured.captured_queries:
        print(f"  {query['sql'][:160]}")
    # CPU time, not wall: on a busy machine the wall clock is mostly PostgreSQL's queue.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for message_id in profiled:
        message_deliver(message_id=message_id)
    profiler.disable()
    print()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(limit)


# --- main ------------------------------------------------------------------------------------------------


def _redis_cleanup(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def _sigterm(_signum, _frame) -> None:
    raise SystemExit(143)  # the finally blocks stop the worker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000, help="messages (and no-op tasks) per round")
    parser.add_argument("--concurrency", type=int, default=2, help="the worker's prefork pool processes")
    parser.add_argument("--rounds", type=int, default=3, help="the table shows medians over rounds")
    parser.add_argument("--database-url", help="default: $BENCH_DATABASE_URL with _messages appended")
    parser.add_argument("--redis-url", help="Celery's broker; default $BENCH_REDIS_URL or redis db 14")
    parser.add_argument("--keep-log", action="store_true", help="keep the worker's log (its path is printed)")
    parser.add_argument("--profile", type=int, metavar="N", help="no worker: N messages delivered in-process")
    parser.add_argument("--limit", type=int, default=35, help="profile lines to print (with --profile)")
    parser.add_argument("--smoke", action="store_true", help="CI: 200 messages, one round")
    args = parser.parse_args()
    if args.smoke:
        args.messages, args.rounds = 200, 1

    redis = redis_url(args.redis_url)
    if not redis:
        fail("the messages benchmark needs Redis (--redis-url or $BENCH_REDIS_URL)")
    database = database_url(args.database_url, suffix="_messages")
    prefix = f"orderdesk-bench-messages-{uuid.uuid4().hex[:12]}:"
    os.environ["BENCH_CELERY_KEY_PREFIX"] = prefix
    signal.signal(signal.SIGTERM, _sigterm)
    django_setup(database, redis, settings=SETTINGS)
    try:
        if args.profile:
            profile(args.profile, args.limit)
            return
        measure(args, database, redis, prefix)
    finally:
        _redis_cleanup(redis, prefix)


def measure(args: argparse.Namespace, database: str, redis: str, prefix: str) -> None:
    order_ids = _orders_prepare(args.messages)
    info = machine()
    worker = Worker(concurrency=args.concurrency, database=database, redis=redis, prefix=prefix)
    rounds: list[dict] = []
    failed = True
    meter = None
    try:
        worker.wait_ready()
        meter = Meter(database, worker.process.pid)
        noop_run(worker, WARMUP, prefix + "warmup")
        messages_run(worker, order_ids[:WARMUP])
        _messages_reset()
        for number in range(args.rounds):
            runs = {}
            for kind in ("noop", "messages") if number % 2 == 0 else ("messages", "noop"):
                if kind == "noop":
                    runs[kind] = noop_run(worker, args.messages, f"{prefix}done-{number}")
                else:
                    runs[kind] = messages_run(worker, order_ids, meter)
                    _messages_reset()
                r = runs[kind]
                print(
                    f"round {number + 1} {kind:<8} {r['per_second']:8.1f}/s  {r['count']:,} in {r['seconds']:.2f} s"
                    f" (published in {r['publish_seconds']:.2f} s)  worker CPU {r['worker_cpu_ms']:.2f} ms per task"
                    f" (main {r['main_cpu_ms']:.2f}),"
                    f" runtime p50 {r['runtime_p50_ms']:.2f} p99 {r['runtime_p99_ms']:.2f} ms"
                    + (
                        f"  queued at {r['queue_ms_per_message']:.2f} ms each; per message PostgreSQL CPU"
                        f" {r['postgresql_cpu_ms']:.2f} ms, {r['transactions']:.2f} PG transactions, WAL bytes"
                        f" {r['database_wal_bytes']:,.0f} (database) {r['wal_bytes']:,.0f} (cluster)"
                        if kind == "messages"
                        else ""
                    ),
                    flush=True,
                )
            runs["ratio"] = round(runs["messages"]["per_second"] / runs["noop"]["per_second"], 3)
            runs["memory"] = worker.memory()
            rounds.append(runs)
        failed = False
    finally:
        if meter is not None:
            meter.close()
        memory = worker.memory() if worker.alive() else {}
        worker.stop(keep_log=args.keep_log or failed)
        if args.keep_log or failed:
            print(f"worker log: {worker.log_path}", file=sys.stderr)

    medians = {
        kind: {
            key: median([r[kind][key] for r in rounds])
            for key in (
                "per_second",
                "seconds",
                "publish_seconds",
                "worker_cpu_ms",
                "main_cpu_ms",
                "runtime_p50_ms",
                "runtime_p99_ms",
            )
        }
        for kind in ("noop", "messages")
    }
    for key in ("queue_ms_per_message", "postgresql_cpu_ms", "transactions", "wal_bytes", "database_wal_bytes"):
        medians["messages"][key] = median([r["messages"][key] for r in rounds])
    ratio = medians["messages"]["per_second"] / medians["noop"]["per_second"]
    print()
    print(
        f"{args.messages:,} per round, medians of {args.rounds} round(s); worker prefork × {args.concurrency}; "
        f"{info['cores']} cores, load {' '.join(f'{x:.1f}' for x in info.get('load_average', ()))}"
    )
    rows = [
        [
            label,
            medians[kind]["per_second"],
            medians[kind]["seconds"],
            medians[kind]["publish_seconds"],
            medians[kind]["worker_cpu_ms"],
            medians[kind]["main_cpu_ms"],
            medians[kind]["runtime_p50_ms"],
            medians[kind]["runtime_p99_ms"],
        ]
        for kind, label in (("noop", "no-op task"), ("messages", "confirmation messages"))
    ]
    headers = [
        "tasks",
        "per s",
        "seconds",
        "published in s",
        "worker CPU ms",
        "of it main",
        "runtime p50 ms",
        "runtime p99 ms",
    ]
    print(table(headers, rows))
    met = ratio >= TARGET
    print(f"\nmessages/no-op: {ratio:.2f}× (target ≥ {TARGET}×: {'met' if met else 'MISSED'})")
    print(
        f"worker memory: peak RSS main {memory.get('main_peak_rss_mib', 0):.1f} MiB, pool "
        f"{', '.join(f'{m:.1f}' for m in memory.get('pool_peak_rss_mib', []))} MiB; "
        f"highest total PSS sampled {memory.get('sampled_peak_total_pss_mib', 0):.1f} MiB"
    )
    print(f"queueing (in the publishing process): {medians['messages']['queue_ms_per_message']:.2f} ms per message")
    print(
        f"per message sent by the worker: {medians['messages']['worker_cpu_ms']:.2f} ms of worker CPU"
        f" ({1000 / medians['messages']['worker_cpu_ms']:,.0f} messages/s per worker core),"
        f" {medians['messages']['postgresql_cpu_ms']:.2f} ms of PostgreSQL CPU,"
        f" {medians['messages']['transactions']:.2f} PostgreSQL transactions,"
        f" WAL bytes {medians['messages']['database_wal_bytes']:,.0f} of the bench database (pg_waldump; 0: unreadable)"
        f" and {medians['messages']['wal_bytes']:,.0f} of the cluster (other sessions' writes included)"
    )
    path = results_write(
        "messages",
        {
            "machine": info,
            "settings": vars(args),
            "rounds": rounds,
            "medians": medians,
            "verdict": {"ratio": round(ratio, 3), "target": TARGET, "met": met},
            "worker_memory": memory,
        },
    )
    print(f"written: {path.relative_to(BENCH_DIR.parent)}")


if __name__ == "__main__":
    main()
