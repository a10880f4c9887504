"""The order's history as a person reads it: each event's data as "field: before → after" rows, fields by
their readable names, checks by their titles, phones masked for who may not see them. Refusals name
fields the same way (``field_label``)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.checks.messages import check_title
from orders.models import CaseKind, CaseOutcome, Order, OrderStatus, PriceEditKind

# The names services and events give fields, as the forms and the page label them (the others are
# the order's own fields: their verbose names).
FIELD_LABELS: dict[str, Any] = {
    "courier": gettext_lazy("courier"),
    "tracking_number": gettext_lazy("tracking number"),
    "override_reason": gettext_lazy("override reason"),
    "delivered_at": gettext_lazy("delivered at"),
    "reason": gettext_lazy("reason"),
    "note": gettext_lazy("note"),
    "fee": gettext_lazy("new shipping fee"),
    "line_id": gettext_lazy("applies to"),
    "lines": gettext_lazy("Lines"),
    "order_ids": gettext_lazy("orders"),
    "kind": gettext_lazy("kind"),
    "code": gettext_lazy("check"),
    "checks": gettext_lazy("checks"),
    "opened": gettext_lazy("opened"),
    "resolved": gettext_lazy("resolved"),
    "keys": gettext_lazy("which"),
    "due_at": gettext_lazy("due"),
    "until": gettext_lazy("on hold until"),
    "totals": gettext_lazy("totals"),
    "from_note": gettext_lazy("from the note"),
    "amount": gettext_lazy("amount"),
    "reference": gettext_lazy("reference"),
    "paid_at": gettext_lazy("paid at"),
    "balance_due": gettext_lazy("balance due"),
    "payment": gettext_lazy("Payment"),
    "case": gettext_lazy("case"),
    "priority": gettext_lazy("priority"),
    "urgent": gettext_lazy("urgent"),
    "outcome": gettext_lazy("outcome"),
    "assigned_to": gettext_lazy("assigned to"),
    "gifts": gettext_lazy("free gift"),
    "gifts_added": gettext_lazy("Free gifts added"),
}
CHECK_CODE_FIELDS = {"code", "checks", "opened", "resolved"}  # their values are check codes: shown by title


def field_label(name: str) -> str:
    """A field named in an error or an event, as a person reads it: "tracking number", not ``tracking_number``."""
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    for field_name in (name, f"ship_{name}"):
        try:
            field = Order._meta.get_field(field_name)
        except FieldDoesNotExist:
            continue
        if not field.is_relation or field.concrete:  # reverse relations (flags, checks…) have no verbose name
            return str(field.verbose_name)
    return name.replace("_", " ")


@dataclass(frozen=True)
class EventChange:
    label: str
    before: str
    after: str | None = None  # None: a detail (label: before), not a change


def _reference(value: dict) -> str | None:
    """An order or a line named in an event's data, as an agent names it: "TB001 (109.00)", "#1 TEE-RED-M"."""
    if {"id", "external_id"} <= value.keys():
        total = (value.get("totals") or {}).get("total")
        return f"{value['external_id']} ({total})" if total else str(value["external_id"])
    if {"id", "position", "sku"} <= value.keys():
        return f"#{value['position']} {value['sku']}"
    return None


def display_value(value: Any) -> str:
    """A stored value as people read it, in the history and in an edit conflict: "—" for nothing, yes/no,
    statuses by label, lines and lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        reference = _reference(value)
        if reference is not None:
            return reference
        return ", ".join(f"{name}: {display_value(item)}" for name, item in value.items())
    if isinstance(value, list | tuple):
        return "、".join(display_value(item) for item in value) or "—"
    if value in OrderStatus.values:
        return str(OrderStatus(value).label)
    return str(value)


PhoneFormat = Callable[[str], str]


def _field(name: str, value: Any, show_phone: PhoneFormat) -> str:
    if name == "phone" and isinstance(value, str) and value:
        return show_phone(value)
    if name in CHECK_CODE_FIELDS and isinstance(value, str | list):
        return display_value([check_title(code) for code in value] if isinstance(value, list) else check_title(value))
    if name == "kind" and value in PriceEditKind.values:
        return str(PriceEditKind(value).label)
    if name == "kind" and value in CaseKind.values:
        return str(CaseKind(value).label)
    if name == "outcome" and value in CaseOutcome.values:
        return str(CaseOutcome(value).label)
    return display_value(value)


def _diff(label: str, before: dict, after: dict, show_phone: PhoneFormat) -> list[EventChange]:
    names = dict.fromkeys([*before, *after])
    return [
        EventChange(
            f"{label} {field_label(name)}".strip(),
            _field(name, before.get(name), show_phone),
            _field(name, after.get(name), show_phone),
        )
        for name in names
        if before.get(name) != after.get(name)
    ]


def event_changes(data: dict, show_phone: PhoneFormat) -> list[EventChange]:
    """An event's data as rows a person reads: "field: before → after", then the other details.
    Phone numbers go through ``show_phone`` (masked for staff who may not see them)."""
    rows: list[EventChange] = []
    before, after = data.get("before"), data.get("after")
    if isinstance(before, dict) or isinstance(after, dict):
        rows += _diff("", before or {}, after or {}, show_phone)
    elif "before" in data or "after" in data:
        rows.append(EventChange("", display_value(before), display_value(after)))
    lines = data.get("lines")
    line_diffs = isinstance(lines, list) and all(isinstance(line, dict) and "before" in line for line in lines)
    if line_diffs:
        for line in lines:
            rows += _diff(f"#{line.get('line')}", line.get("before") or {}, line.get("after") or {}, show_phone)
    for name, value in data.items():
        if name in ("before", "after", "fields") or (name == "lines" and line_diffs):
            continue
        if isinstance(value, dict) and {"before", "after"} <= value.keys():
            before, after = _field(name, value["before"], show_phone), _field(name, value["after"], show_phone)
            rows.append(EventChange(field_label(name), before, after))
        else:
            rows.append(EventChange(field_label(name), _field(name, value, show_phone)))
    return rows
