"""What the order admin's pages share: the permissions they ask for, the order or a 404, a domain
error or an invalid form said as an admin message, the one path of a small form posted from the
order page, and the read-only lists."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.translation import gettext as _

from orders.admin.timeline import field_label
from orders.checks.messages import check_title
from orders.events import Actor
from orders.exceptions import ConfirmBlocked, DomainError
from orders.models import Order

CONFIRM_PERMISSION = "orders.confirm_order"
EDIT_PERMISSION = "orders.edit_order_address"
FULL_PHONE_PERMISSION = "orders.view_full_phone"


def order_or_404(object_id: str, queryset: QuerySet[Order] | None = None) -> Order:
    """The order of an admin URL (from ``queryset`` when given); 404 for anything else."""
    if not str(object_id).isdigit():
        raise Http404
    order = (queryset if queryset is not None else Order.objects.all()).filter(pk=int(object_id)).first()
    if order is None:
        raise Http404
    return order


def require(request: HttpRequest, permission: str) -> None:
    """403 unless the user has ``permission``."""
    if not request.user.has_perm(permission):
        raise PermissionDenied


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
    """A refused form's errors in one message; a missing or bad version says to reload the page."""
    if "version" in form.errors:
        return _("The page is out of date; reload it and try again.")
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}".lstrip(": ")
        for name, errors in form.errors.items()
    )


# What a page action calls with the validated form: ``service(request, order, cleaned_data)``.
ActionService = Callable[[HttpRequest, Order, dict], object]


@dataclass(frozen=True)
class PageAction:
    """A small form posted from the order page: who may, what it validates, what it calls."""

    form: type[forms.BaseForm]
    permission: str
    service: ActionService
    done: Any  # the success message (lazy)
    # The form's name in the page's context: a refused form comes back on the page as it was typed.
    form_name: str = ""


def workflow_service(service: Callable[..., Order]) -> ActionService:
    """A workflow service (``order_id``, ``actor``, ``expected_version`` and the form's other fields)
    as a page action's call."""

    def call(request: HttpRequest, order: Order, data: dict) -> Order:
        fields = dict(data)
        version = fields.pop("version")
        return service(order_id=order.pk, actor=Actor(user=request.user), expected_version=version, **fields)

    return call


# The order page again, with some of its forms replaced by bound ones: ``page(request, order, {name: form})``.
OrderPage = Callable[[HttpRequest, Order, dict[str, forms.BaseForm]], HttpResponse]


def page_action_view(
    request: HttpRequest,
    object_id: str,
    action: PageAction | None,
    order_url: Callable[[Order], str],
    page: OrderPage,
) -> HttpResponse:
    """Validate the form, call the service, say how it went as an admin message, back to the page.
    A domain error or an invalid form changes nothing and says why; an action with a named form
    brings the page back with the form as typed (a refused tracking number is not lost)."""
    if action is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(request, action.permission)
    order = order_or_404(object_id)
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
    if action.form_name:
        return page(request, order, {action.form_name: form})
    return HttpResponseRedirect(order_url(order))


class ReadOnlyAdminMixin:
    """A list to read: nobody adds, changes or deletes here (its actions and the order page write)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
