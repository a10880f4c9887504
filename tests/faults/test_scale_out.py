"""Two nodes, one database: two gunicorns and two Celery workers (each process with its own 5 s
storefront-token and catalogue caches) against one PostgreSQL and one Redis, as README "Running it for
real" deploys them. Under concurrent load through both nodes: no order made twice, no message or
reminder sent twice, no edit lost; two beats at once double no periodic job; a token revoked or a
product added elsewhere is honoured by every node within its cache time."""

import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import pytest

from orders.models.storefront import token_hash
from orders.services.tokens import TOKEN_CACHE_SECONDS
from tests.faults.processes import wait_until
from tests.faults.shop import order_body
from tests.faults.stack import Stack

pytestmark = pytest.mark.faults

CACHE_SECONDS = 5.0  # ORDERDESK_CATALOGUE_CACHE_SECONDS, the stack's default (config/settings/base.py)
CACHE_MARGIN = 1.5  # a request's own time and the poll's step: a stale answer later than this is a bug


@pytest.fixture(scope="module")
def nodes(stack: Stack):
    """Node B for this module's scenarios, stopped after them (the other scenarios run one node)."""
    yield stack
    stack.node_b_stop()


@pytest.fixture(scope="module")
def supervisor(nodes: Stack) -> str:
    return nodes.shop("staff").splitlines()[-1]


@pytest.fixture
def two(live: Stack, nodes: Stack) -> Stack:
    live.node_b_start()
    return live


def _ports(stack: Stack) -> tuple[int, int]:
    return stack.http_port, stack.http_port_b


def _sent_per_order(stack: Stack, prefix: str, kind: str) -> Counter:
    return Counter(order for order, _key in stack.gateway_sends(prefix, kind))


def _tasks_run(stack: Stack, task: str) -> tuple[int, int]:
    """How many ``task`` runs each worker's log records as succeeded since it started (node A, node B)."""
    pattern = f"Task orders.tasks.{task}["
    return tuple(  # type: ignore[return-value]
        sum(pattern in line and "succeeded" in line for line in worker.log().splitlines())
        for worker in (stack.worker, stack.worker_b)
    )


def test_one_order_posted_to_both_nodes_at_once(two, figures):
    # given: each order sent four times at once: with its Idempotency-Key and without, to each node
    count = 10
    barriers = [threading.Barrier(4) for _ in range(count)]
    attempts = [(n, port, keyed) for n in range(count) for port in _ports(two) for keyed in (True, False)]

    def post(attempt: tuple[int, int, bool]) -> int | None:
        n, port, keyed = attempt
        barriers[n].wait(30)
        return two.post_order(order_body(f"D-{n}"), key=f"D-key-{n}" if keyed else None, port=port, timeout=30)

    # when
    with ThreadPoolExecutor(8) as pool:
        statuses = Counter(pool.map(post, attempts))

    # then: one order each, one `received` event, one confirmation sent; the others were replays or 409
    orders = dict(two.sql("SELECT external_id, count(*) FROM orders_order WHERE external_id LIKE 'D-%' GROUP BY 1"))
    received = two.count(
        "SELECT count(*) FROM orders_orderevent e JOIN orders_order o ON o.id = e.order_id"
        " WHERE o.external_id LIKE 'D-%%' AND e.type = 'received'"
    )
    two.wait_all_sent("D-", "confirmation", count, timeout=60)
    time.sleep(1)
    sends = _sent_per_order(two, "D-", "confirmation")
    figures("answers", ", ".join(f"{n} × {status}" for status, n in sorted(statuses.items(), key=str)))
    figures("orders made", f"{sum(orders.values())} for {count} external ids")
    figures("confirmations sent", f"{sum(sends.values())} for {len(sends)} orders")
    assert orders == {f"D-{n}": 1 for n in range(count)}
    assert received == count
    assert set(statuses) <= {200, 201, 409}, statuses
    assert sends == {f"D-{n}": 1 for n in range(count)}


def test_messages_through_two_workers_go_out_once(two, figures):
    # given: confirmations from orders posted to both nodes, and reminders due, through a slow gateway
    count = 16
    two.gateway.delay = 0.2
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda n: two.post_order(order_body(f"C-{n}"), port=_ports(two)[n % 2]), range(count)))
    assert statuses == [201] * count, statuses
    reminders = 8
    two.gateway.delay = 1.0  # one drain of 8 would take 8 s: beat queues a new one every second, to either worker
    two.shop("reminders", "SR-", str(reminders), two.token)

    # when: both workers take the sends, and beat's drains overlap on both
    two.wait_all_sent("C-", "confirmation", count, timeout=90)
    took = two.wait_all_sent("SR-", "return_policy_reminder", reminders, timeout=90)
    time.sleep(2)

    # then: every buyer got one message, not one more
    confirmations = _sent_per_order(two, "C-", "confirmation")
    sent_reminders = _sent_per_order(two, "SR-", "return_policy_reminder")
    sends_by_worker = _tasks_run(two, "message_send")
    drains_by_worker = _tasks_run(two, "return_reminders_send_due")
    figures("message_send tasks (worker A, B)", sends_by_worker)
    figures("reminder drains run (worker A, B)", drains_by_worker)
    figures("reminders drained in (s)", f"{took:.1f}")
    figures("confirmations sent / orders", f"{sum(confirmations.values())}/{count}")
    figures("reminders sent / due", f"{sum(sent_reminders.values())}/{reminders}")
    assert all(sends_by_worker) and all(drains_by_worker)  # both workers did take part
    assert confirmations == {f"C-{n}": 1 for n in range(count)}
    assert sent_reminders == {f"SR-{n}": 1 for n in range(reminders)}


def test_two_beats_double_no_periodic_job(two, figures):
    # given: holds that have ended and unpaid orders past the shop's reminder time (placed days ago)
    count = 6
    bodies = [order_body(f"H-{n}") for n in range(count)]
    bodies += [{**order_body(f"U-{n}"), "payment_status": "unpaid"} for n in range(count)]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(two.post_order, bodies)) == [201] * 2 * count
    two.gateway.delay = 0.0

    # when: a second beat runs beside the first, each queueing every job every second to both workers
    two.beat_b.start()
    try:
        two.shop("holds", "H-")
        wait_until(
            lambda: (
                not two.count("SELECT count(*) FROM orders_order WHERE external_id LIKE 'H-%%' AND status = 'on_hold'")
            ),
            60,
            "the holds released",
        )
        two.wait_all_sent("U-", "payment_reminder", count, timeout=60)
        time.sleep(2)  # two more periods of both beats
    finally:
        two.beat_b.kill()

    # then: each hold released once, each unpaid buyer reminded once
    released = dict(
        two.sql(
            "SELECT o.external_id, count(*) FROM orders_orderevent e JOIN orders_order o ON o.id = e.order_id"
            " WHERE o.external_id LIKE 'H-%%' AND e.type = 'released' GROUP BY 1"
        )
    )
    reminded = _sent_per_order(two, "U-", "payment_reminder")
    figures("hold releases run (worker A, B)", _tasks_run(two, "holds_release_due"))
    figures("release events / held orders", f"{sum(released.values())}/{count}")
    figures("payment reminders sent / unpaid orders", f"{sum(reminded.values())}/{count}")
    assert released == {f"H-{n}": 1 for n in range(count)}
    assert reminded == {f"U-{n}": 1 for n in range(count)}


def _status_and_price_events(stack: Stack, order_id: int) -> tuple[list[dict], list[dict]]:
    rows = stack.sql("SELECT type, data FROM orders_orderevent WHERE order_id = %s ORDER BY id", [order_id])
    statuses = [data for _type, data in rows if isinstance(data.get("before"), str)]
    prices = [data for kind, data in rows if kind == "price_adjusted"]
    return statuses, prices


def test_concurrent_edits_through_both_nodes_lose_nothing(two, supervisor, figures):
    # given: one confirmed, paid order; a supervisor at each node (two browser tabs each)
    assert two.post_order(order_body("E-1")) == 201
    order_id = two.count("SELECT id FROM orders_order WHERE external_id = 'E-1'")
    start_total = two.count("SELECT total FROM orders_order WHERE id = %s", [order_id])
    rounds = 6
    answers: dict[str, Counter] = defaultdict(Counter)
    lock = threading.Lock()

    def agent(index: int) -> None:
        port = _ports(two)[index % 2]
        for n in range(rounds):
            edit = {"amount": "-1.00", "reason": f"优惠 {index}-{n}"}
            status, _body = two.call(
                "POST", f"/api/v1/orders/{order_id}/adjust-price/", edit, token=supervisor, port=port
            )
            action = "hold" if (index + n) % 2 else "release"
            body = {"reason": "等买家回复"} if action == "hold" else {}
            held, _body = two.call("POST", f"/api/v1/orders/{order_id}/{action}/", body, token=supervisor, port=port)
            with lock:
                answers["adjust-price"][status] += 1
                answers[action][held] += 1

    # when: four agents edit the price and hold/release it at once, through both nodes
    threads = [threading.Thread(target=agent, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    # then: every accepted edit is in the order, and each event starts where the one before it ended
    ((total, refund_due, status),) = two.sql(
        "SELECT total, refund_due, status FROM orders_order WHERE id = %s", [order_id]
    )
    status_events, price_events = _status_and_price_events(two, order_id)
    figures("answers", "; ".join(f"{a}: {dict(c)}" for a, c in sorted(answers.items())))
    figures("price edits recorded", len(price_events))
    figures("total before → after", f"{start_total} → {total}")
    assert answers["adjust-price"] == {200: 4 * rounds}
    assert set(answers["hold"]) | set(answers["release"]) <= {200, 409}, answers
    assert len(price_events) == 4 * rounds
    assert total == start_total - 4 * rounds and refund_due == 4 * rounds
    for before, after in pairwise(price_events):
        assert after["before"]["total"] == before["after"]["total"]
    assert price_events[-1]["after"]["total"] == f"{total:.2f}"
    held = sum(e["after"] == "on_hold" for e in status_events)
    released = sum(e["before"] == "on_hold" and e["after"] != "on_hold" for e in status_events)
    assert held == answers["hold"][200] and released == answers["release"][200]
    for before, after in pairwise(status_events):
        assert after["before"] == before["after"], status_events
    assert status_events[-1]["after"] == status


def test_stale_if_match_through_both_nodes_one_wins(two, supervisor, figures):
    # given
    assert two.post_order(order_body("V-1")) == 201
    order_id = two.count("SELECT id FROM orders_order WHERE external_id = 'V-1'")
    rounds = 8
    outcomes: Counter = Counter()

    # when: each round, one edit per node at once, both with the version just read
    for n in range(rounds):
        version = two.count("SELECT version FROM orders_order WHERE id = %s", [order_id])
        barrier = threading.Barrier(2)

        def edit(port: int, n: int = n, version: int = version, barrier: threading.Barrier = barrier) -> int | None:
            barrier.wait(10)
            return two.call(
                "POST",
                f"/api/v1/orders/{order_id}/adjust-price/",
                {"amount": "-1.00", "reason": f"改价 {n}"},
                token=supervisor,
                port=port,
                headers={"If-Match": f'"{version}"'},
            )[0]

        with ThreadPoolExecutor(2) as pool:
            round_statuses = sorted(pool.map(edit, _ports(two)), key=str)
        outcomes[tuple(round_statuses)] += 1

    # then: every round exactly one edit applied, the other told it is stale
    figures("rounds (statuses)", dict(outcomes))
    assert outcomes == {(200, 412): rounds}
    assert two.count("SELECT count(*) FROM orders_priceedit WHERE order_id = %s", [order_id]) == rounds


def _last_stale(polls: dict[str, object], changed_at: dict[str, float]) -> dict[str, tuple[int, float]]:
    """Poll each ``polls[name]()`` (true once that change shows) in turn until each showed on 6 answers
    in a row. Per name: how many answers were stale, and how long after ``changed_at[name]`` the last
    stale one's request was sent (0 when none was)."""
    found = dict.fromkeys(polls, (0, 0.0))
    in_a_row = dict.fromkeys(polls, 0)
    deadline = time.monotonic() + CACHE_SECONDS + 15
    while min(in_a_row.values()) < 6 and time.monotonic() < deadline:
        for name, poll in polls.items():
            sent_at = time.monotonic()
            if poll():
                in_a_row[name] += 1
            else:
                in_a_row[name] = 0
                found[name] = (found[name][0] + 1, sent_at - changed_at[name])
        time.sleep(0.05)
    assert min(in_a_row.values()) >= 6, f"a change never showed: {in_a_row}"
    return found


def test_changes_elsewhere_honoured_within_the_cache_time(two, supervisor, figures):
    # given: node B's processes remember a SKU as unknown and a second storefront's token as valid
    row = {"sku": "NEW-TEE-XL", "product_code": "TEE", "product_name": "纯棉T恤", "category": "apparel"}
    row |= {"size": "XL", "colour": "红色", "price": "99.00", "stock": 10, "return_policy": "apparel-7d"}
    line = {"sku": row["sku"], "size": "XL", "colour": "红色", "quantity": 1, "unit_price": "99.00"}
    key = two.shop("storefront", "faults-revoked").splitlines()[-1]
    counter = iter(range(10_000))

    def post_b(token: str | None = None, *, new_line: bool = False) -> tuple[int | None, object]:
        body = order_body(f"N-{next(counter)}")
        if new_line:
            body["lines"] = [line]
        return two.call("POST", "/api/v1/orders/", body, token=token, port=two.http_port_b)

    def unknown_sku(answer: tuple[int | None, object]) -> bool:
        status, body = answer
        assert status == 201, answer
        return any(check["code"] == "line.unknown_sku" for check in body["checks"])

    for _ in range(6):  # both of node B's gunicorn workers, most likely
        assert unknown_sku(post_b(new_line=True))
        assert post_b(key)[0] == 201

    # when: a supervisor adds the SKU through node A, and the token is revoked (the admin's action is
    # this UPDATE, and forgetting the token in its own process)
    status, body = two.call("POST", "/api/v1/catalog/variants/", [row], token=supervisor)
    assert status == 200, body
    changed_at = {"sku": time.monotonic()}
    two.sql("UPDATE orders_apitoken SET revoked_at = now() WHERE key_hash = %s RETURNING id", [token_hash(key)])
    changed_at["token"] = time.monotonic()
    found = _last_stale(
        {"sku": lambda: not unknown_sku(post_b(new_line=True)), "token": lambda: post_b(key)[0] == 401}, changed_at
    )

    # then: node B honoured both within its cache time
    figures("new SKU: stale answers, the last sent after (s)", f"{found['sku'][0]}, {found['sku'][1]:.1f}")
    figures("revoked token: accepted, the last sent after (s)", f"{found['token'][0]}, {found['token'][1]:.1f}")
    assert found["sku"][1] < CACHE_SECONDS + CACHE_MARGIN
    assert found["token"][1] < TOKEN_CACHE_SECONDS + CACHE_MARGIN
