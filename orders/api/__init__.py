"""The REST API, version 1 (``../shared/API.md`` is the contract for names)."""
