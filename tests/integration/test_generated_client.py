"""A client generated from the OpenAPI schema, as a storefront would generate it (openapi-python-client,
offline), creates an order, reads it, lists it by flag and confirms it against the live server. The
generated models parse every response strictly: where the schema lies (a null typed as a date, a field
marked required that is missing), this test breaks."""

import importlib
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from orders.services.tokens import staff_token_issue
from tests.factories import order_payload

# The live server needs committed rows; the serialized rollback puts back what the migrations seeded
# (roles, shop settings) for the transactional tests that run after this one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
TIMEOUT = httpx.Timeout(60.0)  # a busy CI machine, not a slow service
# No post hooks: the generated code is imported as it comes, nothing formats it (or needs the network).
GENERATOR_CONFIG = "post_hooks: []\npackage_name_override: orderdesk_client\nproject_name_override: orderdesk_client\n"


def generate_client(schema: str, where: Path):
    (where / "openapi.json").write_text(schema)
    (where / "config.yaml").write_text(GENERATOR_CONFIG)
    subprocess.run(
        [
            GENERATOR,
            "generate",
            "--path",
            where / "openapi.json",
            "--config",
            where / "config.yaml",
            "--meta",
            "none",
            "--output-path",
            where / "orderdesk_client",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sys.path.insert(0, str(where))
    try:
        return importlib.import_module("orderdesk_client")
    finally:
        sys.path.remove(str(where))


def test_a_generated_client_creates_reads_lists_and_confirms_an_order(
    live_server, tmp_path, storefront_and_key, staff_user, catalogue
):
    # given: the schema as the service publishes it, and a client generated from it
    schema = httpx.get(
        f"{live_server.url}/api/v1/schema/?format=json", headers={"Accept-Language": "en"}, timeout=TIMEOUT
    )
    assert schema.status_code == 200
    client_package = generate_client(schema.text, tmp_path)
    api = importlib.import_module("orderdesk_client.api.orders")
    models = importlib.import_module("orderdesk_client.models")
    for name in (
        "orders_create",
        "orders_retrieve",
        "orders_list",
        "orders_checks_acknowledge_create",
        "orders_confirm_create",
        "orders_messages_list",
    ):
        importlib.import_module(f"orderdesk_client.api.orders.{name}")
    storefront = client_package.AuthenticatedClient(
        base_url=live_server.url,
        token=storefront_and_key[1],
        prefix="Token",
        raise_on_unexpected_status=True,
        timeout=TIMEOUT,
    )
    agent_key, _ = staff_token_issue(user=staff_user("agents", username="agent-generated"))
    agent = client_package.AuthenticatedClient(
        base_url=live_server.url, token=agent_key, prefix="Token", raise_on_unexpected_status=True, timeout=TIMEOUT
    )

    # when: a storefront creates an order that promises SF (a red flag and a warning to read back)
    body = models.OrderCreateRequest.from_dict(order_payload(special_requests={"courier": "SF"}))
    created = api.orders_create.sync_detailed(client=storefront, body=body)

    # then: every step parses into the generated models
    assert created.status_code == 201
    order = created.parsed
    assert isinstance(order, models.OrderDetail)
    assert order.shipment.shipped_at is None

    read = api.orders_retrieve.sync(id=str(order.id), client=agent)
    assert isinstance(read, models.OrderDetail) and read.id == order.id

    red = api.orders_list.sync(client=agent, flag=models.OrdersListFlag.RED)
    assert isinstance(red, models.PaginatedOrderListList)
    assert order.id in [row.id for row in red.results]

    version = read.version
    for check in read.checks:
        if check.severity == "warning" and check.status == "open":
            acknowledged = api.orders_checks_acknowledge_create.sync(
                id=str(order.id),
                code=check.code,
                client=agent,
                body=models.AcknowledgeRequest(note="已与买家核对"),
                if_match=f'"{version}"',
            )
            assert isinstance(acknowledged, models.OrderDetail)
            version = acknowledged.version
    confirmed = api.orders_confirm_create.sync(id=str(order.id), client=agent, if_match=f'"{version}"')
    assert isinstance(confirmed, models.OrderDetail)
    assert confirmed.status == "confirmed"
    assert all(check.resolved_at is not None for check in confirmed.checks if check.severity == "warning")

    # the storefront's outbox list (no last_error) parses too
    messages = api.orders_messages_list.sync(order_id=order.id, client=storefront)
    assert messages and all(isinstance(message, models.StaffMessageOutput) for message in messages)
