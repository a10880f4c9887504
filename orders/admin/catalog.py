from django.contrib import admin

from orders.models import Product, ReturnPolicy, Variant

PRICE_PERMISSION = "orders.change_variant_price"


class PriceReadOnlyMixin:
    """The price is read-only for whoever may change a variant but not its price (the warehouse)."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(PRICE_PERMISSION):
            readonly.append("price")
        return readonly


class VariantInline(PriceReadOnlyMixin, admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["sku", "size", "colour", "price", "stock"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "category",
        "bulky",
        "engravable",
        "max_engraving_chars",
        "return_policy",
        "storefront",
    ]
    list_filter = ["category", "bulky", "engravable", "return_policy", "storefront"]
    list_select_related = ["return_policy", "storefront"]
    search_fields = ["code", "name"]
    inlines = [VariantInline]


@admin.register(Variant)
class VariantAdmin(PriceReadOnlyMixin, admin.ModelAdmin):
    list_display = ["sku", "product", "size", "colour", "price", "stock"]
    list_filter = ["product__category"]
    list_select_related = ["product"]
    search_fields = ["sku", "product__name", "product__code"]
    autocomplete_fields = ["product"]


@admin.register(ReturnPolicy)
class ReturnPolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "return_days", "warranty_months"]
    search_fields = ["code", "name"]
