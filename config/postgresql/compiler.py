"""Bulk inserts of a few rows as ``VALUES (…), (…)``, not ``UNNEST`` of arrays.

Django 5.2 sends every multi-row ``bulk_create`` on PostgreSQL as ``SELECT * FROM UNNEST(%s::type[], …)``:
one plan whatever the row count, which pays off for hundreds of rows. An order's intake inserts two to
five lines, checks, flags and events at a time, and for those psycopg building one typed array per
column (its element type detected value by value) cost more than the planning it saves.
"""

from django.db.backends.postgresql.compiler import (
    SQLAggregateCompiler,
    SQLCompiler,
    SQLDeleteCompiler,
    SQLUpdateCompiler,
)
from django.db.backends.postgresql.compiler import SQLInsertCompiler as _UnnestInsertCompiler
from django.db.models.sql.compiler import SQLInsertCompiler as _ValuesInsertCompiler

__all__ = ["SQLAggregateCompiler", "SQLCompiler", "SQLDeleteCompiler", "SQLInsertCompiler", "SQLUpdateCompiler"]

# From this many rows on, Django's UNNEST form.
UNNEST_FROM_ROWS = 20


class SQLInsertCompiler(_UnnestInsertCompiler):
    def assemble_as_sql(self, fields, value_rows):
        if len(value_rows) < UNNEST_FROM_ROWS:
            return _ValuesInsertCompiler.assemble_as_sql(self, fields, value_rows)
        return super().assemble_as_sql(fields, value_rows)
