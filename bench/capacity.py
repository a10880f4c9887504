"""What a unit of work costs the machine, for the capacity plan (bench/README.md): the CPU of a process
and its children (``/proc``), and PostgreSQL's committed transactions and WAL bytes.

``Meter`` takes a snapshot before and after a measured round, both with the server idle:

* CPU: user + system time of the server's processes (gunicorn's master and workers, or a Celery
  worker and its pool), from ``/proc/<pid>/stat``;
* transactions: ``xact_commit`` + ``xact_rollback`` of the bench database in ``pg_stat_database``.
  Backends report these when a transaction ends at most once a second, and an idle one a little
  later: the snapshot waits until the counter stands still. Read from the ``postgres`` database, so
  the meter's own queries are not counted; autovacuum's would be (few);
* WAL: ``pg_current_wal_lsn()`` difference. WAL is the cluster's, not one database's: on a shared
  server it includes what other sessions wrote meanwhile; on a quiet server it is the benchmark's.
"""

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SETTLE_SECONDS = 1.2  # the transaction counter unchanged this long: every backend has reported
SETTLE_LIMIT_SECONDS = 15.0


def children(pid: int) -> list[int]:
    """The PIDs whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and its children so far (gunicorn's master and workers, a worker and its pool).
    A child that exited meanwhile takes its time with it: the servers measured keep theirs."""
    return cpu_seconds(pid) + sum(cpu_seconds(child) for child in children(pid))


@dataclass(frozen=True)
class Snapshot:
    at: float
    cpu: float
    transactions: int
    wal_lsn: int


class Meter:
    """Snapshots of the server's CPU and the database's transactions and WAL; ``cost`` divides a
    round's difference by the units of work it did."""

    def __init__(self, database_url: str, server_pid: int) -> None:
        import psycopg

        parts = urlsplit(database_url)
        self.database = parts.path.lstrip("/")
        self.server_pid = server_pid
        self.connection = psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)

    def _counters(self) -> tuple[int, int]:
        row = self.connection.execute(
            "SELECT xact_commit + xact_rollback, pg_current_wal_lsn() - '0/0'::pg_lsn"
            " FROM pg_stat_database WHERE datname = %s",
            [self.database],
        ).fetchone()
        return int(row[0]), int(row[1])

    def snapshot(self) -> Snapshot:
        """Once the database's transaction counter has stood still for ``SETTLE_SECONDS``."""
        started = time.monotonic()
        transactions, _wal = self._counters()
        still_since = time.monotonic()
        while time.monotonic() - still_since < SETTLE_SECONDS and time.monotonic() - started < SETTLE_LIMIT_SECONDS:
            time.sleep(0.2)
            now, _wal = self._counters()
            if now != transactions:
                transactions, still_since = now, time.monotonic()
        transactions, wal = self._counters()
        return Snapshot(
            at=time.monotonic(), cpu=tree_cpu_seconds(self.server_pid), transactions=transactions, wal_lsn=wal
        )

    @staticmethod
    def cost(before: Snapshot, after: Snapshot, units: int) -> dict:
        """Per unit of work: the server's CPU (ms), transactions, WAL bytes; with the totals."""
        if units <= 0:
            return {"units": units}
        return {
            "units": units,
            "server_cpu_ms": round(1000 * (after.cpu - before.cpu) / units, 3),
            "transactions": round((after.transactions - before.transactions) / units, 3),
            "wal_bytes": round((after.wal_lsn - before.wal_lsn) / units, 1),
            "server_cpu_s": round(after.cpu - before.cpu, 3),
            "wal_bytes_total": after.wal_lsn - before.wal_lsn,
        }

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.connection.close()
