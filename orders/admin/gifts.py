"""Free-gift rules (赠品) as shop data: supervisors add and change them here, agents read them."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from orders.models import GiftRule

FIELDS = [
    "name",
    "gift_variant",
    "quantity",
    "threshold",
    "trigger_variants",
    "valid_from",
    "valid_to",
    "limit_per_order",
    "active",
]


class GiftRuleForm(forms.ModelForm):
    class Meta:
        model = GiftRule
        fields = FIELDS

    def clean(self) -> dict:
        data = super().clean()
        if data.get("threshold") is None and not data.get("trigger_variants"):
            raise forms.ValidationError(
                _("Give a threshold, trigger SKUs or both: otherwise the rule never gives its gift.")
            )
        return data


@admin.register(GiftRule)
class GiftRuleAdmin(admin.ModelAdmin):
    form = GiftRuleForm
    list_display = [
        "name",
        "gift_variant",
        "quantity",
        "threshold",
        "triggers",
        "valid_from",
        "valid_to",
        "limit_per_order",
        "active",
    ]
    list_editable = ["active"]
    list_filter = ["active"]
    list_select_related = ["gift_variant"]
    search_fields = ["name", "gift_variant__sku", "gift_variant__product__name"]
    autocomplete_fields = ["gift_variant", "trigger_variants"]
    fields = FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("trigger_variants")

    @admin.display(description=_("trigger SKUs"))
    def triggers(self, rule: GiftRule) -> str:
        return ", ".join(variant.sku for variant in rule.trigger_variants.all()) or "—"
