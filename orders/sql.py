"""Statements that ask PostgreSQL to keep their plan: intake's hot, hand-written SQL.

Django turns psycopg's prepared statements off (connection poolers in transaction mode lose them),
so PostgreSQL plans every statement again: for the buyer's history (four joins and a sub-plan) the
planning took longer than the run. A statement built with ``prepared`` carries a mark that the
project's PostgreSQL backend (``config/postgresql``) reads: it is prepared on its connection at first
use and only executed after, the others are planned each time as before. Elsewhere the mark is an
SQL comment.
"""

PREPARED_MARK = "/* prepared */ "


def prepared(sql: str) -> str:
    """``sql`` marked to be prepared on its connection (see the module's docstring)."""
    return PREPARED_MARK + sql
