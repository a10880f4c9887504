"""A related table's rows as one JSON column of the outer query, and the model instances back from it.

Loading an order's detail with ``prefetch_related`` costs one query per relation (lines, checks, events,
price edits, flags, merged orders, tracking news): seven round trips for one order. ``JSONRows`` is a
correlated subquery that aggregates the matching rows into a JSON array of arrays (PostgreSQL
``JSON_AGG``, SQLite ``JSON_GROUP_ARRAY``), so the whole detail comes back in the order's own row;
``JSONRows.instances`` turns that text back into model instances with the values a normal query gives
(aware datetimes, decimals with the field's places, parsed JSON fields), joined rows attached as their
foreign key's cached object. Columns of a join that are not listed are deferred, as ``.only()`` leaves them.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Expression, TextField

from orders.raw_sql import row_datetime


@dataclass(frozen=True)
class Join:
    """A many-to-one row read along with each row (LEFT JOIN: the foreign key may be null)."""

    name: str  # the foreign key's name on the outer model, e.g. "actor"
    fields: tuple[str, ...] | None = None  # None: every concrete field


def user_name_join(name: str) -> Join:
    """A user read for its username only (who did it, as the API shows it)."""
    return Join(name, ("id", get_user_model().USERNAME_FIELD))


def prefetched(instance: models.Model, relations: dict[str, Iterable[models.Model]]) -> None:
    """Give ``instance`` these related objects as ``prefetch_related`` would: ``instance.<name>.all()``
    reads them without a query."""
    instance.__dict__.pop("_prefetched_objects_cache", None)
    cache = {}
    for name, objects in relations.items():
        queryset = getattr(instance, name).get_queryset()  # lazy: no query
        queryset._result_cache = list(objects)
        queryset._prefetch_done = True
        cache[name] = queryset
    instance._prefetched_objects_cache = cache


@dataclass(frozen=True)
class _Table:
    model: type[models.Model]
    alias: str
    fields: tuple[models.Field, ...]
    join: Join | None = None


def _concrete(model: type[models.Model], names: tuple[str, ...] | None) -> tuple[models.Field, ...]:
    fields = tuple(model._meta.concrete_fields)
    return fields if names is None else tuple(f for f in fields if f.name in names)


def _column_sql(table: _Table, model_field: models.Field, vendor: str) -> str:
    column = f'{table.alias}."{model_field.column}"'
    if isinstance(model_field, models.DecimalField):
        return f"CAST({column} AS TEXT)"  # exact: a JSON number would go through a float
    if isinstance(model_field, models.JSONField) and vendor == "sqlite":
        return f"JSON({column})"  # stored as text: embed it as JSON, not as a string
    return column


def _value(model_field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(model_field, models.DateTimeField):
        return row_datetime(value)
    if isinstance(model_field, models.DecimalField):
        return Decimal(value).quantize(Decimal(1).scaleb(-model_field.decimal_places))
    if isinstance(model_field, models.JSONField):
        return value
    return model_field.to_python(value)


class JSONRows(Expression):
    """The rows of ``model`` whose ``fk`` is the outer row's ``outer`` column, ordered by ``order_by``
    (fields of ``model``), as JSON text; ``where`` adds a condition on ``model``'s columns (SQL, no params).
    ``fields`` lists the fields of ``model`` to read, in their model's order (None: every concrete one)."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        fk: str,
        outer: str,
        order_by: tuple[str, ...] = ("id",),
        fields: tuple[str, ...] | None = None,
        joins: tuple[Join, ...] = (),
        where: str = "",
    ) -> None:
        super().__init__(output_field=TextField())
        self.model, self.fk, self.outer, self.order_by = model, fk, outer, order_by
        self.fields, self.joins, self.where = fields, joins, where

    def tables(self) -> list[_Table]:
        tables = [_Table(self.model, "r", _concrete(self.model, self.fields))]
        for number, join in enumerate(self.joins):
            related = self.model._meta.get_field(join.name).related_model
            tables.append(_Table(related, f"j{number}", _concrete(related, join.fields), join))
        return tables

    def as_sql(self, compiler, connection):
        vendor = connection.vendor
        tables = self.tables()
        columns = ", ".join(_column_sql(table, f, vendor) for table in tables for f in table.fields)
        source = f'"{self.model._meta.db_table}" r'
        for table in tables[1:]:
            foreign_key = self.model._meta.get_field(table.join.name)
            source += (
                f' LEFT JOIN "{table.model._meta.db_table}" {table.alias}'
                f' ON {table.alias}."{foreign_key.target_field.column}" = r."{foreign_key.column}"'
            )
        condition = f'r."{self.model._meta.get_field(self.fk).column}" = {self.outer}'
        if self.where:
            condition += f" AND ({self.where})"
        order = ", ".join(
            f'r."{self.model._meta.get_field(name.lstrip("-")).column}"{" DESC" if name.startswith("-") else ""}'
            for name in self.order_by
        )
        if vendor == "postgresql":
            sql = (
                f"(SELECT COALESCE(JSON_AGG(JSON_BUILD_ARRAY({columns}) ORDER BY {order}), '[]')::text"  # noqa: S608 - metadata only
                f" FROM {source} WHERE {condition})"
            )
        else:  # SQLite aggregates in the order of the rows it is given
            sql = (
                f"(SELECT COALESCE(JSON_GROUP_ARRAY(JSON(x.row)), '[]') FROM (SELECT JSON_ARRAY({columns}) AS row"  # noqa: S608
                f" FROM {source} WHERE {condition} ORDER BY {order}) x)"
            )
        return sql, []

    def instances(self, text: str, db: str = "default") -> list[models.Model]:
        """The rows back as instances; a null join stays None without a query."""
        tables = self.tables()
        result = []
        for row in json.loads(text):
            values = iter(row)
            objects = []
            for table in tables:
                names = [f.attname for f in table.fields]
                converted = [_value(f, next(values)) for f in table.fields]
                objects.append(table.model.from_db(db, names, converted))
            instance = objects[0]
            for table, joined in zip(tables[1:], objects[1:], strict=True):
                setattr(instance, table.join.name, joined if joined.pk is not None else None)
            result.append(instance)
        return result


class JSONValues(Expression):
    """``SELECT value FROM source`` (SQL of table and column names, no params) as a JSON array's text: the
    values of a correlated subquery in the outer row, e.g. a user's permission names with the token."""

    def __init__(self, value: str, source: str) -> None:
        super().__init__(output_field=TextField())
        self.value, self.source = value, source

    def as_sql(self, compiler, connection):
        if connection.vendor == "postgresql":
            return f"(SELECT COALESCE(JSON_AGG({self.value}), '[]')::text FROM {self.source})", []  # noqa: S608
        return f"(SELECT JSON_GROUP_ARRAY({self.value}) FROM {self.source})", []  # noqa: S608
