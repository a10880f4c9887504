"""The agents' confirmation queue: orders waiting for a call to the buyer, oldest first."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from orders.admin.lists import OpenCheckCodeFilter, OpenCheckSeverityFilter, OrderListMixin
from orders.admin.merge import MergeActionMixin
from orders.admin.plumbing import CONFIRM_PERMISSION, ReadOnlyAdminMixin
from orders.admin.warehouse import FlagListMixin
from orders.models import ConfirmationQueue, Order
from orders.selectors import orders_awaiting_confirmation


@admin.register(ConfirmationQueue)
class ConfirmationQueueAdmin(ReadOnlyAdminMixin, MergeActionMixin, FlagListMixin, OrderListMixin, admin.ModelAdmin):
    list_display = [
        "external_id",
        "waiting",
        "status",
        "customer_masked",
        "recipient_masked",
        "phone_masked",
        "open_blockers",
        "open_warnings",
        "flag_badges",
        "total",
    ]  # the storefront is a filter: a column of it pushed the queue past 1366 px
    list_filter = [OpenCheckCodeFilter, OpenCheckSeverityFilter, "storefront"]
    list_select_related = ["storefront", "customer"]
    ordering = ["created_at", "id"]
    show_full_result_count = False
    list_per_page = 50
    change_list_template = "admin/orders/confirmationqueue/change_list.html"
    actions = ["merge_selected_orders"]

    def get_queryset(self, request) -> QuerySet[Order]:
        return orders_awaiting_confirmation(super().get_queryset(request))

    @admin.display(description=_("waiting"), ordering="created_at")
    def waiting(self, order: Order) -> str:
        return timesince(order.created_at)

    # The queue is the agents' work list: who confirms orders sees it; nobody changes orders here.
    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(CONFIRM_PERMISSION)

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm(CONFIRM_PERMISSION)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:orders_order_change", args=[object_id]))
