"""Where intake's time goes: the same request mix in-process (no HTTP server), under cProfile.

    python -m bench.profile                 # 300 orders: time and queries per request, then the profile
    python -m bench.profile --target baseline --orders 500 --sort tottime

Prints the mean time and the number of SQL queries per request (by situation, slowest first), then the
functions where the time goes. Runs on the intake benchmark's database (adding orders, emptying nothing).
"""

import argparse
import cProfile
import pstats
import re
import time
from collections import defaultdict

from bench.common import BENCH_DIR, database_url, django_setup, table

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
    args = parser.parse_args()
    if args.smoke:
        args.orders, args.limit = 22, 10

    django_setup(database_url(args.database_url), "")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.intake import BASELINE_PATH, ORDER_PATH, _prepare, body_factory
    from orders import demo

    # The tables are not emptied: an intake benchmark may be running on the same database.
    key, templates = _prepare(empty=False)
    path = ORDER_PATH if args.target == "service" else BASELINE_PATH
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"} if args.target == "service" else {}
    client = Client()
    body = body_factory(templates, f"PROF{time.strftime('%H%M%S')}", seed=3)

    # Warm up: imports, caches (shop settings, flag categories), the first queries.
    for n in range(len(templates)):
        client.post(path, body(10_000_000 + n), content_type="application/json", **headers)

    times: dict[int, list[float]] = defaultdict(list)
    queries: dict[int, list[int]] = defaultdict(list)
    profiler = cProfile.Profile()
    for n in range(args.orders):
        payload = body(n)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            profiler.enable()
            response = client.post(path, payload, content_type="application/json", **headers)
            profiler.disable()
            elapsed = time.perf_counter() - started
        if response.status_code not in (200, 201):
            raise SystemExit(f"HTTP {response.status_code}: {response.content[:300]!r}")
        situation = n % len(templates)
        times[situation].append(elapsed)
        queries[situation].append(len(captured))

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
    stats = pstats.Stats(profiler).sort_stats(args.sort)
    if args.target == "service":
        print(table(["part of the service's request (cProfile, cumulative)", "share"], _phases(stats)))
        print()
    restrictions = [args.focus, args.limit] if args.focus else [args.limit]
    stats.print_stats(*restrictions)


# (label, file under the project, function): the parts of intake, as the profile sees them.
PHASES = [
    ("token authentication", "orders/api/authentication.py", "authenticate"),
    ("order_create (all of intake below)", "orders/services/intake.py", "order_create"),
    ("  customer upsert", "orders/services/intake.py", "customer_upsert"),
    ("  snapshot: the buyer's history", "orders/checks/snapshot.py", "order_snapshot"),
    ("  check engine", "orders/checks/base.py", "checks_run"),
    ("  flags for the findings", "flags/services.py", "flags_build_for_intake"),
    ("  check results stored", "orders/services/intake.py", "intake_findings_store"),
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
