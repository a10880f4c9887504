"""Special requests are promises: a named courier and its surcharge, gift wrap, engraving, a card."""

import re
from collections.abc import Iterable

from orders.checks.base import BLOCKER, INFO, WARNING, Finding, OrderSnapshot, check
from orders.pricing import shipping_quote

# What the workshop engraves besides the shop's extra symbols: Chinese characters, Latin letters, digits.
_ENGRAVABLE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbfA-Za-z0-9]")


def _courier(snapshot: OrderSnapshot):
    return snapshot.config.couriers.get(snapshot.courier) if snapshot.courier else None


@check("request.courier")
def request_courier(snapshot: OrderSnapshot) -> Iterable[Finding]:
    courier = _courier(snapshot)
    if courier is not None:
        province = snapshot.shipping_address.province
        yield Finding(
            "request.courier",
            WARNING,
            {
                "courier": courier.code,
                "name": courier.name,
                "province": province,
                "surcharge": str(courier.surcharge_for(province)),
            },
            key=courier.code,
        )


@check("request.courier_surcharge_due")
def request_courier_surcharge_due(snapshot: OrderSnapshot) -> Iterable[Finding]:
    courier = _courier(snapshot)
    if courier is None or not courier.in_use or not courier.serves(snapshot.shipping_address.province):
        return
    quote = shipping_quote(
        config=snapshot.config,
        province=snapshot.shipping_address.province,
        items_total=snapshot.items_total,
        courier=courier.code,
    )
    if snapshot.shipping_fee < quote.fee:
        yield Finding(
            "request.courier_surcharge_due",
            WARNING,
            {
                "courier": courier.code,
                "expected": str(quote.fee),
                "paid": str(snapshot.shipping_fee),
                "due": str(quote.fee - snapshot.shipping_fee),
                "surcharge": str(quote.surcharge),
            },
            key=courier.code,
        )


@check("request.courier_unavailable")
def request_courier_unavailable(snapshot: OrderSnapshot) -> Iterable[Finding]:
    if not snapshot.courier:
        return
    courier = _courier(snapshot)
    province = snapshot.shipping_address.province
    if courier is None or not courier.in_use:
        reason = "not_used"
    elif not courier.serves(province):
        reason = "not_served"
    else:
        return
    yield Finding(
        "request.courier_unavailable",
        BLOCKER,
        {
            "courier": snapshot.courier,
            "reason": reason,
            "province": province,
            "alternatives": snapshot.config.default_couriers,
        },
        key=snapshot.courier,
    )


@check("request.gift_wrap")
def request_gift_wrap(snapshot: OrderSnapshot) -> Iterable[Finding]:
    if snapshot.gift_wrap:
        yield Finding("request.gift_wrap", INFO, {})


def engraving_problems(text: str, extra_characters: str, products: list) -> tuple[list[str], dict]:
    """Why the workshop cannot engrave ``text`` on any of ``products`` (VariantFacts), if it cannot."""
    problems: list[str] = []
    details: dict = {}
    engravable = [p for p in products if p.engravable]
    if not engravable:
        problems.append("not_engravable")
    else:
        limit = min(p.max_engraving_chars for p in engravable)
        details["max_chars"] = limit
        if len(text) > limit:
            problems.append("too_long")
    bad = sorted({ch for ch in text if not _ENGRAVABLE.fullmatch(ch) and ch not in extra_characters})
    if bad:
        problems.append("unsupported_characters")
        details["bad_characters"] = "".join(bad)
    return problems, details


@check("request.engraving")
def request_engraving(snapshot: OrderSnapshot) -> Iterable[Finding]:
    text = snapshot.engraving
    if not text:
        return
    products = [line.variant for line in snapshot.lines if line.variant is not None]
    problems, details = engraving_problems(text, snapshot.config.settings.engraving_extra_characters, products)
    yield Finding(
        "request.engraving",
        BLOCKER if problems else WARNING,
        {"text": text, "length": len(text), "problems": problems, **details},
    )


@check("request.card_message")
def request_card_message(snapshot: OrderSnapshot) -> Iterable[Finding]:
    text = snapshot.card_message
    if not text:
        return
    limit = snapshot.config.settings.card_message_max_chars
    too_long = len(text) > limit
    yield Finding(
        "request.card_message",
        BLOCKER if too_long else WARNING,
        {"text": text, "length": len(text), "max_chars": limit, "problems": ["too_long"] if too_long else []},
    )
