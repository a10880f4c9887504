"""The warehouse's part of the order page and lists: flags, shipping, delivery, the pick list."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from flags.admin import flag_badges
from flags.selectors import flag_categories, open_flag_badges_prefetch
from flags.services import flag_add, flag_clear
from orders.admin.forms import VersionForm, text_field
from orders.admin.plumbing import PageAction
from orders.events import Actor
from orders.models import PACKABLE_STATUSES, SHIPPED_STATUSES, Order
from orders.services.lifecycle import actions_allowed
from orders.services.shipping import order_deliver, order_ship, order_tracking_correct, ship_courier_default
from orders.shop_config import shop_config
from orders.text import FLAG_NOTE, OVERRIDE_REASON, REASON

SHIP_PERMISSION = "orders.ship_order"
OVERRIDE_PERMISSION = "orders.override_courier"


def _courier_choices() -> list[tuple[str, str]]:
    """The couriers the shop uses; one it switched off is not offered."""
    couriers = sorted(shop_config().couriers.items())
    return [(code, f"{code} — {facts.name}") for code, facts in couriers if facts.in_use]


class FlagForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("category"))
    note = text_field(FLAG_NOTE.limit, required=True, label=gettext_lazy("note"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.code, c.name) for c in flag_categories().values()]


class FlagClearForm(forms.Form):
    flag = forms.IntegerField(widget=forms.HiddenInput)


class ShipForm(VersionForm):
    courier = forms.ChoiceField(label=gettext_lazy("courier"))
    tracking_number = text_field(40, required=True, label=gettext_lazy("tracking number"))
    override_reason = text_field(OVERRIDE_REASON.limit, label=gettext_lazy("override reason"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A blank first: with no courier to start from, the browser must not pick the first one silently.
        self.fields["courier"].choices = [("", "—"), *_courier_choices()]


class TrackingForm(VersionForm):
    courier = forms.ChoiceField(label=gettext_lazy("courier"), required=False)
    tracking_number = text_field(40, required=True, label=gettext_lazy("tracking number"))
    reason = text_field(REASON.limit, required=True, label=gettext_lazy("reason"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courier"].choices = [("", "—"), *_courier_choices()]


class DeliverForm(VersionForm):
    delivered_at = forms.DateTimeField(required=False, label=gettext_lazy("delivered at"))


def _flag_add(request, order: Order, data: dict) -> None:
    flag_add(order_id=order.pk, category_code=data["category"], note=data["note"], actor=Actor(user=request.user))


def _flag_clear(request, order: Order, data: dict) -> None:
    flag_clear(order_id=order.pk, flag_id=data["flag"], actor=Actor(user=request.user))


def _ship(request, order: Order, data: dict) -> None:
    order_ship(
        order_id=order.pk,
        courier=data["courier"],
        tracking_number=data["tracking_number"],
        override_reason=data["override_reason"],
        actor=Actor(user=request.user),
        expected_version=data["version"],
    )


def _tracking(request, order: Order, data: dict) -> None:
    order_tracking_correct(
        order_id=order.pk,
        tracking_number=data["tracking_number"],
        courier=data["courier"] or None,
        reason=data["reason"],
        actor=Actor(user=request.user),
        expected_version=data["version"],
    )


def _deliver(request, order: Order, data: dict) -> None:
    order_deliver(
        order_id=order.pk,
        delivered_at=data["delivered_at"],
        actor=Actor(user=request.user),
        expected_version=data["version"],
    )


WAREHOUSE_ACTIONS = {
    "flag-add": PageAction(FlagForm, "flags.add_flag", _flag_add, gettext_lazy("The flag is set."), "flag_form"),
    "flag-clear": PageAction(FlagClearForm, "flags.change_flag", _flag_clear, gettext_lazy("The flag is cleared.")),
    "ship": PageAction(ShipForm, SHIP_PERMISSION, _ship, gettext_lazy("The order is shipped."), "ship_form"),
    "tracking": PageAction(
        TrackingForm, SHIP_PERMISSION, _tracking, gettext_lazy("The tracking number is corrected."), "tracking_form"
    ),
    "deliver": PageAction(
        DeliverForm, SHIP_PERMISSION, _deliver, gettext_lazy("The delivery is recorded."), "deliver_form"
    ),
}


class OrderWarehouseMixin:
    """Adds flags and shipping to the order page, and flag badges, the colour filter and the pick
    list to the order lists. Mixed into OrderAdmin before the workbench."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/warehouse/<slug:action>/",
                self.admin_site.admin_view(self.warehouse_view),
                name="{}_{}_warehouse".format(*info),
            ),
            *super().get_urls(),
        ]

    def workbench_context(self, request: HttpRequest, order: Order) -> dict:
        context = super().workbench_context(request, order)
        user = request.user
        can_ship = user.has_perm(SHIP_PERMISSION)
        allowed = actions_allowed(order.status)
        context.update(
            flags=order.open_flags,
            flag_form=FlagForm() if user.has_perm("flags.add_flag") else None,
            can_clear_flags=user.has_perm("flags.change_flag"),
            ship_form=ShipForm(initial={"version": order.version, "courier": ship_courier_default(order=order)})
            if can_ship and "ship" in allowed
            else None,
            can_override_courier=user.has_perm(OVERRIDE_PERMISSION),
            tracking_form=TrackingForm(initial={"version": order.version})
            if can_ship and order.status in SHIPPED_STATUSES
            else None,
            deliver_form=DeliverForm(initial={"version": order.version}) if can_ship and "deliver" in allowed else None,
        )
        return context

    def warehouse_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        return self.page_action(request, object_id, WAREHOUSE_ACTIONS.get(action))


class FlagListMixin:
    """Flag badges and the pick list on an order list (the lists prefetch open flags)."""

    actions = ["print_pick_list"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(open_flag_badges_prefetch())

    @admin.display(description=gettext_lazy("flags"))
    def flag_badges(self, order: Order) -> str:
        return flag_badges(order.open_flags)

    @admin.action(description=gettext_lazy("Print a pick list for the selected orders"), permissions=["view"])
    def print_pick_list(self, request, queryset) -> HttpResponseRedirect | None:
        """The pick list of the selection; it packs the confirmed orders and names the others."""
        if not queryset.filter(status__in=PACKABLE_STATUSES).exists():
            self.message_user(
                request,
                _("None of the selected orders is confirmed: only confirmed orders are packed."),
                messages.ERROR,
            )
            return None
        ids = list(queryset.values_list("pk", flat=True)[:200])
        if len(ids) < queryset.count():
            self.message_user(
                request, _("A pick list holds at most 200 orders; the first 200 are printed."), messages.WARNING
            )
        return HttpResponseRedirect(reverse("warehouse-pick-list") + "?" + urlencode({"ids": ",".join(map(str, ids))}))
