from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from orders.addresses import mask_phone
from orders.models import ApiToken, Customer, Storefront
from orders.services.tokens import storefront_token_issue, token_revoke


@admin.register(Storefront)
class StorefrontAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "writes_catalogue", "created_at"]
    list_filter = ["is_active", "writes_catalogue"]
    search_fields = ["name"]
    actions = ["issue_token"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            key = storefront_token_issue(storefront=obj)
            messages.warning(
                request, _("API token for %(name)s (shown once, copy it now): %(key)s") % {"name": obj.name, "key": key}
            )

    @admin.action(description=_("Issue a new API token"), permissions=["change"])
    def issue_token(self, request, queryset) -> None:
        for storefront in queryset:
            key = storefront_token_issue(storefront=storefront)
            messages.warning(
                request,
                _("API token for %(name)s (shown once, copy it now): %(key)s") % {"name": storefront.name, "key": key},
            )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "kind", "storefront", "user", "created_at", "expires_at", "revoked_at"]
    list_filter = ["kind", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["storefront", "user"]
    search_fields = ["prefix", "storefront__name", "user__username"]
    readonly_fields = ["kind", "prefix", "storefront", "user", "created_at", "expires_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token_revoke(token=token)
        count = len(tokens)
        messages.success(request, ngettext("%d token revoked.", "%d tokens revoked.", count) % count)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name", "storefront", "masked_phone", "default_city", "default_kind", "created_at"]
    list_filter = ["storefront", "default_kind"]
    list_select_related = ["storefront"]
    search_fields = ["external_id", "name", "phone", "default_phone"]
    readonly_fields = ["storefront", "external_id", "created_at", "updated_at"]

    @admin.display(description=_("phone"))
    def masked_phone(self, customer: Customer) -> str:
        return mask_phone(customer.phone or customer.default_phone)
