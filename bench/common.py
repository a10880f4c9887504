"""What the benchmark scripts share: their database, Django set up on the bench settings, the machine's
description, result files and tables."""

import contextlib
import json
import os
import platform
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/orderdesk_bench"
# Celery publishes here during the intake benchmark (no worker reads it; the queue is purged after).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


def database_url(explicit: str | None, *, suffix: str = "") -> str:
    """``--database-url``, else ``BENCH_DATABASE_URL`` (+ ``suffix`` on the database name), else the default."""
    if explicit:
        return explicit
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    if suffix:
        parts = urlsplit(url)
        url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))
    return url


def redis_url(explicit: str | None) -> str:
    """``--redis-url``, else ``BENCH_REDIS_URL``, else the default; '' (tasks go nowhere) when Redis is down."""
    url = explicit if explicit is not None else os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    if not url:
        return ""
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1).close()
    except OSError:
        print(f"note: Redis at {url} does not answer; Celery tasks are published in-process only", file=sys.stderr)
        return ""
    return url


def database_ensure(url: str) -> None:
    """Create the PostgreSQL database of ``url`` when it does not exist (benchmarks run on PostgreSQL only)."""
    import psycopg

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"the benchmarks run on PostgreSQL; got {url}")
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def django_setup(url: str, redis: str = "", *, settings: str = "bench.settings") -> None:
    """Django on the bench settings (or ``settings``) and ``url``, migrated."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ["DATABASE_URL"] = url
    os.environ["REDIS_URL"] = redis
    database_ensure(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def machine() -> dict:
    """Versions and hardware, for the result files and the README's table."""
    import django
    import rest_framework

    cpu = platform.processor()
    with contextlib.suppress(OSError):  # not Linux: platform's answer stands
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    info = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "drf": rest_framework.VERSION,
        "commit": _git("rev-parse", "--short", "HEAD"),
    }
    with contextlib.suppress(ImportError):  # the in-process benchmarks need no gunicorn
        import gunicorn

        info["gunicorn"] = gunicorn.__version__
    try:
        from django.db import connection

        connection.ensure_connection()
        info["postgresql"] = connection.connection.info.server_version
        connection.close()
    except Exception as exc:  # the machine description is best effort
        info["postgresql"] = f"unknown ({type(exc).__name__})"
    with contextlib.suppress(OSError):
        info["load_average"] = os.getloadavg()
    return info


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=BENCH_DIR, capture_output=True, text=True, check=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def results_write(kind: str, payload: dict) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{kind}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain-text table, right-aligned numbers."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = [
        "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths, strict=True)))
    ]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append(
            "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(row, widths, strict=True)))
        )
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.2f}"
    return str(value)


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(1)
