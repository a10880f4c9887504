"""The agent's order page: the read-aloud checklist, the confirm workflow and the edit forms.

The views parse a form and call a service with ``Actor(user=request.user)`` and the order version
the agent saw; a domain error (a stale version, an open blocker, a refused transition) becomes an
admin error message and changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from orders.addresses import AddressKind, mask_phone, phone_display
from orders.admin.conflicts import ChangedMeanwhile, version_conflict_notice
from orders.admin.forms import AcknowledgeForm, EditForms, HoldForm, ReasonForm, VersionForm
from orders.admin.plumbing import (
    CONFIRM_PERMISSION,
    EDIT_PERMISSION,
    FULL_PHONE_PERMISSION,
    PageAction,
    domain_error_text,
    order_or_404,
    page_action_view,
    require,
    workflow_service,
)
from orders.admin.timeline import EventChange, event_changes
from orders.checks.messages import check_message
from orders.events import Actor
from orders.exceptions import DomainError, VersionConflict
from orders.models import CheckResult, CheckStatus, Order, OrderEvent, OrderLine, ReturnPolicy, Severity
from orders.returns import ReturnPolicies, line_return_policy
from orders.selectors import order_workbench_queryset
from orders.services.edits import OrderChanges, order_edit
from orders.services.lifecycle import actions_allowed
from orders.services.workflow import (
    order_cancel,
    order_check_acknowledge,
    order_confirm,
    order_hold,
    order_recheck,
    order_release,
)
from orders.shop_config import shop_config


def _workflow(form: type[VersionForm], service: Callable[..., Order], done: Any) -> PageAction:
    return PageAction(form, CONFIRM_PERMISSION, workflow_service(service), done)


def _hold_until_default(order: Order) -> str:
    """The date a hold offers: when term starts, for a school parcel in the holidays (ISO date or "")."""
    for result in order.checks.all():
        if result.code == "address.school_in_holiday" and result.status != CheckStatus.RESOLVED:
            return str(result.data.get("term_starts", ""))
    return ""


# Each button of the order page: the form it posts and the service it calls.
WORKFLOW_ACTIONS: dict[str, PageAction] = {
    "acknowledge": _workflow(AcknowledgeForm, order_check_acknowledge, gettext_lazy("The check is acknowledged.")),
    "confirm": _workflow(VersionForm, order_confirm, gettext_lazy("The order is confirmed.")),
    "hold": _workflow(HoldForm, order_hold, gettext_lazy("The order is on hold.")),
    "release": _workflow(VersionForm, order_release, gettext_lazy("The order is back in the queue.")),
    "cancel": _workflow(ReasonForm, order_cancel, gettext_lazy("The order is cancelled.")),
    "recheck": _workflow(VersionForm, order_recheck, gettext_lazy("The checks ran again.")),
}
EDIT_PARTS: dict[str, Any] = {
    "address": gettext_lazy("Edit the address"),
    "lines": gettext_lazy("Edit the lines"),
    "requests": gettext_lazy("Edit the special requests"),
}

_STATUS_RANK = {CheckStatus.OPEN: 0, CheckStatus.ACKNOWLEDGED: 1, CheckStatus.RESOLVED: 2}
_SEVERITY_RANK = {Severity.BLOCKER: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class LineRow:
    line: OrderLine
    policy: ReturnPolicy | None


@dataclass(frozen=True)
class PolicyRow:
    """One return policy read to the buyer, with the SKUs it covers."""

    policy: ReturnPolicy
    conditions: str
    skus: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckRow:
    result: CheckResult
    message: str
    link: tuple[str, str] | None = None  # (url, label): where to act on the finding

    @property
    def acknowledgeable(self) -> bool:
        return self.result.status == CheckStatus.OPEN and self.result.severity != Severity.BLOCKER


@dataclass(frozen=True)
class EventRow:
    event: OrderEvent
    changes: list[EventChange]


def _check_rows(results: list[CheckResult], link: Callable[[CheckResult], tuple[str, str] | None]) -> list[CheckRow]:
    """Open blockers first, then open warnings and infos; acknowledged and resolved ones last."""
    ordered = sorted(results, key=lambda r: (_STATUS_RANK.get(r.status, 3), _SEVERITY_RANK.get(r.severity, 3), r.pk))
    return [CheckRow(result, check_message(result.code, result.data), link(result)) for result in ordered]


def _policy_rows(line_rows: list[LineRow]) -> list[PolicyRow]:
    language = get_language() or "zh-hans"
    rows: dict[int, PolicyRow] = {}
    for row in line_rows:
        if row.policy is None:
            continue
        policy_row = rows.setdefault(row.policy.pk, PolicyRow(row.policy, row.policy.conditions(language)))
        policy_row.skus.append(row.line.sku)
    return list(rows.values())


def _special_requests(order: Order) -> list[tuple[Any, str]]:
    """The buyer's requests, verbatim, in the order an agent reads them."""
    rows: list[tuple[Any, str]] = []
    if order.requested_courier:
        courier = shop_config().couriers.get(order.requested_courier)
        name = f"{order.requested_courier} — {courier.name}" if courier else order.requested_courier
        rows.append((gettext_lazy("courier"), name))
    if order.gift_wrap:
        rows.append((gettext_lazy("gift wrap"), _("yes")))
    if order.engraving_text:
        rows.append((gettext_lazy("engraving text"), order.engraving_text))
    if order.card_message:
        rows.append((gettext_lazy("card message"), order.card_message))
    if order.buyer_note:
        rows.append((gettext_lazy("buyer note"), order.buyer_note))
    if order.seller_memo:
        rows.append((gettext_lazy("seller memo"), order.seller_memo))
    return rows


class OrderWorkbenchMixin:
    """The change view of an order becomes the agent's page; its buttons and edit forms get their URLs."""

    workbench_template = "admin/orders/order/workbench.html"
    edit_template = "admin/orders/order/edit.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/workflow/<slug:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            path(
                "<path:object_id>/edit/<slug:part>/",
                self.admin_site.admin_view(self.edit_view),
                name="{}_{}_edit".format(*info),
            ),
            *super().get_urls(),
        ]

    def order_url(self, order: Order) -> str:
        return reverse("admin:orders_order_change", args=[order.pk], current_app=self.admin_site.name)

    def page_context(self, request: HttpRequest, title: str, order: Order | None = None) -> dict:
        """What every page of the order admin shows around its content (the order's, when given)."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "has_view_permission": True,
            "can_confirm": request.user.has_perm(CONFIRM_PERMISSION),
        }
        if order is not None:
            context.update(original=order, order=order)
        return context

    def check_link(self, request: HttpRequest, result: CheckResult) -> tuple[str, str] | None:
        """Where to act on a finding, as (url, label); a mixin that has such a page says so."""
        return None

    # --- the page ------------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None) -> HttpResponse:
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        order = order_or_404(object_id, order_workbench_queryset(Order.objects.all()))
        if not self.has_view_or_change_permission(request, order):
            raise PermissionDenied
        return TemplateResponse(request, self.workbench_template, self.workbench_context(request, order))

    def workbench_page(self, request: HttpRequest, order: Order, bound: dict[str, forms.BaseForm]) -> HttpResponse:
        """The order page as it is now, with the ``bound`` forms in place of empty ones (an ``OrderPage``)."""
        order = order_or_404(str(order.pk), order_workbench_queryset(Order.objects.all()))
        context = {**self.workbench_context(request, order), **bound}
        return TemplateResponse(request, self.workbench_template, context)

    def workbench_context(self, request: HttpRequest, order: Order) -> dict:
        user = request.user
        can_confirm = user.has_perm(CONFIRM_PERMISSION)
        policies = ReturnPolicies.load()
        line_rows = [LineRow(line, line_return_policy(line, order, policies)) for line in order.lines.all()]
        show_phone = phone_display if user.has_perm(FULL_PHONE_PERMISSION) else mask_phone
        allowed = actions_allowed(order.status)
        actions = {name: name in allowed for name in ("confirm", "hold", "release", "cancel")}
        actions["recheck"] = order.is_editable
        return {
            **self.page_context(request, _("Order %s") % order.external_id, order),
            "address_kind": AddressKind(order.ship_kind).label if order.ship_kind in AddressKind.values else "",
            "ship_phone": show_phone(order.ship_phone),
            "customer_phone": show_phone(order.customer.phone or order.customer.default_phone),
            "buyer_language": dict(settings.LANGUAGES).get(order.customer.language, order.customer.language),
            "line_rows": line_rows,
            "special_requests": _special_requests(order),
            "policy_rows": _policy_rows(line_rows),
            "lines_without_policy": [row.line.sku for row in line_rows if row.policy is None],
            "check_rows": _check_rows(list(order.checks.all()), lambda result: self.check_link(request, result)),
            "event_rows": [EventRow(event, event_changes(event.data, show_phone)) for event in order.events.all()],
            "can_edit": user.has_perm(EDIT_PERMISSION) and order.is_editable,
            "actions": {name: can_confirm and allowed for name, allowed in actions.items()},
            "reason_max": ReasonForm.base_fields["reason"].max_length,
            "hold_until_default": _hold_until_default(order),
        }

    # --- the buttons ---------------------------------------------------------------------------

    def workflow_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        return self.page_action(request, object_id, WORKFLOW_ACTIONS.get(action))

    def page_action(self, request: HttpRequest, object_id: str, action: PageAction | None) -> HttpResponse:
        """A small form posted from the order page (``page_action_view``), back to this page."""
        return page_action_view(request, object_id, action, self.order_url, self.workbench_page)

    # --- the edit forms ------------------------------------------------------------------------

    def edit_view(self, request: HttpRequest, object_id: str, part: str) -> HttpResponse:
        if part not in EDIT_PARTS:
            raise Http404
        require(request, EDIT_PERMISSION)
        order = order_or_404(object_id, Order.objects.select_related("customer"))
        edit = EditForms.build(part, order, request.POST if request.method == "POST" else None)
        changed_meanwhile: list[ChangedMeanwhile] = []
        if edit.is_bound and edit.is_valid():
            try:
                saved = self._edit_save(request, order, edit.changes(), edit.version())
            except VersionConflict:
                # Somebody saved in between: the same form on the order as it is now, the agent's changes kept.
                order = order_or_404(object_id, Order.objects.select_related("customer"))
                edit, changed_meanwhile = edit.refreshed(order)
                version_conflict_notice(request)
            else:
                if saved:
                    return HttpResponseRedirect(self.order_url(order))

        context = {
            **self.page_context(request, str(EDIT_PARTS[part]), order),
            "part": part,
            "form": edit.form,
            "version_form": edit.version_form,
            "formset": edit.formset,
            "line_forms": list(zip(edit.lines, edit.formset, strict=False)) if edit.formset is not None else [],
            "changed_meanwhile": changed_meanwhile,
            "order_url": self.order_url(order),
        }
        return TemplateResponse(request, self.edit_template, context)

    def _edit_save(self, request: HttpRequest, order: Order, changes: OrderChanges, version: int) -> bool:
        """Save; False when refused (the reason is a message). A version conflict is raised for the caller."""
        if changes.is_empty:
            messages.info(request, _("Nothing was changed."))
            return True
        try:
            edited = order_edit(
                order_id=order.pk, changes=changes, actor=Actor(user=request.user), expected_version=version
            )
        except VersionConflict:
            raise
        except DomainError as error:
            messages.error(request, domain_error_text(error))
            return False
        if edited.version == version:
            messages.info(request, _("Nothing was changed."))
        else:
            messages.success(request, _("Saved. The checks ran again; read the new checklist."))
        return True
