"""The order detail every REST action answers with: its load and rendering, in-process, A/B in the same run.

``prefetch`` is the load the actions used before (the order with its customer and storefront, then one query
per relation: open flags, lines, checks, events, price edits, merged orders; the tracking news of a shipped
order); ``one query`` is ``orders.selectors.order_detail_fetch`` (the relations as JSON columns of the order's
row). Both render through ``OrderDetailSerializer``; the script first checks that they render the same bodies.
The rounds alternate which goes first; CPU is ``time.process_time`` (the machine is shared), wall time as well.

Reads the newest ``--orders`` orders of the bench database: run ``bench.profile`` once first to have some.
"""

import argparse
import statistics
import sys
import time

from bench.common import database_url, django_setup, machine, results_write, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--database-url")
    parser.add_argument("--smoke", action="store_true", help="5 orders, 2 rounds")
    args = parser.parse_args()
    if args.smoke:
        args.orders, args.rounds = 5, 2
    django_setup(database_url(args.database_url), "")

    from django.db import connection, reset_queries
    from django.db.models import Prefetch
    from django.test.utils import CaptureQueriesContext

    from flags.selectors import open_flags_prefetch
    from orders.api.output import OrderDetailSerializer
    from orders.api.reuse import render
    from orders.models import CheckResult, Order, OrderEvent, OrderLine, PriceEdit
    from orders.selectors import order_detail_fetch

    prefetching = Order.objects.select_related("customer", "storefront").prefetch_related(
        open_flags_prefetch(),
        Prefetch("lines", queryset=OrderLine.objects.order_by("position", "id")),
        Prefetch("checks", queryset=CheckResult.objects.select_related("resolved_by").order_by("id")),
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor").order_by("id")),
        Prefetch("price_edits", queryset=PriceEdit.objects.select_related("actor").order_by("id")),
        "merged_orders",
    )
    loaders = {
        "prefetch": lambda pk: prefetching.filter(pk=pk).first(),
        "one query": lambda pk: order_detail_fetch(Order.objects.all(), pk),
    }
    ids = list(Order.objects.order_by("-id").values_list("id", flat=True)[: args.orders])
    if not ids:
        sys.exit("No orders in the bench database: run `python -m bench.profile` first.")
    context = {"mask_pii": False}
    for pk in ids:
        bodies = [render(OrderDetailSerializer, load(pk), context=context) for load in loaders.values()]
        if bodies[0] != bodies[1]:
            sys.exit(f"Order {pk}: the two loads render different bodies.")

    measured: dict[str, list[tuple[float, float, int]]] = {name: [] for name in loaders}
    for number in range(args.rounds):
        names = list(loaders) if number % 2 == 0 else list(reversed(loaders))
        for name in names:
            reset_queries()  # Django keeps the last 9,000 queries only: count each round from zero
            cpu, wall = time.process_time(), time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                for pk in ids:
                    render(OrderDetailSerializer, loaders[name](pk), context=context)
            measured[name].append((time.process_time() - cpu, time.perf_counter() - wall, len(captured)))

    rows, summary = [], {}
    for name, runs in measured.items():
        cpu_ms = statistics.median(run[0] for run in runs) / len(ids) * 1000
        wall_ms = statistics.median(run[1] for run in runs) / len(ids) * 1000
        queries = runs[0][2] / len(ids)
        summary[name] = {"cpu_ms": round(cpu_ms, 3), "wall_ms": round(wall_ms, 3), "queries": queries}
        rows.append([name, f"{queries:.1f}", f"{cpu_ms:.2f}", f"{wall_ms:.2f}"])
    ratios = [round(new[0] / old[0], 2) for old, new in zip(measured["prefetch"], measured["one query"], strict=True)]
    print(table(["load + render", "queries/order", "CPU ms/order", "wall ms/order"], rows))
    print(f"CPU one query / prefetch, per round: {ratios}")
    path = results_write(
        "detail", {"machine": machine(), "orders": len(ids), "rounds": args.rounds, **summary, "cpu_ratios": ratios}
    )
    print(f"written to {path}")


if __name__ == "__main__":
    main()
