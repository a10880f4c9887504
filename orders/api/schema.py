"""What the OpenAPI schema says beyond what drf-spectacular reads from the serializers, in one place.

Storefronts generate their clients from ``/api/v1/schema/`` and ``make api-fuzz`` holds the service to it,
so the schema must describe what the code really accepts and answers:

- text fields refuse control characters and, unless they may be blank, white space alone (a ``pattern``);
- decimals are strings of at most their digits, never negative where the field has a minimum of 0;
- lists that may not be empty have ``minItems``; ``adjust-price`` takes exactly one of amount / percent;
- every operation lists the errors it answers with, each with the one error body (``ErrorOutput``).
"""

import re
from decimal import Decimal

from django.conf import settings
from drf_spectacular.extensions import OpenApiSerializerFieldExtension

from config import gunicorn as server
from orders.api.idempotency import MAX_KEY_LENGTH

# Refused in typed text (orders.text.CONTROL_CHARACTERS), written for JSON Schema (ECMA) regexes.
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
# What Python's str.strip() removes (DRF trims text before it checks it), spelled out: ECMA's \s differs.
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# A blank-allowed field's pattern leaves "" out: drf-spectacular adds it as a oneOf alternative.
TEXT_PATTERN = rf"^[^{_CONTROL}]+$"
NON_BLANK_TEXT_PATTERN = rf"^[^{_CONTROL}]*[^{_CONTROL}{_SPACE}][^{_CONTROL}]*$"
# The numbers phonenumbers reads with region CN: national digits, or +86 and them (separators are allowed
# by the server too, the schema keeps to the plain form a client should send).
PHONE_PATTERN = r"^(\+86)?[0-9]{7,15}$"
# If-Match: an ETag as the order's responses give it ("3"), weak or bare, or "*"; group 3 is the version.
IF_MATCH = re.compile(r'(\*|(W/)?"?([0-9]{1,9})"?)?')
IF_MATCH_SCHEMA = {"type": "string", "pattern": f"^{IF_MATCH.pattern}$", "example": '"3"'}
IDEMPOTENCY_KEY_SCHEMA = {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH}


class TextFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "orders.api.fields.TextField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        # Untrimmed text (a password) is blank only when empty: minLength says that.
        blank_ok = field.allow_blank or not field.trim_whitespace
        schema["pattern"] = TEXT_PATTERN if blank_ok else NON_BLANK_TEXT_PATTERN
        if blank_ok:
            schema.pop("minLength", None)
        return schema


class PhoneFieldExtension(TextFieldExtension):
    target_class = "orders.api.fields.PhoneField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        schema["pattern"] = PHONE_PATTERN
        schema.pop("minLength", None)
        return schema


def decimal_pattern(*, max_digits: int, decimal_places: int, min_value, max_value) -> str:
    """The strings DRF's DecimalField takes: a sign only when negatives are allowed, at most the digits,
    and below a maximum that is a power of ten (the only kind the project uses)."""
    whole = max_digits - decimal_places
    sign = "" if min_value is not None and Decimal(min_value) >= 0 else "-?"
    fraction = rf"(\.[0-9]{{1,{decimal_places}}})?" if decimal_places else ""
    number = rf"[0-9]{{1,{whole}}}{fraction}"
    if max_value is not None:
        exponent = Decimal(max_value).adjusted()
        if Decimal(max_value) == Decimal(10) ** exponent and exponent < whole:
            zeros = rf"(\.0{{1,{decimal_places}}})?" if decimal_places else ""
            number = rf"[0-9]{{1,{exponent}}}{fraction}|1{'0' * exponent}{zeros}"
    return rf"^{sign}({number})$"


class DecimalFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if schema.get("type") == "string" and field.max_digits is not None and field.decimal_places is not None:
            schema["pattern"] = decimal_pattern(
                max_digits=field.max_digits,
                decimal_places=field.decimal_places,
                min_value=field.min_value,
                max_value=field.max_value,
            )
            for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                schema.pop(bound, None)
        return schema


class _NonEmptyListExtension(OpenApiSerializerFieldExtension):
    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if not getattr(self.target, "allow_empty", True):
            schema["minItems"] = max(schema.get("minItems", 0), 1)
        max_length = getattr(self.target, "max_length", None)
        if max_length is not None:
            schema["maxItems"] = max_length
        return schema


class ListSerializerExtension(_NonEmptyListExtension):
    target_class = "rest_framework.serializers.ListSerializer"


class ListFieldExtension(_NonEmptyListExtension):
    target_class = "rest_framework.fields.ListField"


# --- Errors -------------------------------------------------------------------------------------------

ERROR_COMPONENT = "ErrorOutput"

ERRORS = {
    400: "Invalid input: `code` is `invalid` and `fields` has the errors by field path (`lines.0.quantity`); "
    "also malformed JSON, a bad `If-Match`, a bad filter or cursor, or a rule of the action (see its description).",
    401: "No token, or an unknown, expired or revoked one (`not_authenticated`, `authentication_failed`).",
    403: "The caller may not do this: a storefront on a staff action, or a staff role without the permission.",
    404: "No such order in the caller's scope (a storefront sees only its own orders), or no such check or flag.",
    409: "The order's status or state refuses the action (`invalid_transition`, `order_not_editable`, "
    "`open_blockers`, `shipping_refused`, `merge_refused`, `message_refused`, `external_id_conflict`, …); "
    "`data` tells more where it helps.",
    412: "`version_conflict`: the `If-Match` version is stale; reload the order.",
    413: "The request body is larger than the service takes.",
    415: "The body is not `application/json`.",
    422: "`idempotency_key_mismatch`: this `Idempotency-Key` was used with another body.",
    429: "Too many attempts; `Retry-After` says when to try again.",
}
# Query parameters are bounded so that a request the schema allows fits within the server's limits.
CUSTOMER_FILTER_MAX_LENGTH = 64
QUERY_MAX_LENGTH = {"customer": CUSTOMER_FILTER_MAX_LENGTH, "cursor": 512}
QUERY_MINIMUM = {"page_size": 1}
SERVER_LIMITS = (
    f"Every error of the API answers in JSON (`ErrorOutput`), except what the HTTP server refuses before the "
    f"application sees it: a request line over {server.limit_request_line} bytes (414), more than "
    f"{server.limit_request_fields} header fields or one over {server.limit_request_field_size} bytes (431)."
)

# Statuses that come from a rule of the action, named per operation id (the rest follow from its shape).
ACTION_ERRORS = {
    "auth_token_create": {429},
    "orders_create": {409, 422},
}
_NO_AUTH = {"auth_token_create"}
_STATE_FREE = {"auth_token_create", "catalog_variants_create"}


def _operation_errors(path: str, method: str, operation: dict) -> set[int]:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    has_query = any(p["in"] == "query" for p in parameters)
    has_if_match = any(p["in"] == "header" and p["name"] == "If-Match" for p in parameters)
    op_id = operation.get("operationId", "")
    statuses = set(ACTION_ERRORS.get(op_id, ()))
    if op_id not in _NO_AUTH:
        statuses |= {401, 403}
    if has_body or has_query or has_if_match:
        statuses.add(400)
    if has_body:
        statuses |= {413, 415}
    if "{" in path:
        statuses.add(404)
    if method != "get" and op_id not in _STATE_FREE:
        statuses.add(409)
    if has_if_match:
        statuses.add(412)
    return statuses


def postprocess_schema(result: dict, generator, request, public) -> dict:
    """drf-spectacular's last step (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    error_ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(_operation_errors(path, method, operation)):
                responses.setdefault(
                    str(status),
                    {"description": ERRORS[status], "content": {"application/json": {"schema": error_ref}}},
                )
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body and body.get("type") == "array":
                body["minItems"] = 1
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] in QUERY_MAX_LENGTH:
                    parameter["schema"]["maxLength"] = QUERY_MAX_LENGTH[parameter["name"]]
                if parameter["in"] == "query" and parameter["name"] in QUERY_MINIMUM:
                    parameter["schema"]["minimum"] = QUERY_MINIMUM[parameter["name"]]
                # A filter's title is the model field's translated label ("状态"): generators name types by it.
                parameter.get("schema", {}).pop("title", None)
    info = result.setdefault("info", {})
    info["description"] = f"{info.get('description', '')}\n\n{SERVER_LIMITS}".strip()
    schemas = result.get("components", {}).get("schemas", {})
    if "OrderCreateRequest" in schemas:
        # The shop's one currency, in any case (the serializer upper-cases it).
        currency = settings.ORDERDESK["CURRENCY"]
        pattern = "".join(f"[{char.upper()}{char.lower()}]" for char in currency)
        schemas["OrderCreateRequest"]["properties"]["currency"] = {"type": "string", "pattern": f"^{pattern}$"}
    if "PriceAdjustRequest" in schemas:
        schemas["PriceAdjustRequest"]["oneOf"] = [{"required": ["amount"]}, {"required": ["percent"]}]
    return result
