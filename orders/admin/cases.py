"""The after-sale queue (售后) in the admin: cases most urgent first, overdue ones marked; the case page with
its order, the order's messages, reply templates that open with an apology, the timeline, and the agent's
actions (assign to me, add a note, resolve with an outcome). Supervisors edit the priorities, due times
and reply templates as shop data."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from orders.admin.plumbing import ReadOnlyAdminMixin, domain_error_text, form_errors_text, order_or_404, require
from orders.events import Actor
from orders.exceptions import DomainError
from orders.messaging.models import Message
from orders.models import Case, CaseDueTime, CaseReplyTemplate, CaseRule, CaseStatus
from orders.models.cases import CASE_WORKING_STATUS_CHOICES, CaseKind, CaseOutcome
from orders.services.cases import (
    CASE_PERMISSION,
    CaseRefund,
    case_assign,
    case_note_add,
    case_open,
    case_refund_limit,
    case_resolve,
    cases_queue,
)
from orders.text import CASE_DESCRIPTION, CASE_NOTE, PAYMENT_REFERENCE

VIEW_PERMISSION = "orders.view_case"


class CaseNoteForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=CASE_NOTE.limit, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("status"), choices=[("", "—"), *CASE_WORKING_STATUS_CHOICES], required=False)


class CaseOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *CaseKind.choices])
    description = forms.CharField(
        label=_("description"),
        max_length=CASE_DESCRIPTION.limit,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    urgent = forms.BooleanField(label=_("urgent"), required=False)


class CaseResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=[("", "—"), *CaseOutcome.choices])
    note = forms.CharField(
        label=_("note"), max_length=CASE_NOTE.limit, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Refunded: the money returned, recorded on the order (left empty: a refund recorded before).
    refund_amount = forms.DecimalField(label=_("refund amount"), max_digits=12, decimal_places=2, required=False)
    refund_reference = forms.CharField(label=_("refund reference"), max_length=PAYMENT_REFERENCE.limit, required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("refund_amount") is not None and not (cleaned.get("refund_reference") or "").strip():
            self.add_error("refund_reference", _("Give the refund's reference (its id at the payment provider)."))
        return cleaned


def _assign(request: HttpRequest, case: Case, data: dict) -> object:
    return case_assign(case_id=case.pk, actor=Actor(user=request.user))


def _note(request: HttpRequest, case: Case, data: dict) -> object:
    return case_note_add(
        case_id=case.pk, note=data["note"], status=data["status"] or None, actor=Actor(user=request.user)
    )


def _resolve(request: HttpRequest, case: Case, data: dict) -> object:
    refund = None
    if data.get("refund_amount") is not None:
        refund = CaseRefund(amount=data["refund_amount"], reference=data["refund_reference"])
    actor = Actor(user=request.user)
    return case_resolve(case_id=case.pk, outcome=data["outcome"], note=data["note"], actor=actor, refund=refund)


# name -> (form, service, the message when done)
CASE_ACTIONS = {
    "assign": (forms.Form, _assign, _("The case is yours.")),
    "note": (CaseNoteForm, _note, _("The note is added.")),
    "resolve": (CaseResolveForm, _resolve, _("The case is resolved.")),
}


class CaseStatusFilter(admin.SimpleListFilter):
    """The queue shows the cases still to work on unless asked for another status."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", _("to work on")), *CaseStatus.choices, ("all", _("all"))]

    def choices(self, changelist):
        value = self.value() or "active"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset: QuerySet[Case]) -> QuerySet[Case]:
        value = self.value() or "active"
        if value == "active":
            return queryset.exclude(status=CaseStatus.RESOLVED)
        if value in CaseStatus.values:
            return queryset.filter(status=value)
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned to")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("me")), ("none", _("nobody"))]

    def queryset(self, request, queryset: QuerySet[Case]) -> QuerySet[Case]:
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "case",
        "order_link",
        "kind",
        "priority",
        "urgent_mark",
        "status",
        "due",
        "assigned_to",
        "created_at",
    ]
    list_display_links = ["case"]
    list_filter = [CaseStatusFilter, AssignedFilter, "kind"]
    list_select_related = ["order", "assigned_to"]
    ordering = ["priority", "due_at", "id"]
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request) -> QuerySet[Case]:
        return cases_queue(super().get_queryset(request))

    def get_ordering(self, request):
        return self.ordering  # most urgent first, whatever column was clicked before

    @admin.display(description=_("case"))
    def case(self, case: Case) -> str:
        return f"#{case.pk} {case.get_kind_display()}"

    @admin.display(description=_("order"))
    def order_link(self, case: Case) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[case.order_id]), case.order.external_id
        )

    @admin.display(description=_("urgent"))
    def urgent_mark(self, case: Case) -> str:
        return str(_("urgent")) if case.urgent else ""

    @admin.display(description=_("deadline"), ordering="due_at")
    def due(self, case: Case) -> str:
        when = f"{timezone.localtime(case.due_at):%Y-%m-%d %H:%M}"
        if getattr(case, "overdue", False):
            return format_html('<strong class="case-overdue">{} ⚠ {}</strong>', when, _("overdue"))
        return when

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)

    def get_urls(self):
        return [
            path("open/<int:order_id>/", self.admin_site.admin_view(self.open_view), name="orders_case_open"),
            path("<path:object_id>/act/<str:name>/", self.admin_site.admin_view(self.act_view), name="orders_case_act"),
            *super().get_urls(),
        ]

    def _case_or_404(self, object_id: str) -> Case:
        if not str(object_id).isdigit():
            raise Http404
        case = (
            cases_queue(Case.objects.filter(pk=int(object_id)))
            .select_related("order", "assigned_to", "replacement")
            .first()
        )
        if case is None:
            raise Http404
        return case

    def change_view(self, request, object_id, form_url="", extra_context=None):
        require(request, VIEW_PERMISSION)
        case = self._case_or_404(object_id)
        return self.case_page(request, case)

    def case_page(self, request: HttpRequest, case: Case, forms_: dict | None = None) -> HttpResponse:
        order = case.order
        can_work = request.user.has_perm(CASE_PERMISSION) and case.is_open
        # The shop's Chinese first, then English; the kind's own replies and those for every kind.
        refund_limit = case_refund_limit(case=case, actor=Actor(user=request.user))
        templates = CaseReplyTemplate.objects.filter(Q(kind=case.kind) | Q(kind="")).order_by("-language", "position")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(case),
            "case": case,
            "order": order,
            "notes": case.notes.select_related("author"),
            "order_messages": Message.objects.filter(order=order).order_by("id"),
            "other_cases": cases_queue(order.cases.exclude(pk=case.pk)),
            "reply_templates": templates,
            "can_work": can_work,
            "can_refund": refund_limit is None or refund_limit > 0,
            "refund_limit": refund_limit,
            "note_form": (forms_ or {}).get("note") or CaseNoteForm(),
            "resolve_form": (forms_ or {}).get("resolve") or CaseResolveForm(),
        }
        return TemplateResponse(request, "admin/orders/case/page.html", context)

    def open_view(self, request: HttpRequest, order_id: int) -> HttpResponse:
        """An agent opens a case on the order (the buyer called about it)."""
        require(request, "orders.add_case")
        order = order_or_404(str(order_id))
        form = CaseOpenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                case = case_open(order_id=order.pk, actor=Actor(user=request.user), **form.cleaned_data)
            except DomainError as error:
                messages.error(request, domain_error_text(error))
            else:
                messages.success(request, _("The case is opened."))
                return HttpResponseRedirect(reverse("admin:orders_case_change", args=[case.pk]))
        elif request.method == "POST":
            messages.error(request, form_errors_text(form))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Open an after-sale case"),
            "order": order,
            "form": form,
        }
        return TemplateResponse(request, "admin/orders/case/open.html", context)

    def act_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        """An action posted from the case page: validate, call the service, say how it went."""
        if name not in CASE_ACTIONS:
            raise Http404
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        require(request, CASE_PERMISSION)
        case = self._case_or_404(object_id)
        form_class, service, done = CASE_ACTIONS[name]
        form = form_class(request.POST)
        page_url = reverse("admin:orders_case_change", args=[case.pk])
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
            return self.case_page(request, case, {name: form})
        try:
            service(request, case, form.cleaned_data)
        except DomainError as error:
            messages.error(request, domain_error_text(error))
            return self.case_page(request, self._case_or_404(object_id), {name: form})
        messages.success(request, done)
        return HttpResponseRedirect(page_url)


@admin.register(CaseRule)
class CaseRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "priority"]
    list_editable = ["priority"]
    ordering = ["priority", "kind"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # every kind keeps a priority


@admin.register(CaseDueTime)
class CaseDueTimeAdmin(admin.ModelAdmin):
    list_display = ["priority", "hours"]
    list_editable = ["hours"]


@admin.register(CaseReplyTemplate)
class CaseReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "text", "position"]
    list_filter = ["language", "kind"]
