from django.contrib import admin

from orders.models import Product, ReturnPolicy, Variant


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["sku", "size", "colour", "price", "stock"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "bulky", "engravable", "max_engraving_chars", "return_policy"]
    list_filter = ["category", "bulky", "engravable", "return_policy"]
    list_select_related = ["return_policy"]
    search_fields = ["code", "name"]
    inlines = [VariantInline]


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ["sku", "product", "size", "colour", "price", "stock"]
    list_filter = ["product__category"]
    list_select_related = ["product"]
    search_fields = ["sku", "product__name", "product__code"]
    autocomplete_fields = ["product"]


@admin.register(ReturnPolicy)
class ReturnPolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "return_days", "warranty_months"]
    search_fields = ["code", "name"]
