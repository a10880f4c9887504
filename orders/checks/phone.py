"""Phone checks: couriers call or text the recipient, so the number must work, ideally a mobile."""

from collections.abc import Iterable

from orders.addresses import phone_is_mobile, phone_is_valid
from orders.checks.base import BLOCKER, WARNING, Finding, OrderSnapshot, check


@check("phone.invalid")
def phone_invalid(snapshot: OrderSnapshot) -> Iterable[Finding]:
    phone = snapshot.shipping_address.phone
    if phone and not phone_is_valid(phone):
        yield Finding("phone.invalid", BLOCKER, {})


@check("phone.not_mobile")
def phone_not_mobile(snapshot: OrderSnapshot) -> Iterable[Finding]:
    phone = snapshot.shipping_address.phone
    if phone and phone_is_valid(phone) and not phone_is_mobile(phone):
        yield Finding("phone.not_mobile", WARNING, {})
