"""The text of buyer messages, in Simplified Chinese or English, from templates per language.

Templates live in ``orders/templates/orders/messages/<language>/<content>_{subject,body}.txt``
(plain text, no escaping). This module builds their context: the facts are computed once here
and only the wording differs between the languages.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation

from orders.addresses import mask_phone
from orders.messaging.models import MessageTemplate
from orders.messaging.policies import LinePolicy, window_closes_on
from orders.models import Order
from orders.shop_config import shop_config

LANGUAGES = ("zh-hans", "en")
_CURRENCY_SIGNS = {"CNY": "¥"}
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def message_language(language: str) -> str:
    """The template language for a buyer: English when they asked for it, Simplified Chinese otherwise."""
    return "en" if (language or "").lower().startswith("en") else "zh-hans"


def money_text(amount: Decimal, currency: str, language: str) -> str:
    sign = _CURRENCY_SIGNS.get(currency)
    if language == "zh-hans" and sign:
        return f"{sign}{amount:.2f}"
    return f"{currency} {amount:.2f}"


def date_text(day: date, language: str) -> str:
    if language == "zh-hans":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.strftime("%d %b %Y").lstrip("0")


def template_render(template: str, language: str, context: dict) -> Rendered:
    with translation.override(language):
        subject = render_to_string(f"orders/messages/{language}/{template}_subject.txt", context)
        body = render_to_string(f"orders/messages/{language}/{template}_body.txt", context)
    body = _BLANK_RUNS.sub("\n\n", "\n".join(line.rstrip() for line in body.strip().splitlines()))
    return Rendered(subject=" ".join(subject.split()), body=body)


def _line_context(lp: LinePolicy, currency: str, language: str) -> dict:
    line = lp.line
    return {
        "name": line.product_name or line.sku,
        "sku": line.sku,
        "size": line.size,
        "colour": line.colour,
        "quantity": line.quantity,
        "unit_price": money_text(line.unit_price, currency, language),
        "line_total": money_text(line.line_total, currency, language),
        "customised": lp.customised,
        "is_gift": line.is_gift,
    }


def _policy_groups(policies: list[LinePolicy], language: str, delivered_at: datetime | None) -> list[dict]:
    """Lines that share a policy, with its conditions once: '纯棉T恤、小白鞋: 7天无理由…'."""
    groups: dict[object, dict] = {}
    for lp in policies:
        key = (lp.policy.pk if lp.policy else None, lp.customised)
        group = groups.get(key)
        if group is None:
            closes_on = (
                window_closes_on(delivered_at=delivered_at, return_days=lp.return_days)
                if delivered_at is not None and lp.return_days > 0
                else None
            )
            group = groups[key] = {
                "names": [],
                "known": lp.policy is not None,
                "conditions": lp.policy.conditions(language) if lp.policy else "",
                "return_days": lp.return_days,
                "no_reason_return": lp.return_days > 0,
                "warranty_months": lp.warranty_months,
                "customised": lp.customised,
                "closes_on": date_text(closes_on, language) if closes_on else "",
            }
        name = lp.line.product_name or lp.line.sku
        if name not in group["names"]:
            group["names"].append(name)
    separator = "、" if language == "zh-hans" else ", "
    return [{**group, "names": separator.join(group["names"])} for group in groups.values()]


def _order_context(order: Order, policies: list[LinePolicy], language: str) -> dict:
    currency = order.currency
    address = order.shipping_address
    courier = shop_config().couriers.get(order.requested_courier) if order.requested_courier else None
    return {
        "shop": order.storefront.name,
        "order": order,
        "customer_name": order.customer.name,
        "lines": [_line_context(lp, currency, language) for lp in policies],
        "recipient": address.recipient,
        "phone": mask_phone(address.phone),
        "address": address.one_line(),
        "postcode": address.postcode,
        "courier": f"{courier.name} ({courier.code})" if courier else order.requested_courier,
        "gift_wrap": order.gift_wrap,
        "engraving": order.engraving_text,
        "card_message": order.card_message,
        "has_requests": bool(order.special_requests),
        "items_total": money_text(order.items_total, currency, language),
        "adjustment": money_text(order.adjustment, currency, language),
        "has_adjustment": bool(order.adjustment),
        "shipping_fee": money_text(order.shipping_fee, currency, language),
        "total": money_text(order.total, currency, language),
    }


def order_summary(*, order: Order, policies: list[LinePolicy], language: str) -> dict:
    """The facts of an order as the buyer sees them (messages and the buyer's page)."""
    return {**_order_context(order, policies, language), "policies": _policy_groups(policies, language, None)}


def confirmation_render(
    *, order: Order, policies: list[LinePolicy], language: str, link: str, link_days: int
) -> Rendered:
    """The order read back to the buyer: lines, where it goes, the requests word for word, totals,
    the return policy of each line, and the link to confirm or ask for a change."""
    context = {**order_summary(order=order, policies=policies, language=language), "link": link, "link_days": link_days}
    return template_render(MessageTemplate.CONFIRMATION, language, context)


def reminder_render(*, order: Order, policies: list[LinePolicy], language: str, delivered_at: datetime) -> Rendered:
    """After delivery: the last day of each line's no-reason window and the conditions to keep."""
    context = {
        **_order_context(order, policies, language),
        "delivered_on": date_text(timezone.localdate(delivered_at), language),
        "policies": _policy_groups(policies, language, delivered_at),
    }
    return template_render(MessageTemplate.RETURN_POLICY_REMINDER, language, context)


def shipped_render(*, order: Order, policies: list[LinePolicy], language: str) -> Rendered:
    """The parcel has left: the courier, the tracking number and the goods in it."""
    courier = shop_config().couriers.get(order.shipped_courier)
    context = {
        **_order_context(order, policies, language),
        "shipped_on": date_text(timezone.localdate(order.shipped_at or timezone.now()), language),
        "shipped_courier": courier.name if courier else order.shipped_courier,
        "tracking_number": order.tracking_number,
    }
    return template_render(MessageTemplate.SHIPPED, language, context)
