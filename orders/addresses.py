"""Addresses and phone numbers: the value object, the model fields, normalisation and masking.

Customers keep a default address and orders keep a snapshot of where they ship. Both store the
same fields, under a prefix (``default_`` and ``ship_``), built by ``address_fields_model`` so the
two never drift apart.
"""

import functools
from dataclasses import dataclass, fields
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders.geo import canonical_city, canonical_province
from orders.text import normalise_text


class AddressKind(models.TextChoices):
    HOME = "home", pgettext_lazy("address kind", "Home")  # not the admin's "Home" (首页)
    WORK = "work", _("Work")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class InvalidPhoneNumber(ValueError):
    """The text is not a phone number that ``phonenumbers`` accepts as valid."""


def phone_normalise(raw: str) -> str:
    """Parse ``raw`` (default region CN) and return it in E.164 (+8613800138000).

    Raises ``InvalidPhoneNumber`` when the text is not a phone number at all. A number that parses
    but is not valid (wrong length, unassigned prefix) is returned too: the ``phone.invalid`` check
    reports it as a blocker so that an agent can fix it with the buyer.
    """
    return _phone_e164(raw, settings.ORDERDESK["PHONE_DEFAULT_REGION"])


@functools.lru_cache(maxsize=4096)
def _phone_e164(raw: str, region: str) -> str:
    """Parsed once per process and text: an order brings the same number two or three times (the
    buyer, the default address, the shipping address), and repeat buyers bring it again."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(str(raw)) from exc
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=4096)
def _phone_facts(e164: str) -> tuple[bool, bool]:
    """(valid, mobile) of a stored number; parsed once per process, the checks ask twice per order."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False, False
    mobile = phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    return phonenumbers.is_valid_number(number), mobile


def phone_is_valid(e164: str) -> bool:
    return _phone_facts(e164)[0]


def phone_is_mobile(e164: str) -> bool:
    """Whether a stored (E.164) number is a mobile: couriers send their notices by SMS."""
    return _phone_facts(e164)[1]


@functools.lru_cache(maxsize=4096)
def phone_display(e164: str) -> str:
    """The number as a buyer writes it: national format for CN numbers, international otherwise."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 86:
        return phonenumbers.national_significant_number(number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def mask_phone(phone: str) -> str:
    """138****8000: enough for a buyer to recognise the number, not enough to call it."""
    digits = phone_display(phone).replace(" ", "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_name(name: str) -> str:
    """李** : the first character only."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_street(street: str) -> str:
    """Keep the first characters of a street line and hide the house number and the rest."""
    street = street or ""
    keep = min(4, len(street) // 3)
    return street[:keep] + "****" if street else ""


@dataclass(frozen=True)
class Address:
    recipient: str = ""
    phone: str = ""  # E.164
    province: str = ""
    city: str = ""
    district: str = ""
    street: str = ""
    postcode: str = ""
    kind: str = ""

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return _ADDRESS_FIELDS

    @classmethod
    def from_model(cls, instance: Any, prefix: str) -> "Address":
        return cls(**{name: getattr(instance, prefix + name) or "" for name in cls.field_names()})

    def to_model(self, instance: Any, prefix: str) -> None:
        for name in self.field_names():
            setattr(instance, prefix + name, getattr(self, name))

    def as_dict(self) -> dict[str, str]:
        # Shallow: every field is a string (dataclasses.asdict deep-copies: ten times slower, on every list row).
        return {name: getattr(self, name) for name in _ADDRESS_FIELDS}

    def as_public_dict(self, *, masked: bool = False) -> dict[str, str]:
        """The wire representation: the phone as the buyer writes it, masked on request."""
        data = self.as_dict()
        data["phone"] = mask_phone(self.phone) if masked else phone_display(self.phone)
        if masked:
            data["street"] = mask_street(self.street)
            data["recipient"] = mask_name(self.recipient)
        return data

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.field_names())

    def comparison_key(self) -> tuple[str, ...]:
        """The fields that decide whether two addresses are the same place, normalised.

        Recipient, phone, postcode and kind describe the delivery, not the place, and are left out.
        """
        return (
            canonical_province(self.province),
            canonical_city(self.city),
            normalise_text(self.district),
            normalise_text(self.street),
        )

    def one_line(self) -> str:
        return " ".join(part for part in (self.province, self.city, self.district, self.street) if part)


_ADDRESS_FIELDS = tuple(f.name for f in fields(Address))


def address_fields_model(prefix: str, verbose_prefix: str) -> type[models.Model]:
    """An abstract model with the address fields under ``prefix``."""

    def label(text: str) -> Any:
        return format_lazy("{}{}", verbose_prefix, text)

    attrs: dict[str, Any] = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        f"{prefix}recipient": models.CharField(label(_("recipient")), max_length=100, blank=True),
        f"{prefix}phone": models.CharField(label(_("phone")), max_length=20, blank=True),
        f"{prefix}province": models.CharField(label(_("province")), max_length=50, blank=True),
        f"{prefix}city": models.CharField(label(_("city")), max_length=50, blank=True),
        f"{prefix}district": models.CharField(label(_("district")), max_length=50, blank=True),
        f"{prefix}street": models.CharField(label(_("street")), max_length=255, blank=True),
        f"{prefix}postcode": models.CharField(label(_("postcode")), max_length=6, blank=True),
        f"{prefix}kind": models.CharField(label(_("kind")), max_length=10, choices=AddressKind.choices, blank=True),
    }
    return type(f"{prefix.strip('_').title()}AddressFields", (models.Model,), attrs)
