"""The REST API, version 1. Its contract is the schema it serves at ``/api/v1/schema/`` (the README's "The API
against its schema"); the documented examples it must answer are in ``tests/orders/fixtures/api_md/``."""
