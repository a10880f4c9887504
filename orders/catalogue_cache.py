"""The catalogue as intake reads it: variants with their product, remembered for a few seconds.

Every order reads the variants of its SKUs; on a sale day the same few hundred SKUs come back in
every order. A process keeps what it read for ``CATALOGUE_CACHE_SECONDS`` (settings; 0 turns it
off), and forgets it at once when this process saves a product or variant (the REST upsert,
``import_catalog``, the admin). Other processes see a change within that time; an agent's
*Re-run checks* always reads the database.
"""

import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from orders.models import Product, Variant

_lock = threading.Lock()
_variants: dict[str, tuple[float, Variant | None]] = {}


def catalogue_variants(skus: set[str], *, storefront_id: int | None, fresh: bool = False) -> dict[str, Variant]:
    """The variants (with their product loaded) of ``skus`` that this storefront sells: the shop's own and
    the storefront's (``Variant.is_sold_by``). Unknown SKUs and other storefronts' are left out.
    ``fresh`` reads the database whatever is remembered (an agent's edit prices from the catalogue as it is)."""
    ttl = settings.ORDERDESK.get("CATALOGUE_CACHE_SECONDS", 0)
    now = time.monotonic()
    found: dict[str, Variant] = {}
    missing: set[str] = set(skus) if fresh else set()
    with _lock:
        for sku in () if fresh else skus:
            cached = _variants.get(sku)
            if cached is not None and cached[0] > now:
                if cached[1] is not None:
                    found[sku] = cached[1]
            else:
                missing.add(sku)
    if missing:
        loaded = Variant.objects.select_related("product").in_bulk(missing, field_name="sku")
        found.update(loaded)
        if ttl:
            with _lock:
                if len(_variants) > 50_000:
                    _variants.clear()
                for sku in missing:
                    _variants[sku] = (now + ttl, loaded.get(sku))
    return {sku: variant for sku, variant in found.items() if variant.is_sold_by(storefront_id)}


def catalogue_forget(**_kwargs: object) -> None:
    with _lock:
        _variants.clear()


for _model in (Product, Variant):
    post_save.connect(catalogue_forget, sender=_model, dispatch_uid=f"catalogue_cache_{_model.__name__}_save")
    post_delete.connect(catalogue_forget, sender=_model, dispatch_uid=f"catalogue_cache_{_model.__name__}_delete")
