"""The REST lists' cost per request, in-process: CPU and wall time per page, the auth share, a profile.

Runs on the data of ``bench.scale`` (generate it there first; 200,000 orders are enough: the Python cost
of a page does not depend on the row count, and its SQL takes under a millisecond). Each page is
requested ``--samples`` times per round, pages in turn, for ``--rounds`` rounds; the table gives medians
over rounds of the per-request CPU time (``time.process_time``: what a busy machine inflates least) and
wall time. ``--auth`` also times the authentication and permission step alone (DRF's ``initial``: the
token, the staff user's permissions), so that its share can be told from the list's own.
``--profile PAGE`` runs cProfile over ``--profile-requests`` requests of that page and prints the top
functions. ``--json`` prints one line of JSON (for comparing two trees of the code, alternating runs).
"""

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from statistics import median

from bench.common import database_url, django_setup, table
from bench.scale import _clients, _resolve

_CASES = "/api/v1/cases/"


def _rest_pages(clients) -> list[dict]:
    from orders.roles import AGENTS, WAREHOUSE

    warehouse, agent = clients[WAREHOUSE]["api"], clients[AGENTS]["api"]
    rest = "/api/v1/orders/"

    def page(name: str, client, url: str) -> dict:
        return {"name": name, "client": client, "url": url}

    return [
        page("orders (newest 50)", warehouse, rest),
        page("orders ?flag=red", warehouse, rest + "?flag=red"),
        page("orders ?flag=red, page 2", warehouse, "NEXT:" + rest + "?flag=red"),
        page("orders ?status=pending_confirmation", agent, rest + "?status=pending_confirmation"),
        page("orders ?has_blockers=true", agent, rest + "?has_blockers=true"),
        page("abnormal orders", agent, rest + "abnormal/"),
        page("cases", agent, _CASES),
    ]


def _auth_only(page: dict) -> float:
    """CPU ms of authenticating and checking permissions for one request of the page, alone: DRF's
    ``perform_authentication`` and ``check_permissions`` on a fresh view, as ``initial`` runs them."""
    from django.test import RequestFactory
    from django.urls import resolve
    from rest_framework.request import Request

    match = resolve(page["url"].split("?")[0])
    wsgi_request = RequestFactory(**page["client"].defaults).get(page["url"])
    started_cpu = time.process_time()
    view = match.func.cls(**match.func.initkwargs)
    view.action_map = match.func.actions
    view.action = match.func.actions.get("get")
    view.format_kwarg = None
    request = Request(wsgi_request, authenticators=view.get_authenticators())
    view.request = request
    view.perform_authentication(request)
    view.check_permissions(request)
    return (time.process_time() - started_cpu) * 1000


def measure(pages: list[dict], *, samples: int, rounds: int, auth: bool) -> list[dict]:
    for page in pages:
        page["url"] = _resolve(page)
        response = page["client"].get(page["url"])
        if response.status_code != 200:
            raise SystemExit(f"{page['name']}: HTTP {response.status_code} {response.content[:300]!r}")
        page["rounds"] = []
    for _round in range(rounds):
        for page in pages:
            cpu, wall, auth_cpu = [], [], []
            for _ in range(samples):
                started, started_cpu = time.perf_counter(), time.process_time()
                page["client"].get(page["url"])
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                if auth:
                    auth_cpu.append(_auth_only(page))
            page["rounds"].append((median(cpu), median(wall), median(auth_cpu) if auth else None))
    return [
        {
            "name": page["name"],
            "cpu_ms": round(median(r[0] for r in page["rounds"]), 3),
            "p50_ms": round(median(r[1] for r in page["rounds"]), 3),
            "auth_cpu_ms": round(median(r[2] for r in page["rounds"]), 3) if auth else None,
        }
        for page in pages
    ]


def profile(page: dict, *, requests: int, sort: str, top: int) -> str:
    page["url"] = _resolve(page)
    page["client"].get(page["url"])
    profiler = cProfile.Profile(time.process_time)  # CPU: waits on PostgreSQL do not count
    profiler.enable()
    for _ in range(requests):
        page["client"].get(page["url"])
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20, help="requests per page and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--auth", action="store_true", help="also time authentication and permissions alone")
    parser.add_argument("--page", action="append", help="only pages whose name contains this (repeatable)")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile this page instead of timing")
    parser.add_argument("--profile-requests", type=int, default=200)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--json", action="store_true", help="one line of JSON instead of the table")
    parser.add_argument("--database-url", help="default: $BENCH_DATABASE_URL with _scale appended")
    parser.add_argument("--smoke", action="store_true", help="CI: 2 requests per page, one round, with --auth")
    args = parser.parse_args()
    if args.smoke:
        args.samples, args.rounds, args.auth = 2, 1, True

    django_setup(database_url(args.database_url, suffix="_scale"), "")
    pages = _rest_pages(_clients())
    if args.page:
        pages = [page for page in pages if any(part in page["name"] for part in args.page)]
    if args.profile:
        chosen = [page for page in pages if page["name"] == args.profile]
        if not chosen:
            raise SystemExit(f"no page named {args.profile!r}: {[page['name'] for page in pages]}")
        print(profile(chosen[0], requests=args.profile_requests, sort=args.sort, top=args.top))
        return
    results = measure(pages, samples=args.samples, rounds=args.rounds, auth=args.auth)
    if args.json:
        print(json.dumps(results))
        return
    headers = ["page", "CPU ms", "p50 ms", "auth CPU ms"]
    print(table(headers, [[r["name"], r["cpu_ms"], r["p50_ms"], r["auth_cpu_ms"]] for r in results]))


if __name__ == "__main__":
    sys.exit(main())
