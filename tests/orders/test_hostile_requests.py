"""What a hostile or broken client gets: a 4xx in the project's error shape, never a 500, and no ERROR in
the log (a client's mistake is not the service's)."""

import base64
import json
import logging

import pytest
from django.core.cache.backends.redis import RedisCache

from orders.api.throttling import ClientRateThrottle, UsernameRateThrottle
from tests.factories import order_payload

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders/"


@pytest.fixture
def no_error_logged(caplog):
    caplog.set_level(logging.WARNING)
    yield caplog
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def _post_raw(client, body: bytes | str, url: str = ORDERS):
    return client.generic("POST", url, body, content_type="application/json")


def test_a_ten_megabyte_body_is_413_json(api, no_error_logged):
    body = json.dumps({**order_payload(), "buyer_note": "x" * (10 * 1024 * 1024)})

    response = _post_raw(api, body)

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_a_ten_megabyte_form_to_the_admin_is_413(client, no_error_logged):
    response = client.generic(
        "POST", "/admin/login/", "a=" + "x" * (10 * 1024 * 1024), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 413


def test_json_nested_a_hundred_thousand_deep_is_400(api, no_error_logged):
    depth = 100_000

    response = _post_raw(api, "[" * depth + "]" * depth)

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_lone_surrogate_in_json_is_400(api, catalogue, no_error_logged):
    body = json.dumps(order_payload()).replace('"buyer-42"', '"buyer-\\ud800"')
    assert "\\ud800" in body

    response = _post_raw(api, body)

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_surrogate_pair_in_json_is_an_ordinary_character(api, catalogue, no_error_logged):
    body = json.dumps(order_payload(buyer_note="\U0001f600"))  # escaped as \ud83d\ude00

    assert _post_raw(api, body).status_code == 201


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        base64.b64encode(b"p=not-a-number").decode(),
        base64.b64encode(b"p=1\x00").decode(),
        base64.b64encode(b"o=-5&p=1").decode(),
    ],
)
def test_a_garbage_cursor_is_400(agent_api, cursor, no_error_logged):
    response = agent_api.get(ORDERS, {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["cursor"]


def test_a_real_cursor_still_pages(agent_api, api, catalogue):
    for n in range(3):
        assert _post_raw(api, json.dumps(order_payload(external_id=f"P-{n}"))).status_code == 201

    first = agent_api.get(ORDERS, {"page_size": 2}).json()
    second = agent_api.get(first["next"]).json()

    assert len(first["results"]) == 2
    assert len(second["results"]) == 1


def test_a_nul_in_the_admins_query_string_is_400(client, staff_user, no_error_logged):
    client.force_login(staff_user("agents"))

    response = client.get("/admin/orders/order/", {"status": "\x00"})

    assert response.status_code == 400


def test_a_nul_in_an_api_query_string_is_400_json(agent_api, no_error_logged):
    response = agent_api.get(ORDERS, {"customer": "a\x00b"})

    assert response.status_code == 400
    assert response.json()["fields"] == {"customer": [response.json()["fields"]["customer"][0]]}


def test_token_endpoint_answers_while_the_throttle_cache_is_down(client, staff_user, monkeypatch, caplog):
    # given: a cache whose Redis is not there (nothing listens on port 1)
    unreachable = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})
    monkeypatch.setattr(ClientRateThrottle, "cache", unreachable)
    monkeypatch.setattr(UsernameRateThrottle, "cache", unreachable)
    monkeypatch.setattr("orders.api.throttling._shared_cache_down", False)
    staff_user("agents", username="agent7")
    caplog.set_level(logging.WARNING)

    # when
    responses = [
        client.post(
            "/api/v1/auth/token/", {"username": "agent7", "password": "pw-12345678"}, content_type="application/json"
        )
        for _attempt in range(3)
    ]

    # then: it answers, and says once that it counts locally
    assert [r.status_code for r in responses] == [200, 200, 200]
    warnings = [r for r in caplog.records if r.name == "orders.api" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_token_endpoint_still_throttles_while_the_throttle_cache_is_down(client, monkeypatch):
    unreachable = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})
    monkeypatch.setattr(ClientRateThrottle, "cache", unreachable)
    monkeypatch.setattr(UsernameRateThrottle, "cache", unreachable)

    statuses = [
        client.post(
            "/api/v1/auth/token/", {"username": f"u{n}", "password": "x"}, content_type="application/json"
        ).status_code
        for n in range(25)
    ]

    assert statuses[-1] == 429


def test_a_refused_request_is_answered_in_the_clients_language(api, agent_api):
    body = json.dumps({**order_payload(), "buyer_note": "x" * (10 * 1024 * 1024)})

    english = api.generic("POST", ORDERS, body, content_type="application/json", headers={"Accept-Language": "en"})
    chinese = agent_api.get(ORDERS, {"customer": "\x00"})

    assert english.json()["message"].startswith("The request body is over")
    assert chinese.json()["message"] == "不允许包含空字符。"
