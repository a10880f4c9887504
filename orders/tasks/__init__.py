"""Celery tasks, one module per domain: thin, they take ids and call a service.

Services import the task objects from here to queue them (``.delay`` after commit); a task's body
imports its service when it runs: the one kind of deferred import the project allows (the import
graph test knows it). Task names stay ``orders.tasks.<name>`` so that queued and scheduled tasks
survive upgrades. Importing the package registers every task (Celery's autodiscovery imports it).
"""

from orders.tasks import checks, housekeeping, messaging, payments, workflow

__all__ = ["checks", "housekeeping", "messaging", "payments", "workflow"]
