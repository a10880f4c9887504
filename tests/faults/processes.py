"""The fault suite's own processes: a PostgreSQL cluster and a redis-server on ports of their own,
gunicorn, a Celery worker and beat. Each is started, killed and restarted by its PID (its process
group), never by name: the shared PostgreSQL and Redis of the machine are never touched."""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def wait_until(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.05) -> float:
    """Poll ``condition`` until it is true; returns the seconds it took, fails with ``what`` after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False


def postgres_bindir() -> Path:
    """The newest PostgreSQL server binaries on this machine; fails loudly when there are none."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    found = Path(candidates[-1]).parent if candidates else None
    if found is None and shutil.which("initdb") and shutil.which("pg_ctl"):
        found = Path(shutil.which("initdb")).parent
    if found is None:
        raise RuntimeError("the fault suite needs PostgreSQL's server binaries (initdb, pg_ctl): none found")
    return found


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("the fault suite needs redis-server on the PATH: not found")
    return found


class PostgresCluster:
    """A throw-away cluster (initdb) in ``directory``, owned by the ``postgres`` user when run as root."""

    def __init__(self, *, port: int, directory: Path) -> None:
        self.port = port
        self.directory = directory
        self.data = directory / "data"
        self.log = directory / "postgresql.log"
        self.bindir = postgres_bindir()
        self.owner = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.owner:
            command = ["runuser", "-u", self.owner, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def create(self) -> None:
        """A fresh cluster; a leftover one from an earlier run (still running or not) is stopped and removed."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.directory, ignore_errors=True)
        if port_open(self.port):
            raise RuntimeError(f"port {self.port} is taken: set FAULTS_PG_PORT to a free one")
        self.directory.mkdir(parents=True)
        if self.owner:
            entry = pwd.getpwnam(self.owner)
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()

    def start(self, *, wait: bool = True) -> None:
        """Start the cluster; with ``wait`` False, return at once (the caller polls ``accepts_connections``)."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c max_connections=60"
        waiting = ["-w", "-t", "60"] if wait else ["-W"]
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, *waiting, "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)

    def accepts_connections(self) -> bool:
        result = subprocess.run(
            [str(self.bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"], check=False
        )
        return result.returncode == 0

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class Process:
    """One long-running process in a session (process group) of its own, logging to a file."""

    def __init__(self, name: str, command: list[str], *, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.log_dir = log_dir
        self.popen: subprocess.Popen | None = None
        self.log_path = log_dir / f"{name}.log"
        self.starts = 0

    def start(self) -> "Process":
        self.starts += 1
        self.log_path = self.log_dir / f"{self.name}-{self.starts}.log"
        with self.log_path.open("w") as log:
            self.popen = subprocess.Popen(
                self.command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        (self.log_dir / f"{self.name}.pid").write_text(str(self.popen.pid))
        return self

    def kill_leftover(self) -> None:
        """Kill the process group an interrupted earlier run left (its PID file names it), if that PID
        still runs this command."""
        pid_file = self.log_dir / f"{self.name}.pid"
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text())
        with contextlib.suppress(OSError):
            if self.command[0].encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.killpg(pid, signal.SIGKILL)
        pid_file.unlink()

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (a Celery worker's pool, gunicorn's workers) and reap it."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=20)
        if self.alive():
            os.killpg(self.pid, signal.SIGKILL)
            self.popen.wait(timeout=20)

    def wait_ready(self, ready: Callable[[], bool], timeout: float = 60) -> None:
        wait_until(lambda: ready() or not self.alive(), timeout, f"{self.name} to start")
        if not self.alive():
            raise AssertionError(f"{self.name} exited at start:\n{self.log()[-3000:]}")


def redis_process(*, port: int, log_dir: Path, env: dict[str, str]) -> Process:
    """No persistence, as the worst case: a killed redis-server comes back empty."""
    command = [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    return Process("redis", [*command, "--dir", str(log_dir)], env=env, log_dir=log_dir)


def gunicorn_process(*, port: int, log_dir: Path, env: dict[str, str], name: str = "gunicorn") -> Process:
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2", "GUNICORN_TIMEOUT": "30"}
    command = [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"]
    return Process(name, command, env=env, log_dir=log_dir)


def celery_process(kind: str, *, log_dir: Path, env: dict[str, str], name: str | None = None) -> Process:
    """A worker (node name ``<name>@host``) or a beat (schedule file ``<name>-schedule``); ``name``
    defaults to ``kind``, and tells a second node's processes, logs and PID files apart."""
    name = name or kind
    if kind == "worker":
        node = "faults" if name == "worker" else f"faults-{name}"
        args = ["worker", "--concurrency", "2", "-n", f"{node}@%h", "--without-gossip", "--without-mingle"]
    else:
        args = ["beat", "-s", str(log_dir / f"{name}-schedule"), "--max-interval", "1"]
    return Process(name, [str(BIN / "celery"), "-A", "config", *args, "--loglevel=INFO"], env=env, log_dir=log_dir)


def children(pid: int) -> list[int]:
    """The PIDs whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def pid_with_local_port(pids: list[int], port: int) -> int | None:
    """Which of ``pids`` owns the TCP socket bound to local ``port`` (the PostgreSQL client of a request)."""
    inodes: set[str] = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port:
            inodes.add(fields[9])
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").glob("*"):
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return pid
    return None
