"""``manage.py setup_roles``: the groups agents, warehouse and supervisors with exactly their permissions."""

from django.core.management.base import BaseCommand, CommandError

from orders.roles import roles_setup


class Command(BaseCommand):
    help = "Create or update the staff groups (agents, warehouse, supervisors) and their permissions."

    def handle(self, *args, **options) -> None:
        try:
            counts = roles_setup()
        except LookupError as exc:
            raise CommandError(f"{exc}; run migrate first") from exc
        for role, count in counts.items():
            self.stdout.write(f"{role}: {count} permissions")
