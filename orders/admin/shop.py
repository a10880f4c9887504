"""Shop settings as data: supervisors edit them here."""

from django.contrib import admin

from orders.models import Courier, CourierProvinceRule, ProvinceRule, SchoolHoliday, ShopSettings


@admin.register(ShopSettings)
class ShopSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return not ShopSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CourierProvinceRuleInline(admin.TabularInline):
    model = CourierProvinceRule
    extra = 0


@admin.register(Courier)
class CourierAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "in_use", "is_default", "default_surcharge", "tracking_pattern"]
    list_editable = ["in_use", "is_default", "default_surcharge"]
    inlines = [CourierProvinceRuleInline]


@admin.register(ProvinceRule)
class ProvinceRuleAdmin(admin.ModelAdmin):
    list_display = ["province", "base_fee", "remote", "transit_days"]
    list_editable = ["base_fee", "remote", "transit_days"]
    list_filter = ["remote"]
    search_fields = ["province"]


@admin.register(SchoolHoliday)
class SchoolHolidayAdmin(admin.ModelAdmin):
    list_display = ["name", "start_month", "start_day", "end_month", "end_day"]
