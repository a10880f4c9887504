"""Password guessing: the token endpoint's throttles and the admin's lockout, keyed on the client's address
as the trusted-proxy setting defines it (a spoofed X-Forwarded-For changes nothing)."""

import pytest

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def _token_attempt(client, username: str, password: str, **extra):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json", **extra
    )


def _admin_attempt(client, username: str, password: str, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra, follow=False
    )


def test_token_endpoint_throttles_a_client_that_rotates_x_forwarded_for(client):
    statuses = [
        _token_attempt(client, f"guess-{n}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(30)
    ]

    assert 429 in statuses
    assert statuses.index(429) <= 20


def test_token_endpoint_throttles_one_username_tried_from_many_addresses(client):
    statuses = [_token_attempt(client, "agent7", "wrong", REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(15)]

    assert statuses[0] == 400
    assert statuses[-1] == 429


def test_token_endpoint_trusts_x_forwarded_for_only_behind_the_configured_proxies(client, settings):
    settings.TRUSTED_PROXIES = 1
    statuses = [
        _token_attempt(client, f"guess-{n}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(25)
    ]

    # one trusted proxy: each request comes from another client, and none is throttled by address
    assert 429 not in statuses


def test_admin_login_locks_out_after_repeated_wrong_passwords_despite_rotated_x_forwarded_for(
    client, staff_user, settings
):
    staff_user("agents", username="agent7")
    limit = settings.AXES_FAILURE_LIMIT

    statuses = [
        _admin_attempt(client, "agent7", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(limit)
    ]
    locked = _admin_attempt(client, "agent7", "pw-12345678", HTTP_X_FORWARDED_FOR="203.0.113.200")

    assert statuses[:-1] == [200] * (limit - 1)  # the login form again, with its error
    assert statuses[-1] == 429
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_login_works_with_the_right_password_before_the_limit(client, staff_user, settings):
    staff_user("agents", username="agent7")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _admin_attempt(client, "agent7", "wrong").status_code == 200

    response = _admin_attempt(client, "agent7", "pw-12345678")

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_token_endpoint_answers_a_locked_out_account_with_429_json(client, staff_user, settings):
    staff_user("agents", username="agent7")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _admin_attempt(client, "agent7", "wrong")

    response = _token_attempt(client, "agent7", "pw-12345678")

    assert response.status_code == 429
    assert response.json()["code"] == "login_locked_out"


def test_gunicorn_binds_loopback_unless_told(monkeypatch):
    import importlib

    import config.gunicorn

    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    assert importlib.reload(config.gunicorn).bind == "127.0.0.1:8000"
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:8000")
    assert importlib.reload(config.gunicorn).bind == "0.0.0.0:8000"
