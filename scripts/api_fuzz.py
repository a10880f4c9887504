"""``make api-fuzz``: schemathesis against the real service, as a storefront and as each staff role.

1. A fresh PostgreSQL database ($API_FUZZ_DATABASE_URL, dropped and created here), migrated and seeded
   with the demo shop (``seed_demo``), then one API token per role and real ids for the path parameters.
2. gunicorn with the production settings (config/gunicorn.py) on a free loopback port.
3. ``st run`` with every check, a fixed seed and $API_FUZZ_EXAMPLES examples per operation, once per role,
   with ``scripts/api_fuzz.toml`` and the path ids bound to the role's own order.

Prints one line per role and exits non-zero on any failure. Reports: $API_FUZZ_REPORT_DIR (ndjson, junit).
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ROLES = ("storefront", "agent", "supervisor", "warehouse")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/orderdesk_api_fuzz"


def fixtures() -> dict:
    """Run inside Django (``api_fuzz.py --fixtures``): a token per role and the ids each role fuzzes."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth.models import User

    from flags.models import Flag
    from orders.models import CheckResult, Order, Storefront
    from orders.services.tokens import staff_token_issue, storefront_token_issue

    storefront = Storefront.objects.get(name="demo-shop")
    # Each role gets its own pending order with an open warning and an open flag, so that one role's
    # cancel or confirm does not change what the next one sees.
    candidates = [
        order
        for order in Order.objects.filter(storefront=storefront, status="pending_confirmation").order_by("id")
        if CheckResult.objects.filter(order=order, status="open", severity="warning").exists()
        and Flag.objects.filter(order=order, cleared_at__isnull=True).exists()
    ]
    if len(candidates) < len(ROLES):
        raise SystemExit(f"the demo has {len(candidates)} orders with an open warning and a flag; need {len(ROLES)}")
    result = {}
    for role, order in zip(ROLES, candidates, strict=False):
        if role == "storefront":
            token = storefront_token_issue(storefront=storefront)
        else:
            token = staff_token_issue(user=User.objects.get(username=role))[0]
        check = CheckResult.objects.filter(order=order, status="open", severity="warning").order_by("id").first()
        flag = Flag.objects.filter(order=order, cleared_at__isnull=True).order_by("id").first()
        result[role] = {"token": token, "order_id": order.pk, "check_code": check.code, "flag_id": flag.pk}
    return result


def role_config(ids: dict) -> str:
    """scripts/api_fuzz.toml with the role's path ids bound, each of its type in the schema (a string
    ``{id}`` with a pattern, an integer ``{order_id}``): a value of another type reads as a negative case."""
    bound = {
        "path.id": json.dumps(str(ids["order_id"])),
        "path.order_id": ids["order_id"],
        "path.flag_id": json.dumps(str(ids["flag_id"])),
        "path.code": json.dumps(ids["check_code"]),
    }
    lines = [f'"{name}" = {value}' for name, value in bound.items()]
    return "[parameters]\n" + "\n".join(lines) + "\n\n" + (ROOT / "scripts" / "api_fuzz.toml").read_text()


def recreate_database(url: str) -> None:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"unexpected database name {name!r}")
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback URL built here)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")


def summary(output: str) -> tuple[int, int, str]:
    """(failures, errors, the closing line) from st run's output."""
    lines = [line.strip(" =") for line in output.strip().splitlines() if line.strip()]
    closing = lines[-1] if lines else ""
    failures = re.search(r"(\d+) failures?", closing)
    errors = re.search(r"(\d+) errors?", closing)
    return (int(failures.group(1)) if failures else 0), (int(errors.group(1)) if errors else 0), closing


def main() -> int:
    if "--fixtures" in sys.argv:
        print(json.dumps(fixtures()))
        return 0
    # Stopped (CI's time limit, Ctrl-C): still stop gunicorn in the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    database_url = os.environ.get("API_FUZZ_DATABASE_URL", DEFAULT_DATABASE_URL)
    port = int(os.environ.get("API_FUZZ_PORT") or free_port())
    examples = os.environ.get("API_FUZZ_EXAMPLES", "10")
    seed = os.environ.get("API_FUZZ_SEED", "20261127")
    roles = os.environ.get("API_FUZZ_ROLES", ",".join(ROLES)).split(",")
    report_dir = Path(os.environ.get("API_FUZZ_REPORT_DIR", ROOT / "api-fuzz-report"))
    report_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # Tasks run in-process and messages go to the console: the fuzzer needs no broker or worker.
        "REDIS_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": os.environ.get("API_FUZZ_WORKERS", "2"),
    }

    print(f"api-fuzz: database {urlparse(database_url).path.lstrip('/')}, port {port}")
    recreate_database(database_url)
    with (report_dir / "setup.log").open("w") as setup_log:
        quiet = {"stdout": setup_log, "stderr": setup_log, "env": env, "cwd": ROOT, "check": True}
        subprocess.run([BIN / "python", "manage.py", "migrate", "--noinput"], **quiet)  # noqa: S603
        subprocess.run([BIN / "python", "manage.py", "seed_demo"], **quiet)  # noqa: S603
        made = subprocess.run(  # noqa: S603
            [BIN / "python", __file__, "--fixtures"], env=env, cwd=ROOT, check=True, capture_output=True, text=True
        )
    per_role = json.loads(made.stdout.strip().splitlines()[-1])

    log = (report_dir / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [BIN / "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    failed = False
    try:
        schema_url = f"http://127.0.0.1:{port}/api/v1/schema/?format=json"
        wait_until_up(schema_url, server)
        for index, role in enumerate(roles):
            ids = per_role[role]
            # The token exchange takes no token: the same for every role, fuzzed once (each try hashes a
            # password, the slowest request there is).
            once = ["--exclude-operation-id", "auth_token_create"] if index else []
            started = time.monotonic()
            config = report_dir / f"{role}.toml"
            config.write_text(role_config(ids))
            run = subprocess.run(  # noqa: S603
                [
                    BIN / "st",
                    "--config-file",
                    config,
                    "run",
                    schema_url,
                    "--header",
                    f"Authorization: Token {ids['token']}",
                    "--checks",
                    "all",
                    "--seed",
                    seed,
                    "--max-examples",
                    examples,
                    "--report",
                    "junit,ndjson",
                    "--report-junit-path",
                    report_dir / f"{role}.junit.xml",
                    "--report-ndjson-path",
                    report_dir / f"{role}.ndjson",
                    *once,
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            (report_dir / f"{role}.txt").write_text(run.stdout + run.stderr)
            failures, errors, closing = summary(run.stdout)
            failed |= run.returncode != 0 or failures > 0 or errors > 0
            print(
                f"api-fuzz {role:<10} order {ids['order_id']:>3}: {failures} failures, {errors} errors "
                f"({time.monotonic() - started:.0f} s; {closing})"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    if failed:
        print(f"api-fuzz: FAILED; the details are in {report_dir}/<role>.txt")
        return 1
    print("api-fuzz: 0 failures for every role")
    return 0


if __name__ == "__main__":
    sys.exit(main())
