"""Django's PostgreSQL backend with two changes: small bulk inserts use plain VALUES (see compiler.py),
and statements marked by ``orders.sql.prepared`` are prepared on their connection."""

from django.db.backends.postgresql import base, operations

from orders.sql import PREPARED_MARK

# psycopg prepares a statement after this many runs; the project's statements ask instead (``prepare=True``),
# so no other query is ever prepared automatically (a generic plan could hurt the lists' skewed filters).
ONLY_WHEN_ASKED = 2**31 - 1


class PreparingCursor(base.ServerBindingCursor):
    """Prepares the statements that carry ``PREPARED_MARK`` (server-side binding only)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and isinstance(query, str) and query.startswith(PREPARED_MARK):
            prepare = True
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "config.postgresql.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = PreparingCursor
            if "prepare_threshold" not in self.settings_dict["OPTIONS"]:
                params["prepare_threshold"] = ONLY_WHEN_ASKED
        return params
