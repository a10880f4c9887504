"""Customers (buyers), per storefront, with the default address the storefront knows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.addresses import Address, address_fields_model
from orders.models.storefront import Storefront

DefaultAddressFields = address_fields_model("default_", _("default "))


class Customer(DefaultAddressFields):
    storefront = models.ForeignKey(Storefront, verbose_name=_("storefront"), on_delete=models.PROTECT)
    external_id = models.CharField(_("external id"), max_length=64)
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Where e-mail messages go, when the storefront knows it.
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(fields=["storefront", "external_id"], name="customer_external_id_per_storefront")
        ]

    def __str__(self) -> str:
        return f"{self.name or self.external_id}"

    @property
    def default_address(self) -> Address:
        return Address.from_model(self, "default_")
