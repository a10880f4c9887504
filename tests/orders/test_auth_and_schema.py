"""Staff tokens, the OpenAPI schema and docs, and the language of the API and admin."""

import pytest
from django.utils import timezone

from orders.models import ApiToken

pytestmark = pytest.mark.django_db


def test_staff_token_endpoint_returns_a_working_expiring_token(client, staff_user):
    staff_user("agents", username="agent7")

    response = client.post(
        "/api/v1/auth/token/", {"username": "agent7", "password": "pw-12345678"}, content_type="application/json"
    )

    assert response.status_code == 200
    key = response.json()["token"]
    assert key.startswith("st_")
    assert client.get("/api/v1/orders/", headers={"Authorization": f"Token {key}"}).status_code == 200
    assert ApiToken.objects.get().expires_at > timezone.now()


def test_staff_token_wrong_password_is_400_json(client, staff_user):
    staff_user("agents", username="agent7")

    response = client.post(
        "/api/v1/auth/token/", {"username": "agent7", "password": "wrong"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert ApiToken.objects.count() == 0


def test_staff_token_missing_fields_is_400_with_fields(client):
    response = client.post("/api/v1/auth/token/", {}, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"username", "password"}


def test_expired_staff_token_is_refused(client, staff_user):
    staff_user("agents", username="agent7")
    key = client.post(
        "/api/v1/auth/token/", {"username": "agent7", "password": "pw-12345678"}, content_type="application/json"
    ).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now())

    assert client.get("/api/v1/orders/", headers={"Authorization": f"Token {key}"}).status_code == 401


def test_schema_is_served_and_names_the_contract(client):
    response = client.get("/api/v1/schema/", headers={"Accept": "application/json"})

    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    assert "/api/v1/orders/" in text
    assert "/api/v1/catalog/variants/" in text
    assert schema is None or schema["openapi"].startswith("3")


def test_interactive_docs_are_served_without_a_cdn(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"cdn.jsdelivr" not in response.content


def test_api_errors_speak_chinese_by_default_and_english_on_request(client):
    chinese = client.get("/api/v1/orders/")
    english = client.get("/api/v1/orders/", headers={"Accept-Language": "en"})

    assert chinese.json()["message"] != english.json()["message"]
    assert "credentials" in english.json()["message"]


def test_schema_generates_without_warnings_and_validates():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=StringIO())

    assert "openapi: 3" in out.getvalue()
