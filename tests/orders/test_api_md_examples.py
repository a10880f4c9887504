"""API.md's examples stay true: its create body, posted as it is, answers the documented response shape.

The examples are copied into fixtures/api_md/ (the tests read nothing outside the repository)."""

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parent / "fixtures" / "api_md"
# Values the example shows that depend on the database or on wording, not on the contract.
ILLUSTRATIVE = {"id", "message", "note", "data"}


def _example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


def assert_shape(documented, actual, path: str = "body") -> None:
    """Every documented key is there with the documented JSON type; a documented list item has a
    matching item; literal values (statuses, codes, money) are equal unless merely illustrative."""
    if isinstance(documented, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not an object"
        for key, value in documented.items():
            assert key in actual, f"{path}.{key} is missing"
            assert_shape(value, actual[key], f"{path}.{key}")
    elif isinstance(documented, list):
        assert isinstance(actual, list), f"{path}: {actual!r} is not a list"
        for item in documented:
            errors = []
            for candidate in actual:
                try:
                    assert_shape(item, candidate, f"{path}[]")
                    break
                except AssertionError as exc:
                    errors.append(str(exc))
            else:
                raise AssertionError(f"{path}: no item like {item!r} ({errors})")
    elif path.rsplit(".", 1)[-1] in ILLUSTRATIVE:
        assert isinstance(actual, type(documented)), f"{path}: {actual!r} is not a {type(documented).__name__}"
    else:
        assert actual == documented, f"{path}: {actual!r} != {documented!r}"


def test_api_md_create_example_answers_the_documented_response(api, catalogue):
    # given: API.md's body exactly as it is written (buyer's default at work, shipping home, SF promised)
    body = _example("order_create_request.json")

    # when
    created = api.post("/api/v1/orders/", data=body, format="json")

    # then: 201 with the documented shape, totals, check and flag; a read gives the same body
    assert created.status_code == 201, created.content
    assert_shape(_example("order_create_response.json"), created.json())
    assert api.get(f"/api/v1/orders/{created.json()['id']}/").json() == created.json()

    # and: "sending the same body again returns 200 with the same order"
    again = api.post("/api/v1/orders/", data=body, format="json")
    assert (again.status_code, again.json()["id"]) == (200, created.json()["id"])


def test_the_shape_check_catches_a_missing_or_changed_field():
    documented = _example("order_create_response.json")
    answered = json.loads(json.dumps(documented))
    answered["totals"]["total"] = "110.00"
    del answered["flags"][0]["source"]

    with pytest.raises(AssertionError, match="total"):
        assert_shape(documented, answered)
    answered["totals"]["total"] = "109.00"
    with pytest.raises(AssertionError, match="source"):
        assert_shape(documented, answered)
