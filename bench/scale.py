"""Scale benchmark: a million realistic orders, then the lists people use every day, timed.

    python -m bench.scale                          # generate 1,000,000 orders once (minutes), then measure
    python -m bench.scale --orders 200000          # another size (regenerates when the count differs)
    python -m bench.scale --measure-only           # measure what is there
    python -m bench.scale --explain "admin orders ?flag=red"   # EXPLAIN ANALYZE of a page's slowest query
    python -m bench.scale --smoke                  # CI: 2,000 orders, a few samples per page

The generator first puts each situation of the seed manuals (``orders.demo.ORDERS``) through the real
intake, so every row it writes (order, lines, check results, flags, events) is what the service itself
stores; then it clones those rows with COPY: new ids, external ids, buyers, dates spread over the last
``--days`` days (ids grow with time), and statuses by age (recent orders wait for confirmation or ship,
older ones are delivered; a few are held or cancelled). Clean orders are ``--clean-share`` of the mix,
the other situations share the rest. Checks of confirmed and later orders are acknowledged or resolved,
as agents leave them; flags of cancelled orders are cleared.

Pages are timed in-process with Django's test client (no HTTP server: the time of Django, the ORM and
PostgreSQL), with the number of SQL queries each page runs.
"""

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from bench.common import database_url, django_setup, fail, machine, results_write, table
from bench.load import median, percentile

NULL = "\\N"
BATCH = 20_000  # orders per COPY batch
STOREFRONT = "scale-shop"
CLEAN_SITUATION = "干净的订单"


def _copy_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _ts(moment: datetime) -> str:
    return moment.isoformat(sep=" ")


class Progress:
    """A progress bar on stderr (one line per 10% when stderr is not a terminal)."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label = total, label
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.last_tenth = -1

    def update(self, done: int) -> None:
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed else 0.0
        eta = (self.total - done) / rate if rate else 0.0
        share = done / self.total if self.total else 1.0
        bar = "#" * int(30 * share)
        line = f"{self.label} [{bar:<30}] {share:4.0%} {done:,}/{self.total:,}  {rate:,.0f}/s  eta {eta:,.0f} s"
        if self.tty:
            sys.stderr.write("\r" + line)
            sys.stderr.flush()
        elif int(share * 10) != self.last_tenth:
            self.last_tenth = int(share * 10)
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\n")
        print(f"{self.label}: {self.total:,} in {time.monotonic() - self.started:,.1f} s", file=sys.stderr)


# --- the templates: real intake ---------------------------------------------------------------------


class TableRows:
    """A table's rows as COPY text fields, with the column positions by name."""

    def __init__(self, table_name: str, columns: list[str], rows: list[list[str]]) -> None:
        self.table = table_name
        self.columns = columns
        self.index = {name: i for i, name in enumerate(columns)}
        self.rows = rows

    def copy_sql(self) -> str:
        return f"COPY {self.table} ({', '.join(columns_quoted(self.columns))}) FROM STDIN"


def columns_quoted(columns: list[str]) -> list[str]:
    return [f'"{c}"' for c in columns]


def _export(cursor, table_name: str, where: str) -> TableRows:
    # Table names come from the models, never from input.
    cursor.execute(f"SELECT * FROM {table_name} LIMIT 0")  # noqa: S608
    columns = [d.name for d in cursor.description]
    with cursor.copy(f"COPY (SELECT * FROM {table_name} WHERE {where} ORDER BY id) TO STDOUT") as copy:  # noqa: S608
        data = b"".join(bytes(chunk) for chunk in copy).decode()
    rows = [line.split("\t") for line in data.split("\n") if line]
    return TableRows(table_name, columns, rows)


def _models():
    from flags.models import Flag
    from orders.models import CheckResult, Customer, Order, OrderEvent, OrderLine

    return {
        "customer": Customer,
        "order": Order,
        "line": OrderLine,
        "check": CheckResult,
        "flag": Flag,
        "event": OrderEvent,
    }


def _truncate() -> None:
    from django.db import connection

    from orders.models import Customer, IdempotencyKey, Order

    tables = [model._meta.db_table for model in (Order, Customer, IdempotencyKey)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def _templates() -> tuple[dict[str, TableRows], list[float]]:
    """Every seed situation through the real intake; their rows exported; the tables emptied again.
    Returns the rows and each template order's weight in the mix (same order as the order rows)."""
    from django.db import connection
    from rest_framework.exceptions import ValidationError

    from orders import demo
    from orders.api.idempotency import request_hash
    from orders.api.serializers import order_input
    from orders.models import Storefront
    from orders.services.catalog import catalog_upsert
    from orders.services.intake import order_create
    from orders.services.tokens import storefront_create

    _truncate()
    catalog_upsert(rows=demo.CATALOGUE)
    storefront = Storefront.objects.filter(name=STOREFRONT).first() or storefront_create(name=STOREFRONT)[0]
    labels = []
    for number, (label, customer, body) in enumerate(demo.ORDERS, start=1):
        payload = {
            "external_id": f"TEMPLATE-{number:04d}",
            "payment_status": "paid",
            "customer": demo.CUSTOMERS[customer],
            "buyer_note": label,
            **body,
        }
        try:
            data = order_input(payload)
        except ValidationError as error:
            fail(f"demo order {label} is not valid: {error.detail}")
        order_create(storefront=storefront, data=data, intake_hash=request_hash(payload))
        labels.append(label)

    models = _models()
    connection.ensure_connection()
    with connection.connection.cursor() as raw:
        rows = {
            "customer": _export(raw, models["customer"]._meta.db_table, "true"),
            "order": _export(raw, models["order"]._meta.db_table, "true"),
        }
        for key in ("line", "check", "flag", "event"):
            rows[key] = _export(raw, models[key]._meta.db_table, "true")
    _truncate()
    return rows, labels


# --- the generator ------------------------------------------------------------------------------------


def _status_for(age: timedelta, rng: random.Random) -> str:
    draw = rng.random()
    if age < timedelta(hours=48):
        table_ = [("pending_confirmation", 0.55), ("confirmed", 0.30), ("on_hold", 0.05), ("cancelled", 0.05)]
        fallback = "shipped"
    elif age < timedelta(days=7):
        table_ = [("shipped", 0.55), ("delivered", 0.30), ("confirmed", 0.08), ("on_hold", 0.02)]
        fallback = "cancelled"
    else:
        table_ = [("delivered", 0.95), ("cancelled", 0.04), ("on_hold", 0.002)]
        fallback = "shipped"
    for status, share in table_:
        if draw < share:
            return status
        draw -= share
    return fallback


CONFIRMED_OR_LATER = {"confirmed", "shipped", "delivered"}
COURIERS = ["STO", "ZTO", "YD"]


def generate(*, orders: int, days: int, clean_share: float, seed: int = 7) -> dict[str, int]:
    """Write ``orders`` orders (and their rows) with COPY; returns the row count per table."""
    from django.db import connection

    templates, labels = _templates()
    order_t, customer_t = templates["order"], templates["customer"]
    order_ids = [row[order_t.index["id"]] for row in order_t.rows]
    weights = [clean_share if label == CLEAN_SITUATION else (1 - clean_share) / (len(labels) - 1) for label in labels]
    children: dict[str, dict[str, list[list[str]]]] = {}
    for key in ("line", "check", "flag", "event"):
        rows = templates[key]
        by_order: dict[str, list[list[str]]] = {oid: [] for oid in order_ids}
        for row in rows.rows:
            by_order[row[rows.index["order_id"]]].append(row)
        children[key] = by_order
    customer_count = max(10, orders // 4)

    rng = random.Random(seed)
    now = datetime.now(UTC)
    start = now - timedelta(days=days)
    step = (now - start) / max(orders, 1)
    next_id = dict.fromkeys(children, 1)
    counts = {"customer": customer_count, "order": orders, "line": 0, "check": 0, "flag": 0, "event": 0}

    connection.ensure_connection()
    raw = connection.connection  # autocommit, as Django keeps it: each COPY commits its batch
    with raw.cursor() as cursor:
        # The rows are consistent by construction: skip the foreign-key triggers while loading (superuser).
        cursor.execute("SET session_replication_role = replica")
        progress = Progress(customer_count, "customers")
        for batch_start in range(0, customer_count, BATCH * 4):
            lines = []
            for number in range(batch_start + 1, min(batch_start + BATCH * 4, customer_count) + 1):
                row = list(customer_t.rows[number % len(customer_t.rows)])
                row[customer_t.index["id"]] = str(number)
                row[customer_t.index["external_id"]] = f"buyer-{number:07d}"
                lines.append("\t".join(row))
            with cursor.copy(customer_t.copy_sql()) as copy:
                copy.write("\n".join(lines) + "\n")
            progress.update(min(batch_start + BATCH * 4, customer_count))
        progress.close()

        progress = Progress(orders, "orders")
        for batch_start in range(0, orders, BATCH):
            buffers: dict[str, list[str]] = {key: [] for key in ("order", *children)}
            for number in range(batch_start + 1, min(batch_start + BATCH, orders) + 1):
                template = rng.choices(range(len(order_ids)), weights)[0]
                created = start + step * number
                status = _status_for(now - created, rng)
                _order_row(order_t, template, number, created, status, customer_count, rng, buffers["order"])
                template_id = order_ids[template]
                external_id = order_t.rows[template][order_t.index["external_id"]]
                for key, by_order in children.items():
                    t = templates[key]
                    for child in by_order[template_id]:
                        row = list(child)
                        row[t.index["id"]] = str(next_id[key])
                        next_id[key] += 1
                        row[t.index["order_id"]] = str(number)
                        if "created_at" in t.index:
                            row[t.index["created_at"]] = _ts(created)
                        if key == "check" and status in CONFIRMED_OR_LATER and row[t.index["status"]] == "open":
                            row[t.index["status"]] = (
                                "resolved" if row[t.index["severity"]] == "blocker" else "acknowledged"
                            )
                            row[t.index["resolved_at"]] = _ts(created + timedelta(hours=1))
                        if key == "flag" and status == "cancelled":
                            row[t.index["cleared_at"]] = _ts(created + timedelta(hours=2))
                        line = "\t".join(row)
                        if key == "event":
                            line = line.replace(external_id, f"GEN{number:09d}")
                        buffers[key].append(line)
            for key, lines in buffers.items():
                if not lines:
                    continue
                t = templates[key]
                with cursor.copy(t.copy_sql()) as copy:
                    copy.write("\n".join(lines) + "\n")
                if key != "order":
                    counts[key] += len(lines)
            progress.update(min(batch_start + BATCH, orders))
        progress.close()
        cursor.execute("SET session_replication_role = DEFAULT")
        for model in _models().values():
            db_table = model._meta.db_table
            sequence = f"pg_get_serial_sequence('{db_table}', 'id')"
            cursor.execute(f"SELECT setval({sequence}, COALESCE((SELECT MAX(id) FROM {db_table}), 1))")  # noqa: S608
    started = time.monotonic()
    with raw.cursor() as cursor:
        for model in _models().values():
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    print(f"vacuum analyze: {time.monotonic() - started:,.1f} s", file=sys.stderr)
    return counts


def _order_row(t: TableRows, template: int, number: int, created: datetime, status: str, customers: int, rng, out):
    row = list(t.rows[template])
    i = t.index
    row[i["id"]] = str(number)
    row[i["external_id"]] = f"GEN{number:09d}"
    row[i["customer_id"]] = str(rng.randrange(1, customers + 1))
    row[i["status"]] = status
    row[i["created_at"]] = _ts(created)
    row[i["placed_at"]] = _ts(created - timedelta(minutes=3))
    updated = created
    if status in CONFIRMED_OR_LATER:
        row[i["open_blockers"]] = row[i["open_warnings"]] = "0"
        updated = created + timedelta(hours=1)
        row[i["confirmed_at"]] = _ts(updated)
    if status in ("shipped", "delivered"):
        updated = created + timedelta(days=1)
        row[i["shipped_at"]] = _ts(updated)
        row[i["shipped_courier"]] = row[i["requested_courier"]] or COURIERS[number % 3]
        row[i["tracking_number"]] = f"77{number:010d}"
        if status == "shipped":  # no tracking news: stalled 3 days after shipping (the old ones are)
            row[i["stalled_after"]] = _ts(updated + timedelta(days=3))
    if status == "delivered":
        updated = created + timedelta(days=3)
        row[i["delivered_at"]] = _ts(updated)
    if status == "on_hold":
        row[i["hold_reason"]] = _copy_escape("买家要求延迟发货")
    row[i["updated_at"]] = _ts(updated)
    out.append("\t".join(row))


def _stored_count() -> int:
    from orders.models import Order

    return Order.objects.count()


# --- the measurements --------------------------------------------------------------------------------------


def _clients():
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from orders.roles import AGENTS, WAREHOUSE
    from orders.services.tokens import staff_token_issue

    clients = {}
    for role, name in ((WAREHOUSE, "bench-warehouse"), (AGENTS, "bench-agent")):
        user = User.objects.filter(username=name).first()
        if user is None:
            user = User.objects.create_user(username=name, password=None, is_staff=True)
            user.groups.add(Group.objects.get(name=role))
        key, _expires = staff_token_issue(user=user)
        api = Client(headers={"Authorization": f"Token {key}", "Accept-Language": "en"})
        admin = Client(headers={"Accept-Language": "en"})
        admin.force_login(user)
        clients[role] = {"api": api, "admin": admin}
    return clients


def _pages(clients) -> list[dict]:
    """What is timed: (name, client, URL, target p50 in ms or None)."""
    from orders.roles import AGENTS, WAREHOUSE

    warehouse, agent = clients[WAREHOUSE], clients[AGENTS]

    def page(name: str, client, url: str, target: int | None = None) -> dict:
        return {"name": name, "client": client, "url": url, "target": target}

    rest, admin = "/api/v1/orders/", "/admin/orders/order/"
    queue = "/admin/orders/confirmationqueue/"
    return [
        page("REST orders (newest 50)", warehouse["api"], rest),
        page("REST orders ?flag=red", warehouse["api"], rest + "?flag=red", 15),
        page("REST orders ?flag=red, page 2", warehouse["api"], "NEXT:" + rest + "?flag=red", 15),
        page("REST orders ?flag=purple", warehouse["api"], rest + "?flag=purple", 15),
        page("REST orders ?status=pending_confirmation", agent["api"], rest + "?status=pending_confirmation"),
        page("REST orders ?has_blockers=true", agent["api"], rest + "?has_blockers=true"),
        page("REST abnormal orders", agent["api"], rest + "abnormal/"),
        page("REST abnormal orders ?status=shipped", agent["api"], rest + "abnormal/?status=shipped"),
        page("admin orders", warehouse["admin"], admin),
        page("admin orders ?flag=red", warehouse["admin"], admin + "?flag=red", 150),
        page("admin orders ?flag=purple", warehouse["admin"], admin + "?flag=purple", 150),
        page(
            "admin orders ?status=confirmed&flag=red",
            warehouse["admin"],
            admin + "?status__exact=confirmed&flag=red",
            150,
        ),
        page("admin confirmation queue", agent["admin"], queue, 300),
        page("admin queue ?open_severity=blocker", agent["admin"], queue + "?open_severity=blocker", 300),
        page("admin abnormal orders", agent["admin"], "/admin/orders/abnormalorder/", 300),
        page(
            "admin abnormal ?reason=logistics.stalled",
            agent["admin"],
            "/admin/orders/abnormalorder/?reason=logistics.stalled",
            300,
        ),
    ]


def _resolve(page: dict) -> str:
    url = page["url"]
    if url.startswith("NEXT:"):
        first = page["client"].get(url.removeprefix("NEXT:"))
        following = first.json().get("next")
        if not following:
            return url.removeprefix("NEXT:")
        return following.removeprefix("http://testserver")
    return url


def measure(*, samples: int, rounds: int, explain: str | None) -> list[dict]:
    """Each page ``samples`` times per round, pages in turn, ``rounds`` rounds: medians over rounds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = _pages(_clients())
    for page in pages:
        page["url"] = _resolve(page)
        response = page["client"].get(page["url"])  # warm: URL resolving, templates, caches, buffers
        if response.status_code != 200:
            fail(f"{page['name']}: HTTP {response.status_code} {response.content[:300]!r}")
        with CaptureQueriesContext(connection) as captured:
            page["client"].get(page["url"])
        page["queries"] = list(captured.captured_queries)  # the next request clears Django's query log
        page["rounds"] = []
    for number in range(rounds):
        print(f"round {number + 1} of {rounds}: {len(pages)} pages × {samples} requests", file=sys.stderr, flush=True)
        for page in pages:
            times, cpu = [], []
            for _ in range(samples):
                started, started_cpu = time.perf_counter(), time.process_time()
                page["client"].get(page["url"])
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            page["rounds"].append((median(times), percentile(times, 95), median(cpu)))

    results = []
    for page in pages:
        slowest = max(page["queries"], key=lambda q: float(q["time"]), default={"sql": "", "time": "0"})
        result = {
            "name": page["name"],
            "url": page["url"],
            "p50_ms": median([r[0] for r in page["rounds"]]),
            "p95_ms": median([r[1] for r in page["rounds"]]),
            "p50_ms_by_round": [round(r[0], 2) for r in page["rounds"]],
            # Django's own CPU time (PostgreSQL's is not in it): what a busy machine inflates least.
            "python_cpu_ms": median([r[2] for r in page["rounds"]]),
            "queries": len(page["queries"]),
            "slowest_query_ms": float(slowest["time"]) * 1000,
            "target_ms": page["target"],
        }
        results.append(result)
        if explain and explain == page["name"]:
            _explain(slowest["sql"])
    return results


def _explain(sql: str) -> None:
    from django.db import connection

    print(f"\nslowest query:\n{sql}\n")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        for (line,) in cursor.fetchall():
            print(line)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365, help="the orders span this many days up to now")
    parser.add_argument("--clean-share", type=float, default=0.6, help="share of clean orders in the mix")
    parser.add_argument("--samples", type=int, default=10, help="timed requests per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="the table shows medians over rounds")
    parser.add_argument("--regenerate", action="store_true", help="generate even when the count matches")
    parser.add_argument("--measure-only", action="store_true")
    parser.add_argument("--explain", metavar="PAGE", help="EXPLAIN ANALYZE the slowest query of this page")
    parser.add_argument("--database-url", help="default: $BENCH_DATABASE_URL with _scale appended")
    parser.add_argument("--smoke", action="store_true", help="CI: 2,000 orders, 3 samples per page")
    args = parser.parse_args()
    if args.smoke:
        args.orders, args.samples, args.rounds, args.days = 2_000, 3, 1, 30

    django_setup(database_url(args.database_url, suffix="_scale"), "")
    counts = {}
    stored = _stored_count()
    if not args.measure_only and (args.regenerate or stored != args.orders):
        print(f"generating {args.orders:,} orders (the database holds {stored:,})", file=sys.stderr)
        started = time.monotonic()
        counts = generate(orders=args.orders, days=args.days, clean_share=args.clean_share)
        counts["seconds"] = round(time.monotonic() - started, 1)
        print(
            "generated: "
            + ", ".join(f"{value:,} {key}s" for key, value in counts.items() if key != "seconds")
            + f" in {counts['seconds']:,.0f} s",
            file=sys.stderr,
        )
    stored = _stored_count()
    print(f"measuring with {stored:,} orders: {args.samples} requests per page and round, {args.rounds} round(s)")
    results = measure(samples=args.samples, rounds=args.rounds, explain=args.explain)

    rows = []
    missed = []
    for r in results:
        verdict = ""
        if r["target_ms"]:
            met = r["p50_ms"] < r["target_ms"]
            verdict = f"< {r['target_ms']} {'met' if met else 'MISSED'}"
            if not met:
                missed.append(r["name"])
        rows.append(
            [r["name"], r["p50_ms"], r["p95_ms"], r["python_cpu_ms"], r["queries"], r["slowest_query_ms"], verdict]
        )
    print()
    headers = ["page", "p50 ms", "p95 ms", "Python CPU ms", "queries", "slowest SQL ms", "target p50 ms"]
    print(table(headers, rows))
    path = results_write(
        "scale",
        {"machine": machine(), "settings": vars(args), "orders": stored, "generated": counts, "pages": results},
    )
    print(f"written: {path.relative_to(path.parents[2])}")
    if missed:
        print("targets missed: " + "; ".join(missed))


if __name__ == "__main__":
    main()
