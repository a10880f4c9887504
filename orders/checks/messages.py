"""What an agent reads aloud for each check, in the active language (Simplified Chinese or English).

Messages are rendered when shown, from the finding's stored ``data``, so the same finding reads in
Chinese for one agent and in English for another.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.addresses import AddressKind

_FIELD_NAMES = {
    "recipient": lambda: _("recipient"),
    "phone": lambda: _("phone"),
    "province": lambda: _("province"),
    "city": lambda: _("city"),
    "district": lambda: _("district"),
    "street": lambda: _("street"),
}


def _join(values) -> str:
    return "、".join(str(value) for value in values)


def _kind(value: str) -> str:
    return str(AddressKind(value).label) if value in AddressKind.values else _("unspecified")


def _incomplete(d: dict) -> str:
    missing = _join(_FIELD_NAMES[name]() for name in d.get("missing", []))
    return _("The address is missing: %(missing)s. Ask the buyer for it.") % {"missing": missing}


def _not_default(d: dict) -> str:
    return _(
        "The order ships to another address than the buyer's default (%(kind)s). Read the address back and "
        "confirm it is where the buyer wants the parcel."
    ) % {"kind": _kind(d.get("default_kind", ""))}


def _bulky_to_work(d: dict) -> str:
    return _(
        "Bulky goods (%(skus)s) go to a work address: confirm somebody can receive them there, or send them home."
    ) % {"skus": _join(d.get("skus", []))}


def _school_holiday(d: dict) -> str:
    text = _(
        "The parcel goes to a school and should arrive around %(date)s, during the %(holiday)s: students are "
        "usually home. Confirm the address."
    ) % {"date": d.get("delivery_date", ""), "holiday": d.get("holiday", "")}
    if d.get("term_starts"):
        text += " " + _("Term starts on %(date)s: hold the order until then if the buyer wants it at school.") % {
            "date": d["term_starts"]
        }
    return text


def _province_mismatch(d: dict) -> str:
    return (
        _(
            "The street line names %(named)s but the address says %(province)s %(city)s (two addresses in one). "
            "Confirm which one is right."
        )
        % d
    )


def _mergeable(d: dict) -> str:
    return _("The buyer has other unshipped orders to the same address (%(orders)s): merge them to ship once.") % {
        "orders": _join(d.get("external_ids", []))
    }


def _duplicate(d: dict) -> str:
    return _(
        "The buyer ordered the same items within %(hours)s hours (%(orders)s). Confirm this is not a duplicate."
    ) % {"hours": d.get("hours", 24), "orders": _join(d.get("external_ids", []))}


def _variant_mismatch(d: dict) -> str:
    def option(values: dict) -> str:
        return " / ".join(v for v in (values.get("size"), values.get("colour")) if v) or "—"

    return _("Line %(line)s: the size or colour sent (%(sent)s) does not match SKU %(sku)s (%(catalogue)s).") % {
        "line": d.get("line"),
        "sku": d.get("sku"),
        "sent": option(d.get("sent", {})),
        "catalogue": option(d.get("catalogue", {})),
    }


def _multiple_sizes(d: dict) -> str:
    options = _join([*d.get("sizes", []), *d.get("colours", [])])
    return _("%(product)s is ordered in several sizes or colours (%(options)s). Confirm the buyer wants each.") % {
        "product": d.get("product", ""),
        "options": options,
    }


def _size_history(d: dict) -> str:
    return _(
        "The buyer bought %(category)s before in size %(before)s and now ordered size %(size)s. Confirm the size."
    ) % {"category": d.get("category", ""), "before": _join(d.get("sizes_before", [])), "size": d.get("size", "")}


def _courier_unavailable(d: dict) -> str:
    if d.get("reason") == "not_served":
        return _("%(courier)s does not deliver to %(province)s. Agree another courier with the buyer.") % d
    return _("The shop does not ship with %(courier)s. Offer %(alternatives)s instead.") % {
        "courier": d.get("courier"),
        "alternatives": _join(d.get("alternatives", [])),
    }


def _engraving(d: dict) -> str:
    problems = d.get("problems", [])
    if "not_engravable" in problems:
        return _("Engraving “%(text)s” was asked for, but nothing in this order can be engraved.") % d
    if "too_long" in problems:
        return _("Engraving “%(text)s” has %(length)s characters; the workshop engraves at most %(max_chars)s.") % d
    if "unsupported_characters" in problems:
        return _("Engraving “%(text)s” has characters the workshop cannot engrave: %(bad_characters)s.") % d
    return _("Engraving text to read back exactly: “%(text)s” (%(length)s characters).") % d


def _card(d: dict) -> str:
    if d.get("problems"):
        return _("The card message has %(length)s characters; a card holds at most %(max_chars)s.") % d
    return _("Card message to read back exactly: “%(text)s”.") % d


_NOTE_KINDS = {
    "courier": lambda: _("courier"),
    "gift_wrap": lambda: _("gift wrap"),
    "engraving": lambda: _("engraving"),
    "card_message": lambda: _("card"),
    "free_gift": lambda: _("free gift"),
    "fragile": lambda: _("fragile goods"),
    "delivery_time": lambda: _("delivery time"),
    "address_change": lambda: _("address change"),
    "invoice": lambda: _("invoice"),
}


def _note_kind(kind: str) -> str:
    label = _NOTE_KINDS.get(kind)
    return label() if label else kind


def _note_finding(found: dict) -> str:
    value = found.get("value")
    kind = _note_kind(found["kind"])
    return f"{kind} {value} (“{found['text']}”)" if value else f"{kind} (“{found['text']}”)"


note_finding_text = _note_finding  # one finding of a note as a flag or a page names it


def _in_note(d: dict) -> str:
    return _(
        "The note asks for: %(found)s. Read each back to the buyer and record it as the order's request where it "
        "has one."
    ) % {"found": "; ".join(_note_finding(found) for found in d["found"])}


def _note_conflict(d: dict) -> str:
    return _("The note asks for another %(kind)s than the order: %(note)s, but the order says “%(structured)s”.") % {
        "kind": _note_kind(d["kind"]),
        "note": "; ".join(_note_finding(found) for found in d["found"]),
        "structured": d["structured"],
    }


def _gifts(d: dict) -> str:
    gifts = _join(f"{gift['name']} × {gift['quantity']}" for gift in d["gifts"])
    return _("The shop's gift rules added free gifts: %(gifts)s. Tell the buyer, and pack them with the order.") % {
        "gifts": gifts
    }


RENDERERS: dict[str, Callable[[dict], str]] = {
    "address.incomplete": _incomplete,
    "phone.invalid": lambda d: _(
        "The recipient's phone number is not a valid number: ask the buyer for one the courier can reach."
    ),
    "address.not_default": _not_default,
    "address.bulky_to_work": _bulky_to_work,
    "address.school_in_holiday": _school_holiday,
    "address.province_mismatch": _province_mismatch,
    "phone.not_mobile": lambda d: _(
        "The recipient's number is a landline or service number and couriers text mobiles: ask for a mobile number."
    ),
    "order.mergeable": _mergeable,
    "line.unknown_sku": lambda d: _("Line %(line)s: SKU %(sku)s is not in the catalogue.") % d,
    "line.variant_mismatch": _variant_mismatch,
    "line.out_of_stock": lambda d: _("SKU %(sku)s: %(quantity)s ordered but only %(stock)s in stock.") % d,
    "line.quantity_unusual": lambda d: (
        _("Line %(line)s: %(quantity)s × %(sku)s is more than usual (at most %(usual_max)s). Confirm the quantity.") % d
    ),
    "line.multiple_sizes": _multiple_sizes,
    "line.size_differs_from_history": _size_history,
    "order.possible_duplicate": _duplicate,
    "price.mismatch": lambda d: (
        _("Line %(line)s: SKU %(sku)s was sold at %(sent)s but the catalogue price is %(catalogue)s.") % d
    ),
    "request.courier": lambda d: (
        _(
            "The buyer asked for %(name)s (%(courier)s); its surcharge to %(province)s is %(surcharge)s. "
            "Ship with this courier only."
        )
        % d
    ),
    "request.courier_surcharge_due": lambda d: (
        _(
            "Shipping with %(courier)s costs %(expected)s but %(paid)s was paid: %(due)s is due. Ask the buyer to pay "
            "the difference, or adjust the fee."
        )
        % d
    ),
    "request.courier_unavailable": _courier_unavailable,
    "request.gift_wrap": lambda d: _("The buyer asked for gift wrapping."),
    "request.engraving": _engraving,
    "request.card_message": _card,
    "request.in_note": _in_note,
    "request.note_conflict": _note_conflict,
    "shipping.fee_below_rule": lambda d: (
        _(
            "The shipping fee charged (%(charged)s) is %(difference)s below the shop's rule for %(province)s "
            "(%(expected)s). Ask the buyer to pay the difference, or keep the fee with a reason (shipping edit)."
        )
        % d
    ),
    "shipping.fee_above_rule": lambda d: (
        _(
            "The shipping fee charged (%(charged)s) is %(difference)s above the shop's rule for %(province)s "
            "(%(expected)s). Lower it with the shipping edit (a paid order gets the difference refunded)."
        )
        % d
    ),
    "payment.balance_due": lambda d: (
        _(
            "The order was paid %(amount_paid)s but now costs %(total)s: the buyer owes %(balance_due)s. They were "
            "asked to pay it on the storefront; the order ships once it is paid."
        )
        % d
    ),
    "gift.added": _gifts,
}


# Each check's name where a sentence is too long: refusals ("open blockers: …"), filters.
TITLES = {
    "address.incomplete": gettext_lazy("Address incomplete"),
    "phone.invalid": gettext_lazy("Phone number invalid"),
    "address.not_default": gettext_lazy("Not the default address"),
    "address.bulky_to_work": gettext_lazy("Bulky goods to a work address"),
    "address.school_in_holiday": gettext_lazy("School address in the holidays"),
    "address.province_mismatch": gettext_lazy("Two addresses in one"),
    "phone.not_mobile": gettext_lazy("Not a mobile number"),
    "order.mergeable": gettext_lazy("Can be merged"),
    "line.unknown_sku": gettext_lazy("Unknown SKU"),
    "line.variant_mismatch": gettext_lazy("Size or colour does not match the SKU"),
    "line.out_of_stock": gettext_lazy("Out of stock"),
    "line.quantity_unusual": gettext_lazy("Unusual quantity"),
    "line.multiple_sizes": gettext_lazy("One item in several sizes"),
    "line.size_differs_from_history": gettext_lazy("Size differs from earlier orders"),
    "order.possible_duplicate": gettext_lazy("Possible duplicate order"),
    "price.mismatch": gettext_lazy("Price differs from the catalogue"),
    "request.courier": gettext_lazy("Named courier"),
    "request.courier_surcharge_due": gettext_lazy("Courier surcharge due"),
    "request.courier_unavailable": gettext_lazy("Courier not available"),
    "request.gift_wrap": gettext_lazy("Gift wrap"),
    "request.engraving": gettext_lazy("Engraving"),
    "request.card_message": gettext_lazy("Card message"),
    "request.in_note": gettext_lazy("Request in the note"),
    "request.note_conflict": gettext_lazy("Note contradicts the request"),
    "shipping.fee_below_rule": gettext_lazy("Shipping fee below the rules"),
    "shipping.fee_above_rule": gettext_lazy("Shipping fee above the rules"),
    "payment.balance_due": gettext_lazy("Balance due"),
    "gift.added": gettext_lazy("Free gifts added"),
}


def check_title(code: str) -> str:
    """The check's short readable name; the code itself for an unknown code."""
    return str(TITLES.get(code, code))


def check_message(code: str, data: dict) -> str:
    """The finding as a sentence an agent can read aloud; the code itself for an unknown code."""
    renderer = RENDERERS.get(code)
    if renderer is None:
        return code
    try:
        return renderer(data or {})
    except (KeyError, TypeError, ValueError):
        # Data stored by an older version of a check: show the code rather than fail the page.
        return code
