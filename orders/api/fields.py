"""The REST API's own field types: strict where DRF is lenient, so that what the schema says is what is
accepted (a string is a string, a boolean is true or false, a time is of this shop's life)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orders.addresses import InvalidPhoneNumber, phone_normalise
from orders.text import CONTROL_CHARACTERS


class TextField(serializers.CharField):
    """A CharField that takes only strings (DRF would turn 0 into "0": the schema says string) and refuses
    control characters (they break pick lists and SMS gateways)."""

    default_error_messages = {"control": _("Control characters are not allowed.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if CONTROL_CHARACTERS.search(value):
            self.fail("control")
        return value


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only: DRF would read 0, "yes" or "off" as booleans, which the schema does not allow."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class MomentField(serializers.DateTimeField):
    """A moment of this shop's life (an order placed, money paid, a parcel's news): from 2000 on. Earlier
    ones are typing errors, and before 1901 the shop's time zone has an offset in seconds (LMT) that an
    RFC 3339 time in the answer cannot carry."""

    default_error_messages = {"too_early": _("Give a time from the year 2000 on.")}

    def to_internal_value(self, value: Any) -> datetime:
        moment = super().to_internal_value(value)
        if moment.year < 2000:
            self.fail("too_early")
        return moment


class PhoneField(TextField):
    # DRF fills field messages with str.format: "{value}", not "%(value)s".
    default_error_messages = {"phone": _("“{value}” is not a phone number.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value:
            return ""
        try:
            return phone_normalise(value)
        except InvalidPhoneNumber:
            self.fail("phone", value=value)


class DecimalStringField(serializers.DecimalField):
    """Money and percentages are strings ("99.00"): a JSON number (a float on the way) is refused, as the
    served schema (``/api/v1/schema/``) says."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def money_field(**kwargs) -> serializers.DecimalField:
    return DecimalStringField(max_digits=10, decimal_places=2, min_value=Decimal("0"), **kwargs)


@extend_schema_field({"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]})
class DateOrDateTimeField(serializers.Field):
    """A date (``2027-02-20``: that day's start in the shop's time zone) or a date-time with its offset."""

    default_error_messages = {"invalid": _("Give a date (2027-02-20) or a date-time (2027-02-20T09:00:00+08:00).")}

    def to_internal_value(self, data: Any) -> date | datetime:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            value = parse_datetime(data) or parse_date(data)
        except ValueError:
            value = None
        if value is None:
            self.fail("invalid")
        return value

    def to_representation(self, value: date | datetime) -> str:
        return value.isoformat()
