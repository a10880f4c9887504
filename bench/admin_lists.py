"""Admin order lists in-process: CPU and queries per page, a cProfile of one page, an A/B of the row rendering.

Runs on the database of ``bench.scale`` (generate it first, e.g. ``python -m bench.scale --orders 200000``:
the Python cost of a page does not depend on the row count). Pages are fetched with Django's test client
as a supervisor (who sees every column and action).

    python -m bench.admin_lists                          # every page: CPU ms and queries, A/B alternating
    python -m bench.admin_lists --profile "admin orders ?flag=red" --requests 30
"""

import argparse
import cProfile
import json
import pstats
import sys
import time
from contextlib import contextmanager
from statistics import median

from bench.common import database_url, django_setup, machine, results_write, table

PAGES = {
    "admin orders": "/admin/orders/order/",
    "admin orders ?flag=red": "/admin/orders/order/?flag=red",
    "admin confirmation queue": "/admin/orders/confirmationqueue/",
    "admin abnormal orders": "/admin/orders/abnormalorder/",
    "admin abnormal ?reason=logistics.stalled": "/admin/orders/abnormalorder/?reason=logistics.stalled",
}


def _client():
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from orders.roles import SUPERVISORS

    user = User.objects.filter(username="bench-supervisor").first()
    if user is None:
        user = User.objects.create_user(username="bench-supervisor", password=None, is_staff=True)
        user.groups.add(Group.objects.get(name=SUPERVISORS))
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


@contextmanager
def _variant(name: str):
    """``new``: the lists as they are; ``old``: Django admin's own rows (``orders.admin.rows`` steps aside)."""
    from orders.admin import rows

    if name == "new":
        yield
        return

    def unsupported(self, cl):
        raise rows.Unsupported

    built = rows.ListRows.__init__
    rows.ListRows.__init__ = unsupported
    try:
        yield
    finally:
        rows.ListRows.__init__ = built


def _get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return response


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured)


def ab(client, *, requests: int, rounds: int) -> list[dict]:
    """Per page and variant: median CPU and wall ms per request over ``rounds`` rounds, variants alternating."""
    results = []
    for name, url in PAGES.items():
        samples: dict[str, dict[str, list[float]]] = {v: {"cpu": [], "wall": []} for v in ("old", "new")}
        queries = {}
        bodies = {}
        for variant in ("old", "new"):
            with _variant(variant):
                bodies[variant] = _get(client, url).content  # warm
                queries[variant] = _queries(client, url)
        for number in range(rounds):
            for variant in ("old", "new") if number % 2 == 0 else ("new", "old"):
                with _variant(variant):
                    cpu_started, started = time.process_time(), time.perf_counter()
                    for _ in range(requests):
                        _get(client, url)
                    samples[variant]["cpu"].append((time.process_time() - cpu_started) * 1000 / requests)
                    samples[variant]["wall"].append((time.perf_counter() - started) * 1000 / requests)
        row = {"name": name, "url": url, "same_html": _normalised(bodies["old"]) == _normalised(bodies["new"])}
        for variant in ("old", "new"):
            row[f"{variant}_cpu_ms"] = median(samples[variant]["cpu"])
            row[f"{variant}_wall_ms"] = median(samples[variant]["wall"])
            row[f"{variant}_queries"] = queries[variant]
        results.append(row)
        print(f"{name}: old {row['old_cpu_ms']:.1f} ms CPU, new {row['new_cpu_ms']:.1f}", file=sys.stderr, flush=True)
    return results


def plain(client, *, requests: int) -> dict[str, dict]:
    """This tree as it is, no A/B inside (for alternating with another checkout): CPU ms and queries per page."""
    figures = {}
    for name, url in PAGES.items():
        _get(client, url)
        started = time.process_time()
        for _ in range(requests):
            _get(client, url)
        figures[name] = {"cpu_ms": (time.process_time() - started) * 1000 / requests, "queries": _queries(client, url)}
    return figures


def _normalised(body: bytes) -> bytes:
    """The page without what differs between any two requests (the CSRF token, the CSP nonce)."""
    import re

    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body)
    return re.sub(rb'nonce="[^"]*"', b"", body)


def profile(client, name: str, *, requests: int, sort: str, lines: int) -> None:
    url = PAGES.get(name, name)
    _get(client, url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        _get(client, url)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs().sort_stats(sort).print_stats(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10, help="requests per page, variant and round")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--profile", metavar="PAGE", help="cProfile this page (a name above or a URL)")
    parser.add_argument("--variant", choices=["old", "new"], default="new", help="the rendering profiled")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--plain", action="store_true", help="no A/B: this tree's CPU ms per page as JSON")
    parser.add_argument("--database-url", help="default: $BENCH_DATABASE_URL with _scale appended")
    args = parser.parse_args()

    django_setup(database_url(args.database_url, suffix="_scale"), "")
    client = _client()
    if args.profile:
        with _variant(args.variant):
            profile(client, args.profile, requests=args.requests, sort=args.sort, lines=args.lines)
        return
    if args.plain:
        print(json.dumps(plain(client, requests=args.requests)))
        return
    results = ab(client, requests=args.requests, rounds=args.rounds)
    rows = [
        [
            r["name"],
            r["old_cpu_ms"],
            r["new_cpu_ms"],
            r["new_cpu_ms"] / r["old_cpu_ms"],
            r["old_wall_ms"],
            r["new_wall_ms"],
            f"{r['old_queries']} / {r['new_queries']}",
            "yes" if r["same_html"] else "NO",
        ]
        for r in results
    ]
    headers = ["page", "old CPU ms", "new CPU ms", "new/old", "old wall ms", "new wall ms", "queries", "same HTML"]
    print(table(headers, rows))
    path = results_write("admin_lists", {"machine": machine(), "settings": vars(args), "pages": results})
    print(f"written: {path.relative_to(path.parents[2])}")


if __name__ == "__main__":
    main()
