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
from orders.admin.forms import AcknowledgeForm, EditForms, ReasonForm, VersionForm
from orders.admin.timeline import EventChange, event_changes, field_label
from orders.checks.messages import check_message, check_title
from orders.events import Actor
from orders.exceptions import ConfirmBlocked, DomainError, VersionConflict
from orders.models import (
    AWAITING_CONFIRMATION_STATUSES,
    CheckResult,
    CheckStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    ReturnPolicy,
    Severity,
)
from orders.returns import ReturnPolicies, line_return_policy
from orders.selectors import order_workbench_queryset
from orders.services.edits import OrderChanges, order_edit
from orders.services.lifecycle import transition_allowed
from orders.services.workflow import (
    order_cancel,
    order_check_acknowledge,
    order_confirm,
    order_hold,
    order_recheck,
    order_release,
)
from orders.shop_config import shop_config

CONFIRM_PERMISSION = "orders.confirm_order"
EDIT_PERMISSION = "orders.edit_order_address"
FULL_PHONE_PERMISSION = "orders.view_full_phone"


@dataclass(frozen=True)
class WorkflowAction:
    form: type[VersionForm]
    service: Callable[..., Order]
    done: Any  # the success message (lazy)


# Each button of the order page: the form it posts and the service it calls.
WORKFLOW_ACTIONS: dict[str, WorkflowAction] = {
    "acknowledge": WorkflowAction(AcknowledgeForm, order_check_acknowledge, gettext_lazy("The check is acknowledged.")),
    "confirm": WorkflowAction(VersionForm, order_confirm, gettext_lazy("The order is confirmed.")),
    "hold": WorkflowAction(ReasonForm, order_hold, gettext_lazy("The order is on hold.")),
    "release": WorkflowAction(VersionForm, order_release, gettext_lazy("The order is back in the queue.")),
    "cancel": WorkflowAction(ReasonForm, order_cancel, gettext_lazy("The order is cancelled.")),
    "recheck": WorkflowAction(VersionForm, order_recheck, gettext_lazy("The checks ran again.")),
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


def _check_rows(results: list[CheckResult]) -> list[CheckRow]:
    """Open blockers first, then open warnings and infos; acknowledged and resolved ones last."""
    ordered = sorted(results, key=lambda r: (_STATUS_RANK.get(r.status, 3), _SEVERITY_RANK.get(r.severity, 3), r.pk))
    return [CheckRow(result, check_message(result.code, result.data)) for result in ordered]


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
    return rows


def domain_error_text(error: DomainError) -> str:
    """The error's message, with what the agent must fix when it says (open blockers, bad fields)."""
    parts = [str(error.message)]
    if isinstance(error, ConfirmBlocked) and isinstance(error.data, dict):
        blockers = dict.fromkeys(check_title(item["code"]) for item in error.data.get("blockers", []))
        warnings = dict.fromkeys(check_title(item["code"]) for item in error.data.get("warnings", []))
        if blockers:
            parts.append(_("Open blockers: %s.") % ", ".join(blockers))
        if warnings:
            parts.append(_("Warnings to acknowledge: %s.") % ", ".join(warnings))
    for name, errors in error.fields.items():
        parts.append(f"{field_label(name)}: {' '.join(str(e) for e in errors)}")
    return " ".join(parts)


def form_errors_text(form: forms.BaseForm) -> str:
    if "version" in form.errors:
        return _("The page is out of date; reload it and try again.")
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}".lstrip(": ")
        for name, errors in form.errors.items()
    )


def _order_or_404(object_id: str, queryset=None) -> Order:
    if not str(object_id).isdigit():
        raise Http404
    order = (queryset if queryset is not None else Order.objects.all()).filter(pk=int(object_id)).first()
    if order is None:
        raise Http404
    return order


@dataclass(frozen=True)
class PageAction:
    """A small form posted from the order page: who may, what it validates, what it calls."""

    form: type[forms.BaseForm]
    permission: str
    service: Callable[[HttpRequest, Order, dict], object]
    done: Any  # the success message (lazy)
    # The form's name in the page's context: a refused form comes back on the page as it was typed.
    form_name: str = ""


# The order page again, with some of its forms replaced by bound ones: ``page(request, order, {name: form})``.
OrderPage = Callable[[HttpRequest, Order, dict[str, forms.BaseForm]], HttpResponse]


def page_action_view(
    request: HttpRequest,
    object_id: str,
    action: PageAction | None,
    order_url: Callable[[Order], str],
    page: OrderPage | None = None,
) -> HttpResponse:
    """Validate the form, call the service, say how it went as an admin message, back to the page.
    A domain error or an invalid form changes nothing and says why; with ``page`` and a named form,
    the page comes back with the form as typed (a refused tracking number is not lost)."""
    if action is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require(request, action.permission)
    order = _order_or_404(object_id)
    form = action.form(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    else:
        try:
            action.service(request, order, form.cleaned_data)
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        else:
            messages.success(request, action.done)
            return HttpResponseRedirect(order_url(order))
    if page is not None and action.form_name:
        return page(request, order, {action.form_name: form})
    return HttpResponseRedirect(order_url(order))


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


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

    def _page_context(self, request: HttpRequest, order: Order, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "original": order,
            "order": order,
            "has_view_permission": True,
            "can_confirm": request.user.has_perm(CONFIRM_PERMISSION),
        }

    # --- the page ------------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None) -> HttpResponse:
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        order = _order_or_404(object_id, order_workbench_queryset(Order.objects.all()))
        if not self.has_view_or_change_permission(request, order):
            raise PermissionDenied
        return TemplateResponse(request, self.workbench_template, self.workbench_context(request, order))

    def workbench_page(self, request: HttpRequest, order: Order, bound: dict[str, forms.BaseForm]) -> HttpResponse:
        """The order page as it is now, with the ``bound`` forms in place of empty ones (an ``OrderPage``)."""
        order = _order_or_404(str(order.pk), order_workbench_queryset(Order.objects.all()))
        context = {**self.workbench_context(request, order), **bound}
        return TemplateResponse(request, self.workbench_template, context)

    def workbench_context(self, request: HttpRequest, order: Order) -> dict:
        user = request.user
        can_confirm = user.has_perm(CONFIRM_PERMISSION)
        policies = ReturnPolicies.load()
        line_rows = [LineRow(line, line_return_policy(line, order, policies)) for line in order.lines.all()]
        show_phone = phone_display if user.has_perm(FULL_PHONE_PERMISSION) else mask_phone
        actions = {
            "confirm": order.status in AWAITING_CONFIRMATION_STATUSES,
            "hold": transition_allowed(order.status, OrderStatus.ON_HOLD),
            "release": order.status == OrderStatus.ON_HOLD,
            "cancel": transition_allowed(order.status, OrderStatus.CANCELLED),
            "recheck": order.is_editable,
        }
        return {
            **self._page_context(request, order, _("Order %s") % order.external_id),
            "address_kind": AddressKind(order.ship_kind).label if order.ship_kind in AddressKind.values else "",
            "ship_phone": show_phone(order.ship_phone),
            "customer_phone": show_phone(order.customer.phone or order.customer.default_phone),
            "buyer_language": dict(settings.LANGUAGES).get(order.customer.language, order.customer.language),
            "line_rows": line_rows,
            "special_requests": _special_requests(order),
            "policy_rows": _policy_rows(line_rows),
            "lines_without_policy": [row.line.sku for row in line_rows if row.policy is None],
            "check_rows": _check_rows(list(order.checks.all())),
            "event_rows": [EventRow(event, event_changes(event.data, show_phone)) for event in order.events.all()],
            "can_edit": user.has_perm(EDIT_PERMISSION) and order.is_editable,
            "actions": {name: can_confirm and allowed for name, allowed in actions.items()},
            "reason_max": ReasonForm.base_fields["reason"].max_length,
        }

    # --- the buttons ---------------------------------------------------------------------------

    def workflow_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        workflow = WORKFLOW_ACTIONS.get(action)
        if workflow is None:
            raise Http404
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        _require(request, CONFIRM_PERMISSION)
        order = _order_or_404(object_id)
        form = workflow.form(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
            return HttpResponseRedirect(self.order_url(order))
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            workflow.service(order_id=order.pk, actor=Actor(user=request.user), expected_version=version, **data)
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        else:
            messages.success(request, workflow.done)
        return HttpResponseRedirect(self.order_url(order))

    # --- the edit forms ------------------------------------------------------------------------

    def edit_view(self, request: HttpRequest, object_id: str, part: str) -> HttpResponse:
        if part not in EDIT_PARTS:
            raise Http404
        _require(request, EDIT_PERMISSION)
        order = _order_or_404(object_id, Order.objects.select_related("customer"))
        edit = EditForms.build(part, order, request.POST if request.method == "POST" else None)
        changed_meanwhile: list[ChangedMeanwhile] = []
        if edit.is_bound and edit.is_valid():
            try:
                saved = self._edit_save(request, order, edit.changes(), edit.version())
            except VersionConflict:
                # Somebody saved in between: the same form on the order as it is now, the agent's changes kept.
                order = _order_or_404(object_id, Order.objects.select_related("customer"))
                edit, changed_meanwhile = edit.refreshed(order)
                version_conflict_notice(request)
            else:
                if saved:
                    return HttpResponseRedirect(self.order_url(order))

        context = {
            **self._page_context(request, order, str(EDIT_PARTS[part])),
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
