"""Where intake's time goes: the same request mix in-process (no HTTP server), under cProfile.

    python -m bench.profile                 # 300 orders: time and queries per request, then the profile
    python -m bench.profile --target baseline --orders 500 --sort tottime
    python -m bench.profile --compare /tmp/old-tree --orders 150 --rounds 4   # A/B: this tree against another

Prints the mean wall time, CPU time and SQL queries per request for a new buyer and for a repeat buyer
(one with earlier orders), by situation (slowest first), then the functions where the time goes. Runs on
the intake benchmark's database (adding orders, emptying nothing). ``--compare`` runs this script without
cProfile from this tree and from another checkout (the same database), alternating, and prints both.
"""

import argparse
import cProfile
import json
import os
import pstats
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.common import BENCH_DIR, database_url, django_setup, redis_url, table

# The project's own functions (not the virtualenv's, which lives under the same directory).
PROJECT_CODE = re.escape(str(BENCH_DIR.parent)) + "/(orders|flags|bench)/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--target", choices=["service", "baseline"], default="service")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime, …)")
    parser.add_argument("--limit", type=int, default=40, help="profile lines to print")
    parser.add_argument("--focus", default=PROJECT_CODE, help="only functions whose file matches (regex; '' for all)")
    parser.add_argument("--database-url")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--no-cprofile", action="store_true", help="time without cProfile (its overhead)")
    parser.add_argument("--json", action="store_true", help="print only the figures, as JSON (for --compare)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall", help="what cProfile counts")
    parser.add_argument(
        "--profile-buyers", choices=["all", "new", "repeat"], default="all", help="whose requests cProfile sees"
    )
    parser.add_argument("--compare", metavar="DIR", help="another checkout to run against, alternating")
    parser.add_argument("--rounds", type=int, default=4, help="with --compare: rounds of each tree")
    args = parser.parse_args()
    if args.smoke:
        args.orders, args.limit = 22, 10
    if args.compare:
        _compare(args)
        return

    # Celery publishes to Redis as in bench.intake (no worker; purged at the end), not eagerly in-process.
    django_setup(database_url(args.database_url), redis_url(None))
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.intake import BASELINE_PATH, ORDER_PATH, _celery_purge, _prepare, body_factory
    from orders import demo

    # The tables are not emptied: an intake benchmark may be running on the same database.
    key, templates = _prepare(empty=False)
    path = ORDER_PATH if args.target == "service" else BASELINE_PATH
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"} if args.target == "service" else {}
    client = Client()
    prefix = f"PROF{time.strftime('%H%M%S')}{os.getpid()}"
    body = body_factory(templates, prefix, seed=args.seed)
    buyers_seen = _buyers_with_orders()

    # Warm up: imports, caches (shop settings, flag categories), the first queries.
    for n in range(len(templates)):
        client.post(path, body(10_000_000 + n), content_type="application/json", **headers)

    times: dict[int, list[float]] = defaultdict(list)
    queries: dict[int, list[int]] = defaultdict(list)
    # "new" / "repeat" buyer -> (wall s, CPU s, queries) per request
    by_buyer: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    profiler = cProfile.Profile(clock) if not args.no_cprofile else None
    for n in range(args.orders):
        payload = body(n)
        # Every other cycle of the situations from buyers never seen (the pool of bench.intake fills up over
        # runs): new and repeat buyers send the same situations.
        if (n // len(templates)) % 2:
            data = json.loads(payload)
            data["customer"]["external_id"] += f"-{prefix}-{n}"
            payload = json.dumps(data, ensure_ascii=False).encode()
        buyer = json.loads(payload)["customer"]["external_id"]
        kind = "repeat" if buyer in buyers_seen else "new"
        buyers_seen.add(buyer)
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            profiled = profiler is not None and args.profile_buyers in ("all", kind)
            if profiled:
                profiler.enable()
            response = client.post(path, payload, content_type="application/json", **headers)
            if profiled:
                profiler.disable()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        if response.status_code not in (200, 201):
            raise SystemExit(f"HTTP {response.status_code}: {response.content[:300]!r}")
        situation = n % len(templates)
        times[situation].append(elapsed)
        queries[situation].append(len(captured))
        by_buyer[kind].append((elapsed, cpu, len(captured)))

    _celery_purge()
    summary = {kind: _means(rows) for kind, rows in by_buyer.items()}
    summary["all"] = _means([row for rows in by_buyer.values() for row in rows])
    if args.json:
        print(json.dumps(summary))
        return
    print(table(["buyer", "requests", "wall ms", "CPU ms", "queries"], _summary_rows(summary)))
    print()

    all_times = [t for ts in times.values() for t in ts]
    all_queries = [q for qs in queries.values() for q in qs]
    print(
        f"{args.target}: {len(all_times)} requests, mean {1000 * sum(all_times) / len(all_times):.2f} ms, "
        f"{sum(all_queries) / len(all_queries):.1f} queries per request (in-process, one client)"
    )
    print("\nby situation (slowest first):")
    for situation in sorted(times, key=lambda s: -sum(times[s]) / len(times[s])):
        label = demo.ORDERS[situation][0] if args.target == "service" else f"situation {situation}"
        mean_ms = 1000 * sum(times[situation]) / len(times[situation])
        print(f"  {mean_ms:7.2f} ms  {max(queries[situation]):3d} queries  {label}")
    print()
    if profiler is None:
        return
    stats = pstats.Stats(profiler).sort_stats(args.sort)
    if args.target == "service":
        print(table(["part of the service's request (cProfile, cumulative)", "share"], _phases(stats)))
        print()
    restrictions = [args.focus, args.limit] if args.focus else [args.limit]
    stats.print_stats(*restrictions)


def _buyers_with_orders() -> set[str]:
    from orders.models import Order

    return set(Order.objects.values_list("customer__external_id", flat=True).distinct())


def _means(rows: list[tuple[float, float, int]]) -> dict:
    n = len(rows) or 1
    return {
        "requests": len(rows),
        "wall_ms": 1000 * sum(r[0] for r in rows) / n,
        "cpu_ms": 1000 * sum(r[1] for r in rows) / n,
        "queries": sum(r[2] for r in rows) / n,
    }


def _summary_rows(summary: dict, label: str = "") -> list[list[str]]:
    return [
        [
            f"{label}{kind}",
            str(m["requests"]),
            f"{m['wall_ms']:.2f}",
            f"{m['cpu_ms']:.2f}",
            f"{m['queries']:.1f}",
        ]
        for kind, m in sorted(summary.items())
    ]


def _compare(args: argparse.Namespace) -> None:
    """This tree and ``args.compare`` in turn (fresh processes, no cProfile), ``args.rounds`` times each."""
    trees = {"this": BENCH_DIR.parent, "other": Path(args.compare).resolve()}
    results: dict[str, list[dict]] = defaultdict(list)
    for round_ in range(args.rounds):
        order = ["other", "this"] if round_ % 2 else ["this", "other"]
        for name in order:
            command = [sys.executable, "-m", "bench.profile", "--json", "--no-cprofile", "--orders", str(args.orders)]
            command += ["--seed", str(100 + round_), "--target", args.target]
            if args.database_url:
                command += ["--database-url", args.database_url]
            out = subprocess.run(command, cwd=trees[name], check=True, capture_output=True, text=True).stdout
            results[name].append(json.loads(out.strip().splitlines()[-1]))
            print(f"round {round_ + 1} {name}: {results[name][-1]['all']}", file=sys.stderr)
    rows = []
    for name in trees:
        kinds = {kind for result in results[name] for kind in result}
        for kind in sorted(kinds):
            runs = [r[kind] for r in results[name] if kind in r]
            total = sum(r["requests"] for r in runs) or 1
            rows.append(
                [
                    f"{name} ({trees[name]})",
                    kind,
                    str(total),
                    *(f"{sum(r[k] * r['requests'] for r in runs) / total:.2f}" for k in ("wall_ms", "cpu_ms")),
                    f"{sum(r['queries'] * r['requests'] for r in runs) / total:.1f}",
                ]
            )
    print(table(["tree", "buyer", "requests", "wall ms", "CPU ms", "queries"], rows))


# (label, file under the project, function): the parts of intake, as the profile sees them.
PHASES = [
    ("token authentication", "orders/api/authentication.py", "authenticate"),
    ("order_create (all of intake below)", "orders/services/intake.py", "order_create"),
    ("  customer upsert", "orders/services/intake.py", "customer_upsert"),
    ("  snapshot: the buyer's history", "orders/checks/snapshot.py", "order_snapshot"),
    ("  check engine", "orders/checks/base.py", "checks_run"),
    ("  flags for the findings", "flags/services.py", "flags_build_for_intake"),
    ("  the order's rows written", "orders/services/intake_rows.py", "intake_rows_insert"),
    ("input validation", "orders/api/reuse.py", "validate"),
    ("the response (detail_response)", "orders/api/views/common.py", "detail_response"),
    ("  the order fetched again (one query)", "orders/api/views/common.py", "order_or_404"),
    ("  rendering", "orders/api/reuse.py", "render"),
]


def _phases(stats: pstats.Stats) -> list[list[str]]:
    total = max((row[3] for row in stats.stats.values()), default=0.0)  # the outermost call's cumulative time
    root = str(BENCH_DIR.parent) + "/"
    rows = []
    for label, path, function in PHASES:
        cumulative = sum(
            row[3]
            for (filename, _line, name), row in stats.stats.items()
            if name == function and filename == root + path
        )
        rows.append([label, f"{100 * cumulative / total:5.1f} %" if total else "-"])
    return rows


if __name__ == "__main__":
    main()
