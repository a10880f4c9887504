"""Fail loudly, with one line per service, when PostgreSQL or Redis cannot be reached."""

import os
import sys
from urllib.parse import urlparse

import psycopg
import redis


def main() -> int:
    problems = []
    database_url = os.environ["DATABASE_URL"]
    parts = urlparse(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        problems.append(f"DATABASE_URL must point at PostgreSQL for the integration tests, not {parts.scheme}")
    else:
        try:
            psycopg.connect(
                host=parts.hostname,
                port=parts.port or 5432,
                user=parts.username or "postgres",
                password=parts.password,
                dbname="postgres",
                connect_timeout=3,
            ).close()
        except psycopg.Error as exc:
            problems.append(
                f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432}: "
                f"{str(exc).strip().splitlines()[0]}"
            )
    redis_url = os.environ["REDIS_URL"]
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        problems.append(f"Redis is not reachable at {redis_url}: {exc}")
    for problem in problems:
        print(f"error: {problem} (see README: Running the tests)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
