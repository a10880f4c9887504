"""Every response carries a Content-Security-Policy with no inline script, and the pages we serve (admin,
API docs, pick list; the buyer page in tests/orders/messaging) work under it: every inline <script> or
<style> carries the response's nonce, no element has an on…= handler, nothing loads from another host."""

import re
from html.parser import HTMLParser

import pytest

from orders.models import Variant
from tests.factories import order_payload

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


class _PageAudit(HTMLParser):
    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.problems += [f"<{tag} {name}=…>" for name in values if name.startswith("on")]
        for name in ("src", "href"):
            if re.match(r"(https?:)?//", values.get(name) or "") and tag in ("script", "link", "img"):
                self.problems.append(f"<{tag} {name}={values[name]}> from another host")
        inline_script = tag == "script" and "src" not in values and values.get("type") != "application/json"
        if (inline_script or tag == "style") and (self.nonce is None or values.get("nonce") != self.nonce):
            self.problems.append(f"<{tag}> without the response's nonce")


def assert_works_under_the_policy(response) -> None:
    """The page's markup runs under its own Content-Security-Policy header."""
    assert response.status_code == 200
    directives = _directives(response)
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    nonces = {value[len("'nonce-") : -1] for value in directives["script-src"] if value.startswith("'nonce-")}
    audit = _PageAudit(next(iter(nonces), None))
    audit.feed(response.content.decode())
    assert audit.problems == []


def test_json_responses_carry_the_policy_too(client):
    response = client.get("/api/v1/orders/")

    assert response.status_code == 401
    assert _directives(response)["default-src"] == ["'self'"]
    assert _directives(response)["frame-ancestors"] == ["'none'"]


def test_the_admin_login_works_under_the_policy(client):
    assert_works_under_the_policy(client.get("/admin/login/"))


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/orders/order/",
        "/admin/orders/abnormalorder/",
        "/admin/orders/confirmationqueue/",
        "/admin/orders/variant/",
        "/admin/orders/product/",
        "/admin/orders/message/",
    ],
)
def test_admin_lists_work_under_the_policy(admin_client, api, catalogue, url):
    api.post("/api/v1/orders/", order_payload(), format="json")

    assert_works_under_the_policy(admin_client.get(url))


def test_the_order_page_and_its_forms_work_under_the_policy(admin_client, api, catalogue):
    order = api.post("/api/v1/orders/", order_payload(), format="json").json()
    base = f"/admin/orders/order/{order['id']}"

    for url in (f"{base}/change/", f"{base}/edit/address/", f"{base}/price/", f"{base}/shipping-fee/"):
        assert_works_under_the_policy(admin_client.get(url))


def test_the_variant_page_works_under_the_policy(admin_client, catalogue):
    variant = Variant.objects.get(sku="TEE-RED-M")

    assert_works_under_the_policy(admin_client.get(f"/admin/orders/variant/{variant.pk}/change/"))


def test_the_pick_list_works_under_the_policy(admin_client, api, catalogue):
    order = api.post("/api/v1/orders/", order_payload(), format="json").json()

    assert_works_under_the_policy(admin_client.get("/admin/warehouse/pick-list/", {"ids": str(order["id"])}))


def test_the_api_docs_work_under_the_policy(client):
    page = client.get("/api/v1/docs/")
    script = client.get("/api/v1/docs/", {"script": ""})

    assert_works_under_the_policy(page)
    assert 'src="/api/v1/docs/?script=' in page.content.decode()
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_redoc_works_under_its_policy(client):
    response = client.get("/api/v1/redoc/")

    assert_works_under_the_policy(response)
    assert "blob:" in _directives(response)["worker-src"]
