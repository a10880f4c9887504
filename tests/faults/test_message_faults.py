"""Messages to buyers through the real worker and beat while their processes are killed: every buyer
gets the message, and a second copy only ever carries the first one's Idempotency-Key."""

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.processes import wait_until
from tests.faults.shop import order_body
from tests.faults.stack import LEASE_SECONDS, Stack

pytestmark = pytest.mark.faults

ORDERS = 30
GATEWAY_DELAY = 0.5  # seconds per message: 30 take 7.5 s on two pool processes


def _post_orders(stack: Stack, prefix: str, count: int) -> None:
    """Post the orders from four storefront threads (each is confirmed at once and queues its message)."""
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda n: stack.post_order(order_body(f"{prefix}{n}")), range(count)))
    assert statuses == [201] * count, statuses


def _unsent(stack: Stack, prefix: str) -> int:
    return ORDERS - len({order for order, _key in stack.gateway_sends(prefix, "confirmation")})


def _gateway_figures(stack: Stack, prefix: str, kind: str, count: int, figures) -> None:
    """After the messages were sent: each order's buyer got its message, copies only under one key."""
    time.sleep(LEASE_SECONDS + 1)  # a late second copy would arrive within a lease
    sends = stack.gateway_sends(prefix, kind)
    keys_per_order: dict[str, set[str]] = defaultdict(set)
    for order, key in sends:
        keys_per_order[order].add(key)
    copies = len(sends) - len({key for _order, key in sends})
    figures("messages delivered", f"{len(keys_per_order)}/{count}")
    figures("lost", count - len(keys_per_order))
    figures("second copies (same key)", copies)
    figures("orders with two keys", sum(len(keys) > 1 for keys in keys_per_order.values()))
    assert len(keys_per_order) == count
    assert all(len(keys) == 1 for keys in keys_per_order.values()), keys_per_order


def _confirmations_in_flight(stack: Stack, prefix: str) -> None:
    """Confirmations going out through a slow gateway, the first ones sent."""
    stack.gateway.delay = GATEWAY_DELAY
    _post_orders(stack, prefix, ORDERS)
    wait_until(lambda: stack.gateway_sends(prefix, "confirmation"), 60, "the first sends")


def _all_delivered_once(stack: Stack, prefix: str, *, in_flight: int, since: str, figures) -> None:
    took = stack.wait_all_sent(prefix, "confirmation", ORDERS, timeout=120)
    figures("unsent when killed", in_flight)
    figures(f"all sent after {since} (s)", f"{took:.1f}")
    assert in_flight > 0  # the kill came while messages were still to send
    _gateway_figures(stack, prefix, "confirmation", ORDERS, figures)


def test_worker_sigkill_during_sends(live, figures):
    _confirmations_in_flight(live, "W-")

    # when: the worker (main process and pool) dies mid-send, and a new one starts
    live.worker.kill()
    in_flight = _unsent(live, "W-")
    live.worker_start()

    # then
    _all_delivered_once(live, "W-", in_flight=in_flight, since="the restart", figures=figures)


def test_redis_killed_with_messages_in_flight(live, figures):
    _confirmations_in_flight(live, "R-")

    # when: Redis dies with the queue in memory (no persistence) and comes back empty
    live.redis.kill()
    in_flight = _unsent(live, "R-")
    time.sleep(1)
    live.redis_start()

    # then: none lost, the outbox is the truth, not Redis
    _all_delivered_once(live, "R-", in_flight=in_flight, since="Redis is back", figures=figures)


def test_reminders_through_a_slow_gateway_go_out_once(live, figures):
    # given: reminders due now, a gateway taking a third of the lease per message
    count = 8
    live.gateway.delay = LEASE_SECONDS / 3
    live.shop("reminders", "M-", str(count), live.token)

    # when: beat's drain sends them while beat's sweeper runs every second
    took = live.wait_all_sent("M-", "return_policy_reminder", count, timeout=120)

    # then: the drain took longer than a lease, and no buyer got a second copy
    figures("drained in (s)", f"{took:.1f}")
    _gateway_figures(live, "M-", "return_policy_reminder", count, figures)
    assert len(live.gateway_sends("M-", "return_policy_reminder")) == count
