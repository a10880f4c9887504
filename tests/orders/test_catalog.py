"""The catalogue: import_catalog (CSV, all-or-nothing) and the REST upsert share one service."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from orders.models import Product, Variant

pytestmark = pytest.mark.django_db

HEADER = (
    "sku,product_code,product_name,category,size,colour,price,stock,bulky,engravable,max_engraving_chars,"
    "usual_max_quantity,return_policy\n"
)
GOOD = HEADER + (
    "TEE-RED-M,TEE,纯棉T恤,apparel,M,红色,99.00,20,false,false,0,,apparel-7d\n"
    "TEE-RED-L,TEE,纯棉T恤,apparel,L,红色,99.00,15,false,false,0,,apparel-7d\n"
    "SOFA-GREY,SOFA,三人布艺沙发,furniture,,灰色,2999.00,3,true,false,0,1,furniture-15d\n"
    "RING-12,RING,925银戒指,jewellery,12,银色,199.00,10,false,true,6,,jewellery-30d\n"
)


def write(tmp_path, text: str, name: str = "catalogue.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(path) -> str:
    out = StringIO()
    call_command("import_catalog", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_creates_products_and_variants(tmp_path):
    output = run_import(write(tmp_path, GOOD))

    assert "4 rows" in output
    assert Product.objects.count() == 3
    sofa = Product.objects.get(code="SOFA")
    assert sofa.bulky is True
    assert sofa.usual_max_quantity == 1
    assert sofa.return_policy.code == "furniture-15d"
    ring = Variant.objects.select_related("product").get(sku="RING-12")
    assert ring.product.engravable and ring.product.max_engraving_chars == 6
    assert str(ring.price) == "199.00"


def test_reimport_updates_by_sku(tmp_path):
    run_import(write(tmp_path, GOOD))
    changed = GOOD.replace(
        "TEE-RED-M,TEE,纯棉T恤,apparel,M,红色,99.00,20", "TEE-RED-M,TEE,纯棉T恤,apparel,M,红色,89.00,7"
    )

    output = run_import(write(tmp_path, changed))

    assert "1 updated" in output
    variant = Variant.objects.get(sku="TEE-RED-M")
    assert (str(variant.price), variant.stock) == ("89.00", 7)
    assert Variant.objects.count() == 4


def test_import_accepts_a_utf8_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeff".encode() + GOOD.encode())

    run_import(path)

    assert Variant.objects.count() == 4


@pytest.mark.parametrize(
    ("bad_line", "expected"),
    [
        ("BAD-1,TEE,纯棉T恤,apparel,M,红色,-1.00,1,false,false,0,,apparel-7d", "line 4: price"),
        ("BAD-1,TEE,纯棉T恤,apparel,M,红色,abc,1,false,false,0,,apparel-7d", "line 4: price"),
        ("BAD-1,TEE,纯棉T恤,apparel,M,红色,9.999,1,false,false,0,,apparel-7d", "line 4: price"),
        ("BAD-1,TEE,纯棉T恤,apparel,M,红色,9.00,1,maybe,false,0,,apparel-7d", "line 4: bulky"),
        ("BAD-1,TEE,纯棉T恤,apparel,M,红色,9.00,1,false,false,0,,no-such-policy", "line 4: return_policy"),
        ("TEE-RED-M,TEE,纯棉T恤,apparel,M,红色,9.00,1,false,false,0,,apparel-7d", "line 4: sku"),
        ("BAD-1,TEE,别的名字,apparel,M,红色,9.00,1,false,false,0,,apparel-7d", "line 4: name"),
        (",TEE,纯棉T恤,apparel,M,红色,9.00,1,false,false,0,,apparel-7d", "line 4: sku"),
        ("BAD-1,TEE,纯棉T恤,apparel,M,红色,9.00,1,false,false,0,,apparel-7d,extra", "line 4: more cells"),
    ],
)
def test_bad_row_stops_the_import_with_its_line_number_and_imports_nothing(tmp_path, bad_line, expected):
    lines = GOOD.splitlines()
    text = "\n".join([*lines[:3], bad_line, *lines[3:]]) + "\n"

    with pytest.raises(CommandError, match=expected):
        run_import(write(tmp_path, text))

    assert Variant.objects.count() == 0
    assert Product.objects.count() == 0


def test_bad_row_leaves_an_earlier_catalogue_untouched(tmp_path):
    run_import(write(tmp_path, GOOD))
    broken = GOOD.replace("99.00,20", "79.00,20") + "X,TEE,纯棉T恤,apparel,S,红色,nope,1,false,false,0,,apparel-7d\n"

    with pytest.raises(CommandError, match="line 6: price"):
        run_import(write(tmp_path, broken))

    assert str(Variant.objects.get(sku="TEE-RED-M").price) == "99.00"


def test_missing_column_is_reported_on_line_1(tmp_path):
    with pytest.raises(CommandError, match=r"line 1: missing column.*price"):
        run_import(write(tmp_path, "sku,product_code,product_name,category\nA,B,C,D\n"))


def test_unknown_file_is_a_readable_error(tmp_path):
    with pytest.raises(CommandError, match="cannot open"):
        run_import(tmp_path / "missing.csv")


def test_non_utf8_file_is_a_readable_error(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(GOOD.encode("gbk"))

    with pytest.raises(CommandError, match="not UTF-8"):
        run_import(path)

    assert Variant.objects.count() == 0


@pytest.fixture
def catalogue_api(api, storefront):
    """A storefront allowed to write its own catalogue."""
    storefront.writes_catalogue = True
    storefront.save(update_fields=["writes_catalogue"])
    return api


def test_rest_upsert_by_storefront(catalogue_api):
    rows = [
        {
            "sku": "MUG-1",
            "product_code": "MUG",
            "product_name": "马克杯",
            "category": "home",
            "price": "39.00",
            "stock": 5,
            "engravable": True,
            "max_engraving_chars": 10,
        },
    ]

    response = catalogue_api.post("/api/v1/catalog/variants/", rows, format="json")
    again = catalogue_api.post("/api/v1/catalog/variants/", [{**rows[0], "price": "35.00"}], format="json")

    assert response.status_code == 200, response.content
    assert response.json()["variants_created"] == 1
    assert again.json()["variants_updated"] == 1
    assert str(Variant.objects.get(sku="MUG-1").price) == "35.00"


def test_rest_upsert_bad_row_is_400_with_its_index_and_stores_nothing(catalogue_api):
    rows = [
        {"sku": "A-1", "product_code": "A", "product_name": "a", "category": "x", "price": "1.00"},
        {"sku": "A-2", "product_code": "A", "product_name": "a", "category": "x", "price": "-1.00"},
    ]

    response = catalogue_api.post("/api/v1/catalog/variants/", rows, format="json")

    assert response.status_code == 400
    assert "1.price" in response.json()["fields"]
    assert Variant.objects.count() == 0


def test_rest_upsert_unknown_policy_is_400(catalogue_api):
    rows = [
        {
            "sku": "A-1",
            "product_code": "A",
            "product_name": "a",
            "category": "x",
            "price": "1.00",
            "return_policy": "nope",
        }
    ]

    response = catalogue_api.post("/api/v1/catalog/variants/", rows, format="json")

    assert response.status_code == 400
    assert "0.return_policy" in response.json()["fields"]


@pytest.mark.parametrize("body", [[], {}, "text"])
def test_rest_upsert_needs_a_non_empty_list(catalogue_api, body):
    assert catalogue_api.post("/api/v1/catalog/variants/", body, format="json").status_code == 400


def test_warehouse_cannot_upsert_catalogue_agents_neither(warehouse_api, agent_api):
    rows = [{"sku": "A-1", "product_code": "A", "product_name": "a", "category": "x", "price": "1.00"}]

    assert warehouse_api.post("/api/v1/catalog/variants/", rows, format="json").status_code == 403
    assert agent_api.post("/api/v1/catalog/variants/", rows, format="json").status_code == 403


def test_supervisor_can_upsert_catalogue(supervisor_api):
    rows = [{"sku": "A-1", "product_code": "A", "product_name": "a", "category": "x", "price": "1.00"}]

    assert supervisor_api.post("/api/v1/catalog/variants/", rows, format="json").status_code == 200
