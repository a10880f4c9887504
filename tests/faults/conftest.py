"""The fault suite (``make faults``): it starts its own PostgreSQL cluster, Redis, gunicorn, Celery
worker and beat, kills and restarts them by PID, and asserts figures, printed at the end.

Its tests are marked ``faults`` and run only when asked for (``-m faults``): ``make test`` leaves them
out. Missing PostgreSQL binaries or redis-server fail the run; nothing is skipped.

Ports: ``FAULTS_PG_PORT`` (5441) and ``FAULTS_REDIS_PORT`` (6391); gunicorn takes a free one. Logs of
every process stay in ``FAULTS_DIR`` (default ``$TMPDIR/orderdesk-faults-<PostgreSQL port>``), where
the next run finds what an interrupted one left (the cluster, PID files) and removes it first.
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.stack import Stack

FIGURES: list[tuple[str, str, str]] = []


def pytest_collection_modifyitems(config, items):
    if "faults" in (config.option.markexpr or ""):
        return
    selected = [item for item in items if "tests/faults/" not in str(item.fspath)]
    if len(selected) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in selected])
        items[:] = selected


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    width = max(len(scenario) for scenario, _figure, _value in FIGURES)
    figure_width = max(len(figure) for _scenario, figure, _value in FIGURES)
    terminalreporter.section("fault suite figures")
    terminalreporter.write_line(f"{'scenario':<{width}}  {'figure':<{figure_width}}  value")
    for scenario, figure, value in FIGURES:
        terminalreporter.write_line(f"{scenario:<{width}}  {figure:<{figure_width}}  {value}")


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    pg_port = int(os.environ.get("FAULTS_PG_PORT", "5441"))
    directory = Path(os.environ.get("FAULTS_DIR") or Path(tempfile.gettempdir()) / f"orderdesk-faults-{pg_port}")
    running = Stack(pg_port=pg_port, redis_port=int(os.environ.get("FAULTS_REDIS_PORT", "6391")), directory=directory)
    try:
        running.up()
        yield running
    finally:
        running.down()


@pytest.fixture
def live(stack) -> Stack:
    """The whole stack running, whatever the scenario before this one killed."""
    stack.ensure_running()
    return stack


@pytest.fixture
def figures(request):
    """``figures(name, value)`` records a figure of this scenario for the table at the end."""
    scenario = request.node.name.removeprefix("test_")

    def record(name: str, value: object) -> None:
        FIGURES.append((scenario, name, str(value)))

    return record
