"""Reads of flags: the categories (cached), open flags as the order pages show them, the orders carrying
an open flag of a colour or a category, counts by colour for the warehouse."""

import functools
import threading

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.db.models.signals import post_delete, post_save

from flags.models import Flag, FlagCategory
from orders.raw_sql import row_datetime

_lock = threading.Lock()
_categories: dict[str, FlagCategory] | None = None


def flag_categories() -> dict[str, FlagCategory]:
    """Categories by code, loaded once per process and refreshed when a supervisor saves one."""
    global _categories
    with _lock:
        if _categories is not None:
            return _categories
    loaded = {category.code: category for category in FlagCategory.objects.all()}
    with _lock:
        _categories = loaded
    return loaded


def flag_categories_invalidate(**_kwargs: object) -> None:
    global _categories
    with _lock:
        _categories = None


post_save.connect(flag_categories_invalidate, sender=FlagCategory, dispatch_uid="flag_categories_save")
post_delete.connect(flag_categories_invalidate, sender=FlagCategory, dispatch_uid="flag_categories_delete")


# How an order's open flags are listed: by their category's position, then as raised.
SHOWN_ORDER = ("category__position", "id")


def open_flags() -> QuerySet[Flag]:
    return Flag.objects.filter(cleared_at__isnull=True)


def open_flags_prefetch() -> Prefetch:
    """An order's open flags as ``order.open_flags``, in the categories' order (lists, pick lists)."""
    return Prefetch(
        "flags",
        queryset=open_flags().select_related("category", "author").order_by(*SHOWN_ORDER),
        to_attr="open_flags",
    )


@functools.cache
def _open_flag_rows_sql() -> tuple[str, str]:
    """``open_flags().filter(order_id__in=…).order_by(*SHOWN_ORDER)`` with the author's and the category's
    names, written out: the ORM spent longer compiling it (fifty ids, two joins) than PostgreSQL running it."""
    q = connection.ops.quote_name
    flag, category, user = Flag._meta, FlagCategory._meta, Flag._meta.get_field("author").related_model._meta
    return (
        f"SELECT f.{q('id')}, f.{q('order_id')}, f.{q('colour')}, c.{q('code')}, f.{q('note')}, "  # noqa: S608
        f"f.{q('source')}, u.{q('username')}, f.{q('author_label')}, f.{q('created_at')} "
        f"FROM {q(flag.db_table)} f JOIN {q(category.db_table)} c ON c.{q('id')} = f.{q('category_id')} "
        f"LEFT JOIN {q(user.db_table)} u ON u.{q('id')} = f.{q('author_id')} "
        f"WHERE f.{q('cleared_at')} IS NULL AND f.{q('order_id')} IN ",
        f" ORDER BY c.{q('position')}, f.{q('id')}",
    )


def open_flag_rows(order_ids: list[int]) -> list[tuple]:
    """The open flags of these orders in the order shown, as rows of (id, order id, colour, category code,
    note, source, author's username or None, author label, created at). The id list goes in as it is:
    a page of orders, not an unbounded list."""
    if not order_ids:
        return []
    head, tail = _open_flag_rows_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"{head}({', '.join(['%s'] * len(order_ids))}){tail}", order_ids)
        return [(*row[:8], row_datetime(row[8])) for row in cursor.fetchall()]


def open_flag_badges_prefetch() -> Prefetch:
    """What a list row's badges read of an order's open flags, as ``order.open_flags``: the colour, the note
    and the category's name (a list page holds some three hundred flags; the order page takes them whole)."""
    return Prefetch(
        "flags",
        queryset=open_flags()
        .select_related("category")
        .only("order_id", "colour", "note", "category__name")
        .order_by(*SHOWN_ORDER),
        to_attr="open_flags",
    )


def open_flag_of_category_exists(category_code: str) -> Exists:
    """EXISTS an open flag of that category on the outer order (``OuterRef("pk")``): a condition for
    annotations and filters. Keyed on the category, so that a supervisor re-colouring it changes nothing."""
    return Exists(open_flags().filter(order_id=OuterRef("pk"), category__code=category_code))


def orders_with_flag(queryset: QuerySet, colour: str) -> QuerySet:
    """Orders carrying an open flag of ``colour`` (EXISTS: one row per order, index-only on the flag side)."""
    return queryset.filter(Exists(open_flags().filter(order_id=OuterRef("pk"), colour=colour)))


def open_flag_counts(order_queryset: QuerySet | None = None) -> dict[str, int]:
    """How many orders carry an open flag of each colour (within ``order_queryset`` when given)."""
    flags = open_flags()
    if order_queryset is not None:
        flags = flags.filter(order__in=order_queryset.values("pk"))
    rows = flags.values("colour").annotate(orders=Count("order_id", distinct=True)).order_by()
    return {row["colour"]: row["orders"] for row in rows}
