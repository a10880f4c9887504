"""异常订单: one list of what needs attention, with the reason shown."""

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from flags.selectors import open_flag_badges_prefetch
from orders.admin.lists import OrderListMixin
from orders.admin.plumbing import ReadOnlyAdminMixin
from orders.admin.warehouse import FlagListMixin
from orders.models import AbnormalOrder, Order
from orders.selectors import ABNORMAL_REASON_LABELS, abnormal_field, abnormal_orders, abnormal_reasons


class AbnormalReasonFilter(admin.SimpleListFilter):
    title = _("reason")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return list(ABNORMAL_REASON_LABELS.items())

    def queryset(self, request, queryset: QuerySet) -> QuerySet | None:
        if self.value() in ABNORMAL_REASON_LABELS:
            return queryset.filter(**{abnormal_field(self.value()): True})
        return None


@admin.register(AbnormalOrder)
class AbnormalOrderAdmin(ReadOnlyAdminMixin, FlagListMixin, OrderListMixin, admin.ModelAdmin):
    list_display = [
        "external_id",
        "reasons",
        "status",
        "customer_masked",
        "recipient_masked",
        "phone_masked",
        "flag_badges",
        "hold_reason",
        "created_at",
    ]
    list_filter = [AbnormalReasonFilter, "status", "storefront"]
    list_select_related = ["customer"]
    ordering = ["id"]
    show_full_result_count = False

    def get_queryset(self, request):
        return abnormal_orders().prefetch_related(open_flag_badges_prefetch())

    @admin.display(description=_("reasons"))
    def reasons(self, order: Order) -> str:
        return "、".join(str(ABNORMAL_REASON_LABELS[reason]) for reason in abnormal_reasons(order))

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("orders.view_order")

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm("orders.view_order")
