from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _setup_roles(**_kwargs: object) -> None:
    from orders.roles import roles_setup

    roles_setup()


class FlagsConfig(AppConfig):
    name = "flags"
    verbose_name = _("Flags")

    def ready(self) -> None:
        # flags is the last of our apps to migrate: every permission the roles name exists by then.
        post_migrate.connect(_setup_roles, sender=self, dispatch_uid="orderdesk_setup_roles")
