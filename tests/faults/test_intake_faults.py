"""Order intake through gunicorn while PostgreSQL restarts or a gunicorn worker dies mid-request:
no accepted order lost or doubled, and a keyed retry after a crash makes exactly one order."""

import os
import signal
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tests.factories import order_payload
from tests.faults.processes import children, pid_with_local_port, wait_until
from tests.faults.shop import order_body
from tests.faults.stack import DATABASE

pytestmark = pytest.mark.faults

CLIENTS = 2  # one per gunicorn worker: the recovery measured is PostgreSQL's, not a queue's
RECOVERY_LIMIT_SECONDS = 2.0
RACERS = 50


def test_postgresql_restart_under_intake_load(live, figures):
    # given: storefronts posting orders; each retries a failed POST with the same key, as the API asks
    stop = threading.Event()
    lock = threading.Lock()
    accepted: list[tuple[str, float]] = []
    failures: list[object] = []
    latencies: list[float] = []

    def storefront(index: int) -> None:
        number = 0
        while not stop.is_set():
            external_id = f"P-{index}-{number}"
            number += 1
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                sent_at = time.monotonic()
                status = live.post_order(order_body(external_id), key=f"key-{external_id}")
                if status in (200, 201):
                    with lock:
                        accepted.append((external_id, time.monotonic()))
                        latencies.append(time.monotonic() - sent_at)
                    break
                with lock:
                    failures.append(status)
                time.sleep(0.05)

    threads = [threading.Thread(target=storefront, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(3)

    # when: PostgreSQL stops as in a crash (immediate: no checkpoint, recovery from the WAL) and starts
    live.cluster.stop("immediate")
    stopped_at = time.monotonic()
    live.cluster.start(wait=False)
    wait_until(live.cluster.accepts_connections, 60, "PostgreSQL to accept connections")
    back_at = time.monotonic()
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join(60)

    # then
    ids = [external_id for external_id, _at in accepted]
    stored = dict(
        live.sql("SELECT external_id, count(*) FROM orders_order WHERE external_id LIKE %s GROUP BY 1", ["P-%"])
    )
    lost = [external_id for external_id in ids if external_id not in stored]
    duplicated = [external_id for external_id, count in stored.items() if count > 1]
    after = [at for _id, at in accepted if at > back_at]
    recovery = min(after) - back_at if after else float("inf")
    figures("orders accepted (2xx)", len(ids))
    figures("median 2xx latency (s)", f"{statistics.median(latencies):.2f}")
    figures("failed attempts while down", len(failures))
    figures("down for (s)", f"{back_at - stopped_at:.1f}")
    figures("accepted orders lost", len(lost))
    figures("orders duplicated", len(duplicated))
    figures("first 2xx after accepting connections (s)", f"{recovery:.2f}")
    assert ids and not lost and not duplicated
    assert len(stored) >= len(set(ids))
    assert recovery < RECOVERY_LIMIT_SECONDS


def _backend_waiting_on_a_lock(connection: psycopg.Connection) -> int | None:
    """The client port of a backend of the stack's database waiting on a lock (the stalled request)."""
    row = connection.execute(
        "SELECT client_port FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", [DATABASE]
    ).fetchone()
    return row[0] if row else None


def test_keyed_retry_after_a_gunicorn_worker_sigkill(live, figures):
    # given: a keyed POST stalled mid-request (its buyer's row locked by another transaction)
    body = order_payload(external_id="G-1", customer={"external_id": "buyer-G"}, buyer_note="")
    assert live.post_order({**body, "external_id": "G-0"}) == 201
    answers: list[int | None] = []
    with psycopg.connect(live.cluster.url(DATABASE)) as locker, psycopg.connect(live.cluster.url(DATABASE)) as watch:
        watch.autocommit = True
        locker.execute("SELECT 1 FROM orders_customer WHERE external_id = 'buyer-G' FOR UPDATE")
        first = threading.Thread(target=lambda: answers.append(live.post_order(body, key="G-key", timeout=30)))
        first.start()
        wait_until(lambda: _backend_waiting_on_a_lock(watch), 30, "the request to reach the locked row")
        worker = pid_with_local_port(children(live.gunicorn.pid), _backend_waiting_on_a_lock(watch))
        assert worker is not None

        # when: that gunicorn worker is SIGKILLed, then the storefront retries with the same key
        os.kill(worker, signal.SIGKILL)
        first.join(30)
        locker.rollback()
    started = time.monotonic()
    retries: list[int | None] = []
    while time.monotonic() - started < 20 and (not retries or retries[-1] not in (200, 201)):
        retries.append(live.post_order(body, key="G-key"))
        time.sleep(0.2)
    replay = live.post_order(body, key="G-key")

    # then
    orders = live.count("SELECT count(*) FROM orders_order WHERE external_id = 'G-1'")
    figures("answer to the killed request", answers[0] if answers else "none")
    figures("retries until the order", f"{len(retries)} ({', '.join(map(str, retries[-3:]))})")
    figures("orders made", orders)
    assert answers != [201]
    assert retries[-1] == 201, retries
    assert replay == 201
    assert orders == 1


def test_fifty_racing_keyed_posts_make_one_order(live, figures):
    # given
    body = order_body("K-1")
    start = threading.Barrier(RACERS)

    def post(_index: int) -> int | None:
        start.wait(30)
        return live.post_order(body, key="K-key", timeout=60)

    # when: the same keyed POST fifty times at once, through gunicorn's workers
    with ThreadPoolExecutor(RACERS) as pool:
        statuses = Counter(pool.map(post, range(RACERS)))

    # then: one order; the others were told it is in progress (409) or got its replay (201)
    orders = live.count("SELECT count(*) FROM orders_order WHERE external_id = %s", ["K-1"])
    figures("answers", ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items(), key=str)))
    figures("orders made", orders)
    assert orders == 1
    assert set(statuses) <= {201, 409}, statuses
    assert statuses[201] >= 1
