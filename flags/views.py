"""Warehouse views: the printable pick list / packing slip for selected orders."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from flags.selectors import open_flags_prefetch
from orders.addresses import mask_phone, phone_display
from orders.models import PACKABLE_STATUSES, Order, OrderLine

MAX_ORDERS = 200


def parse_ids(raw: str) -> list[int]:
    ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
    if not ids or len(ids) > MAX_ORDERS:
        raise ValueError(raw)
    return ids


@staff_member_required
def pick_list(request: HttpRequest) -> HttpResponse:
    """Every line, every open flag with its note, and the gift, card and engraving texts verbatim,
    one sheet per confirmed order (nobody packs an order the buyer has not confirmed: the others are
    named, with their status, and left out). Phones are masked for staff who may not see them whole."""
    if not request.user.has_perm("orders.view_order"):
        raise PermissionDenied
    try:
        ids = parse_ids(request.GET.get("ids", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Choose between 1 and %d orders.") % MAX_ORDERS)
    orders = list(
        Order.objects.filter(pk__in=ids)
        .select_related("customer", "storefront")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("position", "id")), open_flags_prefetch()
        )
        .order_by("id")
    )
    full_phone = request.user.has_perm("orders.view_full_phone")
    sheets = [
        {
            "order": order,
            "address": order.shipping_address,
            "phone": phone_display(order.ship_phone) if full_phone else mask_phone(order.ship_phone),
            "lines": list(order.lines.all()),
            "flags": order.open_flags,
            "quantity": sum(line.quantity for line in order.lines.all()),
        }
        for order in orders
        if order.status in PACKABLE_STATUSES
    ]
    left_out = [order for order in orders if order.status not in PACKABLE_STATUSES]
    return render(request, "flags/pick_list.html", {"sheets": sheets, "left_out": left_out, "title": _("Pick list")})
