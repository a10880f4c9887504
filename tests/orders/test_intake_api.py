"""POST/GET /api/v1/orders/: intake, idempotency, scoping, validation and error shapes."""

import json

import pytest

from orders.models import Customer, IdempotencyKey, Order, OrderEvent, OrderLine
from tests.factories import SHANGHAI_WORK, order_payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/orders/"


def post(client, body, **headers):
    return client.post(URL, data=json.dumps(body), content_type="application/json", headers=headers)


def test_create_returns_201_with_totals_lines_and_status(api, catalogue):
    # given
    body = order_payload(lines=[{"sku": "TEE-RED-M", "quantity": 2, "unit_price": "99.00"}], shipping_fee="10.00")

    # when
    response = post(api, body)

    # then
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["totals"] == {"items": "198.00", "adjustment": "0.00", "shipping": "10.00", "total": "208.00"}
    assert data["status"] == "pending_confirmation"
    assert data["currency"] == "CNY"
    assert data["lines"][0]["sku"] == "TEE-RED-M"
    assert data["lines"][0]["product_name"] == "纯棉T恤"
    assert data["lines"][0]["size"] == "M"  # taken from the catalogue when not sent
    assert data["shipping_address"]["phone"] == "13800138000"
    assert data["amount_paid"] == "208.00"
    assert response["ETag"] == f'"{data["version"]}"'
    assert [event["type"] for event in data["events"]][:1] == ["received"]


def test_create_stores_phone_normalised_and_customer_default_address(api, catalogue):
    post(api, order_payload(customer={"default_address": SHANGHAI_WORK}))

    order = Order.objects.get()
    assert order.ship_phone == "+8613800138000"
    customer = Customer.objects.get()
    assert customer.default_kind == "work"
    assert customer.default_phone == "+8613800138000"


def test_customer_default_address_kept_when_a_later_order_omits_it(api, catalogue):
    post(api, order_payload(customer={"default_address": SHANGHAI_WORK}))
    later = order_payload()
    del later["customer"]["default_address"]

    assert post(api, later).status_code == 201

    assert Customer.objects.get().default_street == SHANGHAI_WORK["street"]


def test_shipping_fee_computed_by_rules_when_not_sent(api, catalogue):
    body = order_payload()
    del body["shipping_fee"]

    data = post(api, body).json()

    assert data["totals"]["shipping"] == "6.00"  # base fee to 上海市, items below the free threshold


def test_same_body_again_returns_200_and_the_same_order(api, catalogue):
    body = order_payload()
    first = post(api, body)

    again = post(api, body)

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Order.objects.count() == 1
    assert OrderEvent.objects.filter(type="received").count() == 1


def test_same_body_with_keys_in_another_order_is_a_replay(api, catalogue):
    body = order_payload()
    reordered = dict(reversed(list(body.items())))
    post(api, body)

    assert post(api, reordered).status_code == 200


def test_same_external_id_with_another_body_is_409(api, catalogue):
    body = order_payload()
    post(api, body)

    response = post(api, {**body, "buyer_note": "changed"})

    assert response.status_code == 409
    assert response.json()["code"] == "external_id_conflict"
    assert Order.objects.get().buyer_note == "请尽快发货"


def test_external_id_is_unique_per_storefront_not_globally(api, other_api, catalogue):
    body = order_payload()

    assert post(api, body).status_code == 201
    assert post(other_api, body).status_code == 201
    assert Order.objects.count() == 2


def test_idempotency_key_replays_the_stored_response(api, catalogue):
    body = order_payload()
    first = post(api, body, **{"Idempotency-Key": "k-1"})

    replay = post(api, body, **{"Idempotency-Key": "k-1"})

    assert first.status_code == 201
    assert replay.status_code == 201
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1


def test_idempotency_key_with_another_body_is_422(api, catalogue):
    post(api, order_payload(), **{"Idempotency-Key": "k-1"})

    response = post(api, order_payload(), **{"Idempotency-Key": "k-1"})

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_mismatch"
    assert Order.objects.count() == 1


def test_idempotency_key_claim_left_by_a_dead_request_does_not_block_a_retry(api, storefront, catalogue):
    # given: the claim of a request whose process died before it answered (committed, no response)
    body = order_payload()
    from orders.api.idempotency import request_hash

    IdempotencyKey.objects.create(storefront=storefront, key="k-dead", request_hash=request_hash(body))

    # when
    retry = post(api, body, **{"Idempotency-Key": "k-dead"})
    replay = post(api, body, **{"Idempotency-Key": "k-dead"})

    # then
    assert retry.status_code == 201, retry.content
    assert replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == retry.json()
    assert Order.objects.count() == 1


def test_idempotency_key_of_a_failed_request_can_be_reused_after_fixing_the_body(api, catalogue):
    bad = order_payload(lines=[])
    assert post(api, bad, **{"Idempotency-Key": "k-2"}).status_code == 400

    response = post(api, order_payload(), **{"Idempotency-Key": "k-2"})

    assert response.status_code == 201


def test_idempotency_keys_are_scoped_to_the_storefront(api, other_api, catalogue):
    body = order_payload()
    post(api, body, **{"Idempotency-Key": "shared"})

    response = post(other_api, order_payload(), **{"Idempotency-Key": "shared"})

    assert response.status_code == 201


def test_storefront_cannot_read_another_storefronts_order(api, other_api, catalogue):
    order_id = post(api, order_payload()).json()["id"]

    assert other_api.get(f"{URL}{order_id}/").status_code == 404
    assert other_api.get(URL).json()["results"] == []
    assert api.get(f"{URL}{order_id}/").status_code == 200


def test_list_is_newest_first_masked_and_filterable(api, catalogue):
    first = post(api, order_payload(customer={"external_id": "buyer-1"})).json()
    second = post(api, order_payload(customer={"external_id": "buyer-2"})).json()

    rows = api.get(URL).json()["results"]
    assert [row["id"] for row in rows] == [second["id"], first["id"]]
    assert rows[0]["shipping_address"]["phone"] == "138****8000"
    assert "13800138000" not in json.dumps(rows)

    only_first = api.get(URL, {"customer": "buyer-1"}).json()["results"]
    assert [row["id"] for row in only_first] == [first["id"]]
    assert api.get(URL, {"status": "pending_confirmation"}).json()["results"]
    assert api.get(URL, {"status": "shipped"}).json()["results"] == []


def test_list_filter_updated_after(api, catalogue):
    order = post(api, order_payload()).json()

    later = api.get(URL, {"updated_after": "2999-01-01T00:00:00Z"}).json()["results"]
    earlier = api.get(URL, {"updated_after": "2000-01-01T00:00:00Z"}).json()["results"]

    assert later == []
    assert [row["id"] for row in earlier] == [order["id"]]


def test_list_bad_filter_value_is_400_with_field_error(api):
    response = api.get(URL, {"status": "lost"})

    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def test_list_is_paginated_by_cursor(api, catalogue):
    for n in range(3):
        post(api, order_payload(customer={"external_id": f"b{n}"}))

    page = api.get(URL, {"page_size": 2}).json()
    rest = api.get(page["next"]).json()

    assert len(page["results"]) == 2
    assert len(rest["results"]) == 1
    assert rest["next"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{"sku": "TEE-RED-M", "quantity": 0}]}, "lines.0.quantity"),
        ({"lines": [{"sku": "TEE-RED-M", "quantity": -2}]}, "lines.0.quantity"),
        ({"lines": [{"sku": "TEE-RED-M", "quantity": "two"}]}, "lines.0.quantity"),
        ({"lines": [{"sku": "TEE-RED-M", "quantity": 1, "unit_price": "-1.00"}]}, "lines.0.unit_price"),
        ({"lines": [{"sku": "TEE-RED-M", "quantity": 1, "unit_price": "abc"}]}, "lines.0.unit_price"),
        ({"lines": [{"sku": "TEE-RED-M", "quantity": 1, "unit_price": "9.999"}]}, "lines.0.unit_price"),
        ({"lines": [{"quantity": 1}]}, "lines.0.sku"),
        ({"shipping_fee": "-5.00"}, "shipping_fee"),
        ({"shipping_fee": "NaN"}, "shipping_fee"),
        ({"shipping_fee": "Infinity"}, "shipping_fee"),
        ({"shipping_address": {"phone": "not a phone"}}, "shipping_address.phone"),
        ({"customer": {"phone": "call me"}}, "customer.phone"),
        ({"shipping_address": {"postcode": "12345"}}, "shipping_address.postcode"),
        ({"shipping_address": {"kind": "castle"}}, "shipping_address.kind"),
        ({"shipping_address": {"street": "x" * 256}}, "shipping_address.street"),
        ({"special_requests": {"courier": "DHL"}}, "special_requests.courier"),
        ({"special_requests": {"card_message": "x" * 501}}, "special_requests.card_message"),
        ({"external_id": "x" * 65}, "external_id"),
        ({"external_id": ""}, "external_id"),
        ({"external_id": "bad\x00id"}, "external_id"),
        ({"buyer_note": "x" * 1001}, "buyer_note"),
        ({"payment_status": "maybe"}, "payment_status"),
        ({"currency": "USD"}, "currency"),
        ({"placed_at": "yesterday"}, "placed_at"),
        ({"customer": {"external_id": ""}}, "customer.external_id"),
    ],
)
def test_bad_input_is_400_with_field_errors_and_nothing_stored(api, catalogue, overrides, field):
    response = post(api, order_payload(**overrides))

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"], body
    assert Order.objects.count() == 0
    assert Customer.objects.count() == 0
    assert OrderLine.objects.count() == 0


def test_missing_customer_is_400(api, catalogue):
    body = order_payload()
    del body["customer"]

    response = post(api, body)

    assert response.status_code == 400
    assert "customer" in response.json()["fields"]


def test_malformed_json_is_400_json_error(api):
    response = api.post(URL, data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "parse_error"
    assert Order.objects.count() == 0


def test_non_json_content_type_is_415_json_error(api):
    response = api.post(URL, data="a=b", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_unknown_sku_is_accepted_for_the_agents_to_fix(api, catalogue):
    response = post(api, order_payload(lines=[{"sku": "NOPE-1", "quantity": 1, "unit_price": "5.00"}]))

    assert response.status_code == 201
    assert response.json()["lines"][0]["sku"] == "NOPE-1"


def test_courier_code_is_case_insensitive(api, catalogue):
    response = post(api, order_payload(special_requests={"courier": "sf"}))

    assert response.status_code == 201
    assert response.json()["special_requests"]["courier"] == "SF"


@pytest.mark.parametrize("header", [None, "Token nope", "Token", "Bearer abc"])
def test_unauthenticated_requests_get_json_401(client, header):
    headers = {"Authorization": header} if header else {}

    response = client.get(URL, headers=headers)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] in {"not_authenticated", "authentication_failed"}
    assert response["WWW-Authenticate"] == "Token"


def test_staff_cannot_create_orders(agent_api, catalogue):
    response = post(agent_api, order_payload())

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_staff_without_role_cannot_read_orders(staff_api, api, catalogue):
    post(api, order_payload())

    response = staff_api(None).get(URL)

    assert response.status_code == 403


def test_staff_see_all_storefronts_orders(agent_api, api, other_api, catalogue):
    post(api, order_payload())
    post(other_api, order_payload())

    assert len(agent_api.get(URL).json()["results"]) == 2


def test_warehouse_sees_masked_phone_in_detail_agents_see_it_whole(api, agent_api, warehouse_api, catalogue):
    order_id = post(api, order_payload()).json()["id"]

    assert warehouse_api.get(f"{URL}{order_id}/").json()["shipping_address"]["phone"] == "138****8000"
    assert agent_api.get(f"{URL}{order_id}/").json()["shipping_address"]["phone"] == "13800138000"


def test_unknown_api_path_is_json_404(api):
    response = api.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_order_id_that_does_not_exist_is_json_404(api):
    response = api.get(f"{URL}999999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_list_query_count_is_bounded(api, catalogue, django_assert_max_num_queries):
    for n in range(5):
        post(api, order_payload(customer={"external_id": f"b{n}"}))

    with django_assert_max_num_queries(4):
        response = api.get(URL)

    assert len(response.json()["results"]) == 5


def test_create_response_is_the_same_as_reading_the_order_back(api, catalogue):
    body = order_payload(
        lines=[{"sku": "RING-SILVER-12", "quantity": 1}, {"sku": "TEE-RED-M", "quantity": 9}],
        special_requests={"courier": "SF", "gift_wrap": True, "engraving": "致韩梅梅", "card_message": "生日快乐"},
        customer={"default_address": {"district": "浦东新区"}},
    )

    created = post(api, body)
    read = api.get(f"{URL}{created.json()['id']}/")

    assert created.json() == read.json()
    assert created["ETag"] == read["ETag"]


def test_intake_takes_a_bounded_number_of_queries(api, catalogue, django_assert_max_num_queries):
    post(api, order_payload())  # the buyer exists now: the history query runs too
    body = order_payload(
        special_requests={"courier": "SF", "gift_wrap": True},
        lines=[{"sku": "TEE-RED-M", "quantity": 1}, {"sku": "TEE-RED-L", "quantity": 1}],
    )

    with django_assert_max_num_queries(14):
        assert post(api, body).status_code == 201


def test_an_order_too_large_to_record_is_400_and_not_stored(api, agent_api, catalogue):
    # 9,999 of a 99,999,999.99 item: each number is valid, the line total does not fit the books
    too_large = order_payload(lines=[{"sku": "TEE-RED-M", "quantity": 9999, "unit_price": "99999999.99"}])

    response = api.post(URL, data=too_large, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "amount_too_large"
    assert not Order.objects.filter(external_id=too_large["external_id"]).exists()

    # a correction that would make it so is refused the same way, and changes nothing
    order = api.post(
        URL, data=order_payload(lines=[{"sku": "TEE-RED-M", "quantity": 1, "unit_price": "99999999.99"}]), format="json"
    ).json()
    line_id = order["lines"][0]["id"]
    edit = agent_api.patch(f"{URL}{order['id']}/", data={"lines": [{"id": line_id, "quantity": 9999}]}, format="json")
    assert (edit.status_code, edit.json()["code"]) == (400, "amount_too_large")
    assert Order.objects.get(pk=order["id"]).lines.get().quantity == 1
