"""The shop's catalogue: return policies, products and their variants (SKUs)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReturnPolicy(models.Model):
    """What a buyer may return and how: read to the buyer at confirmation and in the reminder."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    return_days = models.PositiveSmallIntegerField(
        _("return days"), default=7, help_text=_("Days after delivery for a no-reason return; 0 for none.")
    )
    warranty_months = models.PositiveSmallIntegerField(_("warranty months"), default=0)
    conditions_zh = models.TextField(_("conditions (Chinese)"), blank=True)
    conditions_en = models.TextField(_("conditions (English)"), blank=True)

    class Meta:
        verbose_name = _("return policy")
        verbose_name_plural = _("return policies")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def conditions(self, language: str) -> str:
        return self.conditions_en if language.startswith("en") and self.conditions_en else self.conditions_zh


class Product(models.Model):
    code = models.CharField(_("product code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=50, db_index=True)
    bulky = models.BooleanField(_("bulky"), default=False)
    engravable = models.BooleanField(_("engravable"), default=False)
    max_engraving_chars = models.PositiveSmallIntegerField(_("max engraving characters"), default=0)
    usual_max_quantity = models.PositiveSmallIntegerField(
        _("usual max quantity"), null=True, blank=True, help_text=_("Empty: the shop's default.")
    )
    return_policy = models.ForeignKey(
        ReturnPolicy, verbose_name=_("return policy"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Whose catalogue the product and its variants are: empty, the shop's own (staff, import_catalog),
    # which every storefront sells; a storefront, that storefront's alone, which only it (or staff) may
    # change and only its orders are priced from.
    storefront = models.ForeignKey(
        "orders.Storefront",
        verbose_name=_("storefront"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        help_text=_("Empty: the shop's own product, sold by every storefront."),
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Variant(models.Model):
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    size = models.CharField(_("size"), max_length=30, blank=True)
    colour = models.CharField(_("colour"), max_length=30, blank=True)
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    stock = models.IntegerField(_("stock"), default=0)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["sku"]
        # change_variant covers stock, size and colour (the warehouse corrects stock); the price is apart.
        permissions = [("change_variant_price", _("Can change catalogue prices"))]
        constraints = [models.CheckConstraint(name="variant_price_not_negative", condition=Q(price__gte=0))]

    def __str__(self) -> str:
        return self.sku

    def is_sold_by(self, storefront_id: int | None) -> bool:
        """Whether an order of this storefront may use the variant (its product loaded): the shop's own
        products and the storefront's."""
        return self.product.storefront_id is None or self.product.storefront_id == storefront_id
