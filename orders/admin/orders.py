"""Orders in the admin: every order, and the agent's page for one. Every change goes through ``orders.services``."""

from django.contrib import admin

from flags.admin import FlagColourFilter
from orders.admin.lists import OpenCheckCodeFilter, OpenCheckSeverityFilter, OrderListMixin
from orders.admin.merge import OrderMergeMixin
from orders.admin.money_edits import OrderMoneyEditsMixin
from orders.admin.note_requests import OrderNoteRequestsMixin
from orders.admin.order_messages import OrderMessagesMixin
from orders.admin.payments import MoneyDueFilter, OrderPaymentsMixin
from orders.admin.warehouse import FlagListMixin, OrderWarehouseMixin
from orders.admin.workbench import OrderWorkbenchMixin
from orders.models import Order


@admin.register(Order)
class OrderAdmin(
    OrderMergeMixin,
    OrderMoneyEditsMixin,
    OrderNoteRequestsMixin,
    OrderPaymentsMixin,
    OrderMessagesMixin,
    OrderWarehouseMixin,
    OrderWorkbenchMixin,
    FlagListMixin,
    OrderListMixin,
    admin.ModelAdmin,
):
    actions = ["print_pick_list", "merge_selected_orders"]
    list_display = [
        "external_id",
        "status",
        "payment_status",
        "storefront",
        "customer_masked",
        "recipient_masked",
        "phone_masked",
        "flag_badges",
        "total",
        "open_blockers",
        "created_at",
    ]
    list_filter = [
        FlagColourFilter,
        "status",
        "payment_status",
        MoneyDueFilter,
        "storefront",
        OpenCheckCodeFilter,
        OpenCheckSeverityFilter,
        # Fixed ranges (today, 7 days, month, year): date_hierarchy scanned every order for its years.
        ("created_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["storefront", "customer"]
    show_full_result_count = False

    # Orders come from storefronts and are never deleted: their history is the record.
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
