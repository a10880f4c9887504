"""``manage.py import_catalog FILE.csv``: upsert the catalogue by SKU, all rows or none."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orders.api.errors import flatten_errors
from orders.api.serializers import VariantRowSerializer
from orders.services.catalog import CatalogRowError, VariantRow, catalog_upsert

COLUMNS = (
    "sku",
    "product_code",
    "product_name",
    "category",
    "size",
    "colour",
    "price",
    "stock",
    "bulky",
    "engravable",
    "max_engraving_chars",
    "usual_max_quantity",
    "return_policy",
)
REQUIRED = ("sku", "product_code", "product_name", "category", "price")
PROGRESS_EVERY = 5000


class Command(BaseCommand):
    help = (
        "Import or update the catalogue from a UTF-8 CSV file with a header row; "
        f"columns: {', '.join(COLUMNS)} (required: {', '.join(REQUIRED)})."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        rows = self._read(file)
        try:
            result = catalog_upsert(rows=[row for _line, row in rows])
        except CatalogRowError as exc:
            line = rows[exc.row][0]
            raise CommandError(f"{file}: line {line}: {exc.field}: {exc.message}; nothing was imported") from exc
        self.stdout.write(
            f"Imported {len(rows)} rows: {result.products_created} products created, "
            f"{result.products_updated} updated; {result.variants_created} variants created, "
            f"{result.variants_updated} updated."
        )

    def _read(self, file: Path) -> list[tuple[int, VariantRow]]:
        try:
            handle = file.open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise CommandError(f"{file}: cannot open: {exc.strerror}") from exc
        rows: list[tuple[int, VariantRow]] = []
        with handle:
            reader = csv.DictReader(handle)
            try:
                header = [name.strip() for name in (reader.fieldnames or [])]
            except UnicodeDecodeError as exc:
                raise CommandError(f"{file}: not UTF-8 text") from exc
            missing = [name for name in REQUIRED if name not in header]
            if missing:
                raise CommandError(f"{file}: line 1: missing column(s): {', '.join(missing)}")
            unknown = [name for name in header if name not in COLUMNS]
            if unknown:
                raise CommandError(f"{file}: line 1: unknown column(s): {', '.join(unknown)}")
            reader.fieldnames = header
            try:
                for record in reader:
                    line = reader.line_num
                    if None in record:
                        raise CommandError(f"{file}: line {line}: more cells than columns; nothing was imported")
                    serializer = VariantRowSerializer(data={k: (v or "").strip() for k, v in record.items()})
                    if not serializer.is_valid():
                        field, messages = next(iter(flatten_errors(serializer.errors).items()))
                        raise CommandError(f"{file}: line {line}: {field}: {messages[0]}; nothing was imported")
                    rows.append((line, serializer.to_row()))
                    if len(rows) % PROGRESS_EVERY == 0:
                        self.stderr.write(f"read {len(rows)} rows…")
            except UnicodeDecodeError as exc:
                raise CommandError(f"{file}: line {reader.line_num + 1}: not UTF-8 text; nothing was imported") from exc
            except csv.Error as exc:
                raise CommandError(f"{file}: line {reader.line_num}: {exc}; nothing was imported") from exc
        if not rows:
            raise CommandError(f"{file}: no rows after the header")
        return rows
