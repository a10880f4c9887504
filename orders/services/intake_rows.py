"""A new order's rows written in one statement: the order, its lines, flags, check results and events.

On PostgreSQL the rows go in as one ``WITH o AS (INSERT … RETURNING id), … SELECT …`` whose inserts
after the first take the order's id from ``o``: one round trip instead of one per table, and none of
the ORM's per-call compilation (the column lists are built once per model; each value still goes
through its field's ``pre_save`` and ``get_db_prep_save``, as in ``Model.save``). The order's unique
constraint fails the whole statement, as it failed the first of the separate inserts. Elsewhere
(SQLite) the same rows are saved the ORM's way, one insert per table.
"""

import functools
from collections.abc import Sequence

from django.db import connection
from django.db.models import Field, Model

from flags.models import Flag
from orders.models import CheckResult, Order, OrderEvent, OrderLine
from orders.raw_sql import prepared

# The tables that hang off a new order, in the order they are written.
_CHILDREN: tuple[type[Model], ...] = (OrderLine, Flag, CheckResult, OrderEvent)


def intake_rows_insert(
    *,
    order: Order,
    lines: Sequence[OrderLine],
    flags: Sequence[Flag],
    checks: Sequence[CheckResult],
    events: Sequence[OrderEvent],
) -> None:
    """Insert a new (unsaved) order and its rows; afterwards each object has its id, as after ``save``."""
    groups: tuple[Sequence[Model], ...] = (lines, flags, checks, events)
    for objects in groups:
        for obj in objects:
            obj.order = order
    if connection.vendor != "postgresql":
        order.save(force_insert=True)
        for model, objects in zip(_CHILDREN, groups, strict=True):
            model.objects.bulk_create(objects)  # each row's order_id: the order saved after the assignment
        return

    parts, params = [], []
    order_sql, order_fields = _insert_sql(Order)
    parts.append(f"o AS ({order_sql}{_values(order_fields, [order], params)} RETURNING {_quote('id')})")
    written: list[tuple[Sequence[Model], str]] = []
    for number, (model, objects) in enumerate(zip(_CHILDREN, groups, strict=True)):
        if not objects:
            continue
        sql, fields = _insert_sql(model)
        name = f"t{number}"
        parts.append(f"{name} AS ({sql}{_values(fields, objects, params)} RETURNING {_quote('id')})")
        written.append((objects, name))
    # Sequence values are taken row by row in VALUES order: ordered ids match the objects' order.
    ids = "".join(f", ARRAY(SELECT {_quote('id')} FROM {name} ORDER BY 1)" for _objects, name in written)  # noqa: S608
    select = f"SELECT (SELECT {_quote('id')} FROM o){ids}"  # noqa: S608
    with connection.cursor() as cursor:
        # Prepared: one plan per shape (how many lines, flags, check results) and connection.
        cursor.execute(prepared(f"WITH {', '.join(parts)} {select}"), params)
        row = cursor.fetchone()
    _saved(order, row[0])
    for (objects, _name), object_ids in zip(written, row[1:], strict=True):
        for obj, pk in zip(objects, object_ids, strict=True):
            obj.order_id = order.pk
            _saved(obj, pk)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@functools.cache
def _insert_sql(model: type[Model]) -> tuple[str, tuple[Field, ...]]:
    """``INSERT INTO table (columns) VALUES `` and the fields, for every column but the id. A child's
    order column is left to ``_values``. Only the models' own table and column names are interpolated."""
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    columns = ", ".join(_quote(f.column) for f in fields)
    return f"INSERT INTO {_quote(model._meta.db_table)} ({columns}) VALUES ", fields  # noqa: S608


def _values(fields: tuple[Field, ...], objects: Sequence[Model], params: list) -> str:
    """The ``(…), (…)`` of ``objects``, their values appended to ``params``; a child row's order id is
    the id the statement's order insert returns."""
    rows = []
    for obj in objects:
        placeholders = []
        for field in fields:
            if field.is_relation and field.related_model is Order and field.model is not Order:
                placeholders.append(f"(SELECT {_quote('id')} FROM o)")  # noqa: S608
                continue
            params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
            placeholders.append("%s")
        rows.append(f"({', '.join(placeholders)})")
    return ", ".join(rows)


def _saved(obj: Model, pk: int) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias
