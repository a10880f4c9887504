"""Running the same call from many threads at once, each on its own database connection; the test
database's URL for the processes a test starts."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def database_url_of_tests() -> str:
    """The URL of pytest's test database, for the processes a test starts (a worker, a client)."""
    db = connections["default"].settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def run_concurrently(count: int, call: Callable[[int], Any], timeout: float = 60) -> list[Any]:
    """Start ``count`` threads that wait at a barrier, then all run ``call(index)`` at once.

    Returns the results in index order; an exception in a thread is returned as its result.
    """
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = call(index)
        except BaseException as exc:  # handed back to the test to assert on
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
