"""The catalogue upsert behind both ``import_catalog`` and ``POST /api/v1/catalog/variants/``.

Who owns a row: staff and ``import_catalog`` write the shop's catalogue (products with no storefront),
which every storefront sells, and may correct any row; a storefront writes only its own products and
their variants. SKUs and product codes stay unique across the shop, so a storefront cannot take over
another's row, or the shop's, by sending its SKU: that row is refused, and with it the batch.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from orders.catalogue_cache import catalogue_forget
from orders.exceptions import InvalidInput
from orders.models import Product, ReturnPolicy, Storefront, Variant

PRODUCT_FIELDS = ("name", "category", "bulky", "engravable", "max_engraving_chars", "usual_max_quantity")


@dataclass(frozen=True)
class VariantRow:
    sku: str
    product_code: str
    product_name: str
    category: str
    price: Decimal
    size: str = ""
    colour: str = ""
    stock: int = 0
    bulky: bool = False
    engravable: bool = False
    max_engraving_chars: int = 0
    usual_max_quantity: int | None = None
    return_policy: str = ""

    def product_values(self) -> dict:
        return {
            "name": self.product_name,
            "category": self.category,
            "bulky": self.bulky,
            "engravable": self.engravable,
            "max_engraving_chars": self.max_engraving_chars,
            "usual_max_quantity": self.usual_max_quantity,
            "return_policy": self.return_policy,
        }


class CatalogRowError(InvalidInput):
    """A row that cannot go in; ``row`` is its 0-based index in the batch."""

    code = "invalid_catalog_row"

    def __init__(self, *, row: int, field: str, message: str):
        self.row = row
        self.field = field
        super().__init__(message, fields={f"{row}.{field}": [message]})


@dataclass(frozen=True)
class CatalogUpsertResult:
    products_created: int
    products_updated: int
    variants_created: int
    variants_updated: int


def catalog_upsert(*, rows: Sequence[VariantRow], storefront: Storefront | None = None) -> CatalogUpsertResult:
    """Create or update products and variants by code and SKU; all rows or none.

    ``storefront``: the rows are that storefront's catalogue (None: the shop's, written by staff).
    Rows of one product must agree on the product's fields. A few queries whatever the size:
    one read per table and bulk writes.
    """
    _check_batch(rows)
    policies = ReturnPolicy.objects.in_bulk({r.return_policy for r in rows if r.return_policy}, field_name="code")
    for index, row in enumerate(rows):
        if row.return_policy and row.return_policy not in policies:
            raise CatalogRowError(
                row=index, field="return_policy", message=_("Unknown return policy “%s”.") % row.return_policy
            )

    with transaction.atomic():
        products = Product.objects.select_for_update().in_bulk({r.product_code for r in rows}, field_name="code")
        variants = (
            Variant.objects.select_for_update()
            .select_related("product")
            .in_bulk({r.sku for r in rows}, field_name="sku")
        )
        if storefront is not None:
            _check_ownership(rows, storefront, products, variants)
        wanted: dict[str, VariantRow] = {}
        for row in rows:
            wanted[row.product_code] = row
        new_products, changed_products = [], []
        for code, row in wanted.items():
            values = row.product_values()
            values["return_policy"] = policies.get(row.return_policy)
            product = products.get(code)
            if product is None:
                product = Product(code=code, storefront=storefront, **values)
                new_products.append(product)
                products[code] = product
            elif any(getattr(product, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(product, name, value)
                changed_products.append(product)
        Product.objects.bulk_create(new_products)
        Product.objects.bulk_update(changed_products, [*PRODUCT_FIELDS, "return_policy"])

        new_variants, changed_variants = [], []
        for row in rows:
            values = {
                "product": products[row.product_code],
                "size": row.size,
                "colour": row.colour,
                "price": row.price,
                "stock": row.stock,
            }
            variant = variants.get(row.sku)
            if variant is None:
                new_variants.append(Variant(sku=row.sku, **values))
            elif any(getattr(variant, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(variant, name, value)
                changed_variants.append(variant)
        Variant.objects.bulk_create(new_variants)
        Variant.objects.bulk_update(changed_variants, ["product", "size", "colour", "price", "stock"])
    catalogue_forget()
    return CatalogUpsertResult(
        products_created=len(new_products),
        products_updated=len(changed_products),
        variants_created=len(new_variants),
        variants_updated=len(changed_variants),
    )


def _check_ownership(
    rows: Sequence[VariantRow], storefront: Storefront, products: dict[str, Product], variants: dict[str, Variant]
) -> None:
    """A storefront changes only its own rows: not the shop's, not another storefront's."""
    for index, row in enumerate(rows):
        product = products.get(row.product_code)
        if product is not None and product.storefront_id != storefront.pk:
            raise CatalogRowError(
                row=index,
                field="product_code",
                message=_("Product “%s” belongs to another catalogue.") % row.product_code,
            )
        variant = variants.get(row.sku)
        if variant is not None and variant.product.storefront_id != storefront.pk:
            raise CatalogRowError(row=index, field="sku", message=_("SKU “%s” belongs to another catalogue.") % row.sku)


def _check_batch(rows: Sequence[VariantRow]) -> None:
    first_sku: dict[str, int] = {}
    first_product: dict[str, int] = {}
    for index, row in enumerate(rows):
        if row.sku in first_sku:
            raise CatalogRowError(row=index, field="sku", message=_("SKU “%s” appears twice in this batch.") % row.sku)
        first_sku[row.sku] = index
        seen = first_product.setdefault(row.product_code, index)
        if seen != index and rows[seen].product_values() != row.product_values():
            differing = next(
                name for name, value in row.product_values().items() if rows[seen].product_values()[name] != value
            )
            raise CatalogRowError(
                row=index,
                field=differing,
                message=_("Product “%(code)s” has another %(field)s in an earlier row.")
                % {"code": row.product_code, "field": differing},
            )
