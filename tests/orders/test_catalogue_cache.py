"""Intake remembers the catalogue for a few seconds per process, and forgets it when it changes here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.catalogue_cache import catalogue_forget, catalogue_variants
from orders.models import Variant
from orders.services.catalog import catalog_upsert
from tests.factories import variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.ORDERDESK = {**settings.ORDERDESK, "CATALOGUE_CACHE_SECONDS": 60}
    catalogue_forget()


def test_a_second_read_of_the_same_skus_runs_no_query(cached, catalogue):
    first = catalogue_variants({"TEE-RED-M", "NOPE"}, storefront_id=None)

    with CaptureQueriesContext(connection) as queries:
        second = catalogue_variants({"TEE-RED-M", "NOPE"}, storefront_id=None)

    assert len(queries) == 0
    assert set(first) == set(second) == {"TEE-RED-M"}
    assert second["TEE-RED-M"].product.name == "纯棉T恤"


def test_an_upsert_in_this_process_is_seen_at_once(cached, catalogue):
    catalogue_variants({"TEE-RED-M"}, storefront_id=None)

    catalog_upsert(rows=[variant("TEE-RED-M", "TEE", product_name="纯棉T恤", size="M", colour="红色", stock=0)])

    assert catalogue_variants({"TEE-RED-M"}, storefront_id=None)["TEE-RED-M"].stock == 0


def test_a_save_in_the_admin_is_seen_at_once(cached, catalogue):
    catalogue_variants({"TEE-RED-M"}, storefront_id=None)
    tee = Variant.objects.get(sku="TEE-RED-M")
    tee.stock = 3
    tee.save()

    assert catalogue_variants({"TEE-RED-M"}, storefront_id=None)["TEE-RED-M"].stock == 3


def test_off_reads_the_database_every_time(catalogue):
    catalogue_variants({"TEE-RED-M"}, storefront_id=None)

    with CaptureQueriesContext(connection) as queries:
        catalogue_variants({"TEE-RED-M"}, storefront_id=None)

    assert len(queries) == 1


def test_a_storefronts_own_row_is_not_handed_to_another_from_the_cache(cached, catalogue):
    from orders.services.tokens import storefront_create

    shop_a, _key = storefront_create(name="shop-a")
    shop_b, _key = storefront_create(name="shop-b")
    catalog_upsert(rows=[variant("MUG-1", "MUG", product_name="马克杯")], storefront=shop_b)

    assert set(catalogue_variants({"MUG-1", "TEE-RED-M"}, storefront_id=shop_b.pk)) == {"MUG-1", "TEE-RED-M"}
    assert set(catalogue_variants({"MUG-1", "TEE-RED-M"}, storefront_id=shop_a.pk)) == {"TEE-RED-M"}
