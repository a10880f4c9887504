"""Every custom error message of the API renders with its values, in Simplified Chinese and in English.

DRF fills a field's error messages with ``str.format`` (``{value}``); a message written for Django's
``%(value)s`` reached clients with the placeholder in it. This walks every field of every input
serializer, and the filters' form, and renders each message the project wrote through the code that
sends it.
"""

import inspect
import re
import string

import pytest
from django.utils import translation
from rest_framework import serializers

from orders import exceptions
from orders.api import messages as message_api
from orders.api import payments as payment_api
from orders.api import serializers as api_serializers
from orders.api.views import cases as case_api
from orders.api.views import notes as note_api
from orders.api.views import tracking as tracking_api
from orders.api.views.common import OrderFilter

PLACEHOLDERS = re.compile(r"%\((\w+)\)[sd]")


def _input_serializers() -> list[type[serializers.Serializer]]:
    found = []
    for module in (api_serializers, message_api, payment_api, case_api, note_api, tracking_api):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.Serializer) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def _fields(field, path: str):
    yield path, field
    if isinstance(field, serializers.Serializer):
        for name, child in field.fields.items():
            yield from _fields(child, f"{path}.{name}")
    elif isinstance(field, serializers.ListSerializer | serializers.ListField | serializers.DictField):
        yield from _fields(field.child, f"{path}[]")


def _drf_defaults(field) -> dict:
    defaults = {}
    for cls in reversed(type(field).__mro__):
        if cls.__module__.startswith("rest_framework"):
            defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def custom_field_messages() -> list[tuple[str, object, str]]:
    """(where, field, key) for every error message the project wrote rather than DRF's own."""
    messages = []
    for cls in _input_serializers():
        for path, field in _fields(cls(), cls.__name__):
            defaults = _drf_defaults(field)
            for key, message in field.error_messages.items():
                if key not in defaults or str(defaults[key]) != str(message):
                    messages.append((f"{path}:{key}", field, key))
    return messages


def _names(message: str) -> set[str]:
    fields = {name for _text, name, _spec, _conv in string.Formatter().parse(message) if name}
    return fields | set(PLACEHOLDERS.findall(message))


def _render_field_message(field, key: str) -> tuple[str, dict]:
    with translation.override("en"):
        english = str(field.error_messages[key])
    values = {name: f"«{name}-42»" for name in _names(english)}
    try:
        field.fail(key, **values)
    except serializers.ValidationError as exc:
        return str(exc.detail[0]), values
    raise AssertionError(f"{key} did not fail")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_custom_error_message_renders_with_its_values(language):
    messages = custom_field_messages()
    # The walk finds the fields this test was written for (phone, control characters, postcode).
    assert {"phone", "control", "invalid"} <= {key for _where, _field, key in messages}
    rendered = {}
    for where, field, key in messages:
        with translation.override(language):
            text, values = _render_field_message(field, key)
        with translation.override("en"):
            english, _ = _render_field_message(field, key)
        rendered[where] = text
        assert "%(" not in text and "{" not in text, f"{where}: a placeholder reached the client: {text}"
        for value in values.values():
            assert value in text, f"{where}: {value} missing from {text}"
        if language == "zh-hans":
            assert text != english, f"{where} is not translated: {text}"

    # A real phone that does not parse answers with what the buyer typed.
    with translation.override(language):
        errors = api_serializers.AddressInputSerializer(data={"phone": "not-a-phone"})
        assert not errors.is_valid()
    assert "not-a-phone" in errors.errors["phone"][0]
    assert "%(" not in errors.errors["phone"][0]

    # The filters' own message, and every domain error's default message.
    with translation.override(language):
        filters = OrderFilter(data={"updated_after": ""})
        assert not filters.is_valid()
        filter_text = filters.errors["updated_after"][0]
    with translation.override("en"):
        english_filter = str(OrderFilter(data={"updated_after": ""}).errors["updated_after"][0])
    assert (filter_text != english_filter) == (language == "zh-hans")
    for error in vars(exceptions).values():
        if isinstance(error, type) and issubclass(error, exceptions.DomainError):
            with translation.override(language):
                text = str(error().message)
            with translation.override("en"):
                english = str(error().message)
            assert "%(" not in text and "{" not in text
            assert (text != english) == (language == "zh-hans"), error.__name__
