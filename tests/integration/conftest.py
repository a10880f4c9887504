"""Integration tests run against real PostgreSQL and Redis, or fail: they never skip."""

import os

import pytest
from django.db import connection


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.fail(
            "integration tests need PostgreSQL: set DATABASE_URL=postgres://… (make test does); "
            f"got {connection.vendor}"
        )


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.fail("integration tests need Redis: set REDIS_URL=redis://… (make test does)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {url} is not reachable: {exc}")
    return url
