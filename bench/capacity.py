"""What a unit of work costs the machine, for the capacity plan (bench/README.md): the CPU of a process
and its children (``/proc``), and PostgreSQL's committed transactions and WAL bytes.

``Meter`` takes a snapshot before and after a measured round, both with the server idle:

* CPU: user + system time of the server's processes (gunicorn's master and workers, or a Celery
  worker and its pool), from ``/proc/<pid>/stat``;
* transactions: ``xact_commit`` + ``xact_rollback`` of the bench database in ``pg_stat_database``.
  A backend reports them at most once a second, and one that went idle with some unreported may hold
  them for 10 s (PostgreSQL 15's idle interval): so the snapshot ends the bench database's client
  backends (a backend reports at exit; the servers' next request reconnects, as Django does after any
  broken connection) and waits until the counter stands still. Read from the ``postgres`` database,
  so the meter's own queries are not counted; autovacuum's would be (few). The caller closes its own
  connection to the bench database first;
* PostgreSQL's CPU: user + system time of the bench database's client backends, read just before the
  snapshot ends them: the backends of a round connected during it, so this is what serving the round
  cost PostgreSQL (the WAL writer, checkpointer and autovacuum, shared by every database, are not in it;
  reading another user's ``/proc/<pid>/stat`` needs the same user or root, else it counts 0);
* WAL: ``pg_current_wal_lsn()`` difference. WAL is the cluster's, not one database's: on a shared
  server it includes what other sessions wrote meanwhile; on a quiet server it is the benchmark's.
  Where this process may read the server's ``pg_wal`` (the same machine, as root or ``postgres``),
  ``pg_waldump`` of the round's range also gives the bench database's own share: the records of its
  relations (full-page images included) and the commit records of their transactions.
"""

import contextlib
import glob
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SETTLE_SECONDS = 1.2  # the transaction counter unchanged this long: every backend has reported
SETTLE_LIMIT_SECONDS = 15.0
_RECORD = re.compile(r"len \(rec/tot\):\s*\d+/\s*(\d+), tx:\s*(\d+),")
_RELATION_DATABASE = re.compile(r"rel \d+/(\d+)/")


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
    backends_cpu: float  # the bench database's client backends, since they connected


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
        """Once every backend of the database reported and the counter stood still for ``SETTLE_SECONDS``."""
        pids = [
            pid
            for (pid,) in self.connection.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = %s AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                [self.database],
            )
        ]
        backends_cpu = sum(cpu_seconds(pid) for pid in pids)
        for pid in pids:
            self.connection.execute("SELECT pg_terminate_backend(%s)", [pid])
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
            at=time.monotonic(),
            cpu=tree_cpu_seconds(self.server_pid),
            transactions=transactions,
            wal_lsn=wal,
            backends_cpu=backends_cpu,
        )

    def cost(self, before: Snapshot, after: Snapshot, units: int) -> dict:
        """Per unit of work: the server's and PostgreSQL's CPU (ms), transactions, WAL bytes (the cluster's,
        and the database's own when ``pg_waldump`` can read it); with totals."""
        if units <= 0:
            return {"units": units}
        database_wal = self.database_wal_bytes(before, after)
        return {
            "database_wal_bytes": None if database_wal is None else round(database_wal / units, 1),
            "units": units,
            "server_cpu_ms": round(1000 * (after.cpu - before.cpu) / units, 3),
            "postgresql_cpu_ms": round(1000 * after.backends_cpu / units, 3),
            "transactions": round((after.transactions - before.transactions) / units, 3),
            "wal_bytes": round((after.wal_lsn - before.wal_lsn) / units, 1),
            "server_cpu_s": round(after.cpu - before.cpu, 3),
            "wal_bytes_total": after.wal_lsn - before.wal_lsn,
        }

    def _waldump_setup(self) -> tuple[str, str, str] | None:
        """pg_waldump of the server's major version, its WAL directory and the bench database's OID, when
        this process can read them; else None (the cluster-wide figure stands alone)."""
        import psycopg

        try:  # data_directory is for superusers and pg_read_all_settings only
            version, directory, oid = self.connection.execute(
                "SELECT current_setting('server_version_num')::int / 10000, current_setting('data_directory'),"
                " (SELECT oid FROM pg_database WHERE datname = %s)",
                [self.database],
            ).fetchone()
        except psycopg.Error:
            return None
        found = glob.glob(f"/usr/lib/postgresql/{version}/bin/pg_waldump")
        wal = Path(directory) / "pg_wal"
        if not found or not os.access(wal, os.R_OK | os.X_OK):
            return None
        return found[0], str(wal), str(oid)

    def database_wal_bytes(self, before: Snapshot, after: Snapshot) -> int | None:
        """The bench database's own WAL between two snapshots (``pg_waldump``), or None when unreadable."""
        setup = self._waldump_setup()
        if setup is None or after.wal_lsn <= before.wal_lsn:
            return None
        waldump, wal, oid = setup
        lsn = [f"{value >> 32:X}/{value & 0xFFFFFFFF:X}" for value in (before.wal_lsn, after.wal_lsn)]
        result = subprocess.run(
            [waldump, "-p", wal, "-s", lsn[0], "-e", lsn[1]], capture_output=True, text=True, check=False
        )
        total, ours = 0, set()
        for line in result.stdout.splitlines():
            record = _RECORD.search(line)
            if record is None:
                continue
            size, transaction = int(record[1]), int(record[2])
            if oid in _RELATION_DATABASE.findall(line):
                total += size
                if transaction:
                    ours.add(transaction)
            elif transaction and transaction in ours:  # its commit record
                total += size
        return total

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.connection.close()
