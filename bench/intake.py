"""Intake benchmark: POST realistic orders to gunicorn on PostgreSQL, the service against its floor.

    python -m bench.intake                      # 8 connections, 2 s warm-up + 20 s per target, 3 rounds
    python -m bench.intake --smoke              # CI: a second or two per target, one round

In one run, against one gunicorn (the bench settings: the service's URLs plus ``bench.baseline``):

- ``floor``: a plain Django JSON view (the HTTP server and Django's request cycle, nothing else);
- ``baseline``: a bare DRF ModelSerializer create of an order with lines (``bench/baseline``), same body;
- ``service``: ``POST /api/v1/orders/`` with a storefront token: customer upsert, catalogue, every check,
  flag and event, the full order JSON back.

Bodies cycle through the situations of the seed manuals (``orders.demo.ORDERS``) with unique external ids
and buyers drawn from a pool, so repeat buyers (history checks, mergeable hints) occur as in a real shop.
Each round runs the targets in turn (the order alternates between rounds); the table shows medians over
rounds, the ratios service/baseline and the targets of issue 17. Results go to ``bench/results/``.

For the capacity plan, each round also records what one request cost (``bench/capacity.py``): gunicorn's
CPU (master and workers, from ``/proc``), PostgreSQL's transactions in the bench database and WAL bytes
(the whole cluster's), from idle to idle, divided by the orders the round stored (the floor: by the
requests answered), warm-up included.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
import urllib.request

from bench.capacity import Meter
from bench.common import (
    BENCH_DIR,
    database_url,
    django_setup,
    fail,
    machine,
    redis_url,
    results_write,
    table,
)
from bench.load import LoadResult, free_port, generator_ceiling, load_run, median

THROUGHPUT_TARGET = 1.0  # service req/s at least this times the baseline's (issue 17; issue 7 asked 0.7)
P99_TARGET = 1.0  # service p99 at most this times the baseline's (issue 17; issue 7 asked 1.5)
BUYER_POOL = 500  # buyers per demo customer: about one order in eight comes from a repeat buyer
ORDER_PATH = "/api/v1/orders/"
BASELINE_PATH = "/bench/baseline/orders/"
FLOOR_PATH = "/bench/floor/"


def _prepare(*, empty: bool = True) -> tuple[str, list[bytes]]:
    """Empty the order tables (unless told not to), load the demo catalogue, and return a storefront key
    and the body templates."""
    from django.db import connection

    from bench.baseline.models import BaselineLine, BaselineOrder
    from orders import demo
    from orders.models import ApiToken, Customer, IdempotencyKey, Order, Storefront
    from orders.services.catalog import catalog_upsert
    from orders.services.tokens import storefront_create, storefront_token_issue

    tables = [model._meta.db_table for model in (Order, Customer, IdempotencyKey, BaselineLine, BaselineOrder)]
    if empty:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    catalog_upsert(rows=demo.CATALOGUE)
    storefront = Storefront.objects.filter(name="bench-shop").first()
    if storefront is None:
        storefront, key = storefront_create(name="bench-shop")
    else:
        if empty:
            ApiToken.objects.filter(storefront=storefront).delete()
        key = storefront_token_issue(storefront=storefront)

    templates = []
    for label, customer, body in demo.ORDERS:
        payload = {
            "external_id": "@@EXTERNAL_ID@@",
            "payment_status": "paid",
            "customer": {
                **demo.CUSTOMERS[customer],
                "external_id": demo.CUSTOMERS[customer]["external_id"] + "-@@BUYER@@",
            },
            "buyer_note": label,
            **body,
        }
        templates.append(json.dumps(payload, ensure_ascii=False).encode())
    connection.close()
    return key, templates


def body_factory(templates: list[bytes], prefix: str, seed: int):
    """Bodies cycling through the situations, each with a unique external id and a buyer from the pool."""
    rng = random.Random(seed)

    def body(sequence: int) -> bytes:
        template = templates[sequence % len(templates)]
        buyer = str(rng.randrange(BUYER_POOL)).encode()
        external_id = f"{prefix}-{sequence:08d}".encode()
        return template.replace(b"@@EXTERNAL_ID@@", external_id, 1).replace(b"@@BUYER@@", buyer, 1)

    return body


class Gunicorn:
    """gunicorn serving the bench settings on a free loopback port; stopped by its own process id."""

    def __init__(self, *, workers: int, worker_class: str, threads: int, database: str, redis: str) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database,
            "REDIS_URL": redis,
            "PYTHONPATH": str(BENCH_DIR.parent),
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            "--chdir",
            str(BENCH_DIR.parent),
        ]
        self.process = subprocess.Popen(command, env=env)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"gunicorn exited with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{FLOOR_PATH}", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        fail("gunicorn did not answer in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _targets(key: str, templates: list[bytes], run_id: str) -> dict[str, dict]:
    json_headers = {"Content-Type": "application/json"}
    return {
        "floor": {"path": FLOOR_PATH, "method": "GET", "headers": {}, "body": None},
        "baseline": {
            "path": BASELINE_PATH,
            "method": "POST",
            "headers": json_headers,
            "body": body_factory(templates, f"BL{run_id}", seed=1),
        },
        "service": {
            "path": ORDER_PATH,
            "method": "POST",
            "headers": {**json_headers, "Authorization": f"Token {key}"},
            "body": body_factory(templates, f"SV{run_id}", seed=2),
        },
    }


def _prime(port: int, targets: dict[str, dict], names: list[str]) -> None:
    """A few requests per target on every worker before any timing: imports, URL resolving, first queries."""
    for name in names:
        target = targets[name]
        result = load_run(
            name=f"prime {name}",
            url_host="127.0.0.1",
            port=port,
            path=target["path"],
            method=target["method"],
            headers=target["headers"],
            body=target["body"],
            connections=4,
            duration=0.3,
            warmup=0.3,
        )
        if result.errors:
            fail(f"{name} fails before the measurement: {result.first_error}")


def _verify(results: dict[str, list[LoadResult]], run_id: str) -> dict:
    """Every 201 of the service stored an order with its lines, checks, flags and events."""
    from django.db import connection

    from flags.models import Flag
    from orders.models import CheckResult, Order, OrderEvent, OrderLine

    orders = Order.objects.filter(external_id__startswith=f"SV{run_id}-")
    counts = {
        "orders": orders.count(),
        "lines": OrderLine.objects.filter(order__in=orders).count(),
        "checks": CheckResult.objects.filter(order__in=orders).count(),
        "flags": Flag.objects.filter(order__in=orders).count(),
        "events": OrderEvent.objects.filter(order__in=orders).count(),
    }
    connection.close()
    return counts


def _stored(name: str) -> int | None:
    """Rows the target stores one per request (orders), counted before and after a round; None for the floor."""
    from django.db import connection

    from bench.baseline.models import BaselineOrder
    from orders.models import Order

    model = {"service": Order, "baseline": BaselineOrder}.get(name)
    count = model.objects.count() if model else None
    connection.close()
    return count


def _median_known(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return median(known) if known else None


def _capacity(costs: dict[str, list[dict]]) -> tuple[list[list[object]], dict]:
    """Medians over rounds of what one request cost the server and PostgreSQL, and what follows."""
    rows, summary = [], {}
    for name, runs in costs.items():
        runs = [run for run in runs if run.get("units")]
        if not runs:
            continue
        cpu = median([run["server_cpu_ms"] for run in runs])
        summary[name] = {
            "server_cpu_ms": round(cpu, 3),
            "per_core_per_second": round(1000 / cpu, 1) if cpu else 0.0,
            "postgresql_cpu_ms": median([run["postgresql_cpu_ms"] for run in runs]),
            "transactions": median([run["transactions"] for run in runs]),
            "wal_bytes": median([run["wal_bytes"] for run in runs]),
            "database_wal_bytes": _median_known([run.get("database_wal_bytes") for run in runs]),
        }
        s = summary[name]
        rows.append(
            [
                name,
                s["server_cpu_ms"],
                s["per_core_per_second"],
                s["postgresql_cpu_ms"],
                s["transactions"],
                "?" if s["database_wal_bytes"] is None else round(s["database_wal_bytes"]),
                round(s["wal_bytes"]),
            ]
        )
    return rows, summary


def _recheck_cost(run_id: str, count: int) -> dict:
    """What a re-check task asks of a worker per order it re-checks: ``order_recheck`` in-process on
    ``count`` of the run's open orders, CPU and wall time and queries each (a task's own overhead is a
    no-op task's, which ``bench.messages`` measures)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from orders.events import Actor
    from orders.models import EDITABLE_STATUSES, Order
    from orders.services.workflow import order_recheck

    ids = list(
        Order.objects.filter(external_id__startswith=f"SV{run_id}-", status__in=EDITABLE_STATUSES)
        .order_by("?")
        .values_list("id", flat=True)[:count]
    )
    if not ids:
        return {}
    with CaptureQueriesContext(connection) as captured:
        wall, cpu = time.perf_counter(), time.process_time()
        for order_id in ids:
            order_recheck(order_id=order_id, actor=Actor.system())
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    connection.close()
    return {
        "orders": len(ids),
        "cpu_ms": round(1000 * cpu / len(ids), 3),
        "wall_ms": round(1000 * wall / len(ids), 3),
        "queries": round(len(captured) / len(ids), 2),
    }


def _queued_rechecks() -> tuple[int, int]:
    """The re-check tasks waiting in Celery's queue (what intake published after commit, no worker
    running), and the orders they name."""
    import base64

    import redis
    from django.conf import settings

    if not settings.REDIS_URL:
        return 0, 0
    tasks = orders = 0
    for raw in redis.Redis.from_url(settings.REDIS_URL).lrange("celery", 0, -1):
        message = json.loads(raw)
        if message.get("headers", {}).get("task") == "orders.tasks.orders_recheck":
            args = json.loads(base64.b64decode(message["body"]))[0]
            tasks, orders = tasks + 1, orders + len(args[0])
    return tasks, orders


def _celery_purge() -> None:
    """Drop the re-check tasks intake published (no worker runs during the benchmark)."""
    from django.conf import settings

    if not settings.REDIS_URL:
        return
    from config.celery_app import app

    app.control.purge()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds per target and round")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="the table shows medians over rounds")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync as in production)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--targets", default="floor,baseline,service")
    parser.add_argument("--database-url", help="default: $BENCH_DATABASE_URL or " + "orderdesk_bench on 127.0.0.1")
    parser.add_argument("--redis-url", help="Celery's broker; default $BENCH_REDIS_URL or redis db 14; '' for none")
    parser.add_argument("--smoke", action="store_true", help="CI: prove it starts and works (a few seconds)")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.warmup, args.rounds = 1.0, 0.2, 1

    database = database_url(args.database_url)
    redis = redis_url(args.redis_url)
    django_setup(database, redis)
    key, templates = _prepare()
    info = machine()
    names = [name.strip() for name in args.targets.split(",") if name.strip()]

    ceiling = generator_ceiling(connections=args.connections, duration=0.5 if args.smoke else 2.0)
    print(
        f"load generator ceiling (trivial server, reconnect per request): {ceiling.rps:,.0f} req/s, "
        f"client CPU {ceiling.client_cpu:.0%}"
    )

    run_id = time.strftime("%H%M%S")
    targets = _targets(key, templates, run_id)
    server = Gunicorn(
        workers=args.workers, worker_class=args.worker_class, threads=args.threads, database=database, redis=redis
    )
    results: dict[str, list[LoadResult]] = {name: [] for name in names}
    costs: dict[str, list[dict]] = {name: [] for name in names}
    meter = None
    published = (0, 0)
    try:
        server.wait_ready()
        _prime(server.port, targets, names)
        meter = Meter(database, server.process.pid)
        for round_number in range(args.rounds):
            order = names if round_number % 2 == 0 else list(reversed(names))
            for name in order:
                target = targets[name]
                stored_before = _stored(name)
                before = meter.snapshot()
                result = load_run(
                    name=name,
                    url_host="127.0.0.1",
                    port=server.port,
                    path=target["path"],
                    method=target["method"],
                    headers=target["headers"],
                    body=target["body"],
                    connections=args.connections,
                    duration=args.duration,
                    warmup=args.warmup,
                )
                after = meter.snapshot()
                stored_after = _stored(name)
                units = result.answered if stored_before is None else stored_after - stored_before
                cost = meter.cost(before, after, units)
                results[name].append(result)
                costs[name].append(cost)
                print(
                    f"round {round_number + 1} {name:<9} {result.rps:8.1f} req/s"
                    f"  p50 {result.percentile(50):7.2f} ms  p99 {result.percentile(99):7.2f} ms"
                    f"  errors {result.errors}  client CPU {result.client_cpu:.0%}"
                    f"  | per request: server CPU {cost.get('server_cpu_ms', 0):.2f} ms,"
                    f" PostgreSQL CPU {cost.get('postgresql_cpu_ms', 0):.2f} ms,"
                    f" {cost.get('transactions', 0):.2f} PG transactions, WAL bytes"
                    f" {cost.get('database_wal_bytes') or 0:,.0f} (database) {cost.get('wal_bytes', 0):,.0f} (cluster)",
                    flush=True,
                )
    finally:
        if meter is not None:
            meter.close()
        server.stop()
        published = _queued_rechecks()
        _celery_purge()

    rows, summary = [], {}
    for name in names:
        runs = results[name]
        summary[name] = {
            "rps": median([r.rps for r in runs]),
            "p50_ms": median([r.percentile(50) for r in runs]),
            "p90_ms": median([r.percentile(90) for r in runs]),
            "p99_ms": median([r.percentile(99) for r in runs]),
            "errors": sum(r.errors for r in runs),
            "client_cpu": median([r.client_cpu for r in runs]),
        }
        s = summary[name]
        rows.append([name, s["rps"], s["p50_ms"], s["p90_ms"], s["p99_ms"], s["errors"], f"{s['client_cpu']:.0%}"])
    print()
    print(
        f"{args.connections} connections, {args.duration:g} s per target, medians of {args.rounds} round(s); "
        f"gunicorn {args.workers} × {args.worker_class}; {info['cores']} cores"
    )
    print(table(["target", "req/s", "p50 ms", "p90 ms", "p99 ms", "errors", "client CPU"], rows))

    capacity_rows, capacity = _capacity(costs)
    print(
        "\nwhat one request costs (medians of rounds; requests of the whole run, warm-up included): gunicorn's CPU,"
        " its PostgreSQL backends' CPU, transactions, WAL bytes of the bench database (pg_waldump; '?' when this"
        " process cannot read pg_wal) and of the whole cluster (other sessions' writes included)"
    )
    headers = ["target", "server CPU ms", "req/s per core", "PostgreSQL CPU ms", "transactions", "WAL B (db)"]
    headers.append("WAL B (cluster)")
    print(table(headers, capacity_rows))

    verdict = {}
    if "service" in summary and "baseline" in summary and summary["baseline"]["rps"]:
        throughput = summary["service"]["rps"] / summary["baseline"]["rps"]
        p99 = summary["service"]["p99_ms"] / summary["baseline"]["p99_ms"] if summary["baseline"]["p99_ms"] else 0.0
        verdict = {
            "throughput_ratio": round(throughput, 3),
            "p99_ratio": round(p99, 3),
            "throughput_target_met": throughput >= THROUGHPUT_TARGET,
            "p99_target_met": p99 <= P99_TARGET,
        }
        print(
            f"\nservice/baseline: throughput {throughput:.2f}× (target ≥ {THROUGHPUT_TARGET}×: "
            f"{'met' if verdict['throughput_target_met'] else 'MISSED'}), p99 {p99:.2f}× (target ≤ {P99_TARGET}×: "
            f"{'met' if verdict['p99_target_met'] else 'MISSED'})"
        )
    stored = _verify(results, run_id) if "service" in names else {}
    recheck = {}
    if stored:
        print(
            f"stored by the service in this run: {stored['orders']} orders, {stored['lines']} lines, "
            f"{stored['checks']} check results, {stored['flags']} flags, {stored['events']} events"
        )
        recheck = _recheck_cost(run_id, 20 if args.smoke else 200)
        _celery_purge()  # what the re-checks published
        tasks, rechecked = published
        recheck["tasks_per_order"] = round(tasks / stored["orders"], 3) if stored["orders"] else 0.0
        recheck["rechecks_per_order"] = round(rechecked / stored["orders"], 3) if stored["orders"] else 0.0
        print(
            f"re-check tasks published after commit: {tasks} naming {rechecked} orders, for {stored['orders']}"
            f" orders ({recheck['tasks_per_order']:.3f} tasks and {recheck['rechecks_per_order']:.3f} re-checks"
            f" per order); a re-check in-process: {recheck.get('cpu_ms', 0):.2f} ms"
            f" CPU, {recheck.get('wall_ms', 0):.2f} ms wall, {recheck.get('queries', 0):.1f} queries per order"
            f" re-checked ({recheck.get('orders', 0)} orders)"
        )
    path = results_write(
        "intake",
        {
            "machine": info,
            "settings": vars(args),
            "generator_ceiling": ceiling.summary(),
            "runs": {name: [r.summary() for r in runs] for name, runs in results.items()},
            "medians": summary,
            "costs": costs,
            "capacity": capacity,
            "verdict": verdict,
            "stored": stored,
            "recheck": recheck,
        },
    )
    print(f"written: {path.relative_to(BENCH_DIR.parent)}")

    errors = sum(s["errors"] for s in summary.values())
    if errors:
        first = next(r.first_error for runs in results.values() for r in runs if r.first_error)
        fail(f"{errors} failed requests; first: {first}")
    if "service" in names and stored.get("orders", 0) < sum(r.statuses.get(201, 0) for r in results["service"]):
        fail("the service answered 201 for orders it did not store")


if __name__ == "__main__":
    main()
