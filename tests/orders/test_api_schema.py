"""The OpenAPI schema tells the truth: real responses validate against it, every operation lists its
errors, and what the schema allows or refuses is what the service allows or refuses."""

import json
import re

import jsonschema
import pytest
from django.test import Client

from config import gunicorn
from orders.api.schema import IF_MATCH_SCHEMA, NON_BLANK_TEXT_PATTERN, TEXT_PATTERN
from tests.factories import SHANGHAI_WORK
from tests.orders.helpers import act, create_order

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(Client().get("/api/v1/schema/?format=json").content)


def _json_schema(node):
    """OpenAPI 3.0's ``nullable`` as JSON Schema's null type, so that jsonschema can judge responses."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def assert_matches(schema: dict, component: str, body, many: bool = False) -> None:
    target = {"$ref": f"#/components/schemas/{component}"}
    document = {
        **({"type": "array", "items": target} if many else target),
        "components": _json_schema(schema["components"]),
    }
    jsonschema.Draft7Validator(document).validate(body)


def test_order_detail_with_nothing_shipped_or_resolved_matches_the_schema(schema, api, catalogue):
    order = create_order(api, placed_at=None, customer={"default_address": SHANGHAI_WORK})

    # shipment.shipped_at / delivered_at, checks[].resolved_at and placed_at are null here
    assert order["shipment"]["shipped_at"] is None and order["checks"][0]["resolved_at"] is None
    assert_matches(schema, "OrderDetail", order)
    assert_matches(schema, "OrderDetail", api.get(f"/api/v1/orders/{order['id']}/").json())


def test_message_lists_and_the_resend_match_the_schema(schema, api, agent_api, catalogue):
    order = create_order(api)
    resent = agent_api.post(
        f"/api/v1/orders/{order['id']}/messages/resend/",
        data={"kind": "confirmation", "reason": "买家没收到"},
        format="json",
    )
    assert resent.status_code == 201, resent.content

    assert_matches(schema, "StaffMessageOutput", resent.json())
    storefront_rows = api.get(f"/api/v1/orders/{order['id']}/messages/").json()
    assert storefront_rows and "last_error" not in storefront_rows[0]
    assert_matches(schema, "StaffMessageOutput", storefront_rows, many=True)
    assert_matches(schema, "StaffMessageOutput", agent_api.get(f"/api/v1/orders/{order['id']}/messages/").json(), True)


def test_every_operation_lists_its_errors_with_the_error_body(schema):
    documented = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented[operation["operationId"]] = set(operation["responses"])
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/ErrorOutput", (path, method, status)

    assert {"400", "401", "403", "409", "413", "415", "422"} <= documented["orders_create"]
    assert {"400", "401", "403", "404", "409", "412"} <= documented["orders_confirm_create"]
    assert {"413", "415"} <= documented["orders_hold_create"]
    assert {"400", "401", "403"} <= documented["orders_list"]
    assert {"401", "403", "404"} <= documented["orders_messages_list"]
    assert {"400", "429"} <= documented["auth_token_create"] and "401" not in documented["auth_token_create"]
    assert documented["orders_flags_destroy"] >= {"200"} and "204" not in documented["orders_flags_destroy"]


def test_lists_that_may_not_be_empty_say_so(schema):
    components = schema["components"]["schemas"]
    catalogue = schema["paths"]["/api/v1/catalog/variants/"]["post"]["requestBody"]["content"]["application/json"]

    assert components["OrderCreateRequest"]["properties"]["lines"]["minItems"] == 1
    assert components["MergeRequest"]["properties"]["order_ids"]["minItems"] == 1
    assert catalogue["schema"]["minItems"] == 1


def test_adjust_price_takes_exactly_one_of_amount_and_percent(schema, supervisor_api, api, catalogue):
    document = {"$ref": "#/components/schemas/PriceAdjustRequest", "components": schema["components"]}
    validator = jsonschema.Draft7Validator(document)
    order = create_order(api)

    for body in ({"reason": "r"}, {"amount": "-1.00", "percent": "95", "reason": "r"}):
        assert not validator.is_valid(body)
        assert act(supervisor_api, order, "adjust-price", body).status_code == 400
    assert validator.is_valid({"amount": "-1.00", "reason": "r"})


@pytest.mark.parametrize("text", ["备注\x00", "a\x1bb", "\x7f"])
def test_control_characters_are_refused_by_the_pattern_and_the_service(schema, agent_api, api, catalogue, text):
    reason = schema["components"]["schemas"]["ReasonRequest"]["properties"]["reason"]["pattern"]
    note = schema["components"]["schemas"]["OrderCreateRequest"]["properties"]["buyer_note"]["oneOf"][0]["pattern"]
    tracking = schema["components"]["schemas"]["ShipRequest"]["properties"]["tracking_number"]["pattern"]
    assert (reason, note, tracking) == (NON_BLANK_TEXT_PATTERN, TEXT_PATTERN, NON_BLANK_TEXT_PATTERN)

    assert re.search(reason, text) is None and re.search(note, text) is None
    assert re.search(reason, "买家要求改期\n下周") is not None
    assert act(agent_api, create_order(api), "hold", {"reason": text}).status_code == 400


@pytest.mark.parametrize("reason", [0, 1.5, True, ["等"], {"text": "等"}])
def test_text_is_a_string_not_a_number_made_one(agent_api, api, catalogue, reason):
    order = create_order(api)

    assert act(agent_api, order, "hold", {"reason": reason}).status_code == 400
    resend = agent_api.post(
        f"/api/v1/orders/{order['id']}/messages/resend/", data={"kind": "confirmation", "reason": reason}, format="json"
    )
    assert resend.status_code == 400


@pytest.mark.parametrize("fee", [0, 10.5])
def test_money_is_a_string_not_a_json_number(supervisor_api, api, catalogue, fee):
    response = act(supervisor_api, create_order(api), "adjust-shipping", {"fee": fee, "reason": "包邮"})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["fee"]


def test_white_space_alone_is_blank_for_the_pattern_and_the_service(schema, agent_api, api, catalogue):
    assert re.search(NON_BLANK_TEXT_PATTERN, " \u3000\t") is None
    assert act(agent_api, create_order(api), "hold", {"reason": " \u3000\t"}).status_code == 400


@pytest.mark.parametrize(("header", "status"), [('"1"', 200), ('W/"1"', 200), ("*", 200), ('"²"', 400), ("1.0", 400)])
def test_if_match_format_is_the_schemas(schema, agent_api, api, catalogue, header, status):
    pattern = IF_MATCH_SCHEMA["pattern"]
    parameters = schema["paths"]["/api/v1/orders/{id}/hold/"]["post"]["parameters"]
    assert next(p for p in parameters if p["name"] == "If-Match")["schema"]["pattern"] == pattern

    response = act(agent_api, create_order(api), "hold", {"reason": "等买家回电"}, **{"If-Match": header})

    assert response.status_code == status, response.content
    assert (re.fullmatch(pattern.strip("^$"), header) is not None) == (status == 200)


def test_empty_updated_after_is_a_field_error_not_every_order(api, catalogue):
    create_order(api)

    response = api.get("/api/v1/orders/?updated_after=")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["updated_after"]


@pytest.mark.parametrize("query", ["page_size=0", "page_size=abc", "has_blockers=maybe", f"customer={'x' * 65}"])
def test_list_parameters_outside_the_schema_are_400(api, query):
    response = api.get(f"/api/v1/orders/?{query}")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"


def test_decimal_patterns_take_what_the_service_takes(schema):
    components = schema["components"]["schemas"]
    fee = components["ShippingAdjustRequest"]["properties"]["fee"]["pattern"]
    percent = components["PriceAdjustRequest"]["properties"]["percent"]["pattern"]
    amount = components["PriceAdjustRequest"]["properties"]["amount"]["pattern"]

    assert [bool(re.search(fee, v)) for v in ("0", "10.5", "99999999.99", "", ".", "-1", "1.234")] == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert [bool(re.search(percent, v)) for v in ("95", "1000", "1000.00", "1000.01", "1001")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert re.search(amount, "-5.00") and not re.search(amount, "-")


def test_what_the_http_server_refuses_itself_is_documented(schema):
    description = schema["info"]["description"]

    assert f"request line over {gunicorn.limit_request_line} bytes (414)" in description
    assert f"more than {gunicorn.limit_request_fields} header fields" in description
    assert 0 < gunicorn.limit_request_line <= 8190
