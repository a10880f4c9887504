from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from orders.roles import roles_setup_after_migrate  # it reads auth's models: not before the apps are ready

        # Every migrate makes the roles match orders.roles. They name permissions of orders and flags, which
        # auth creates on each app's own post_migrate: so they are set up on the last app's, when all exist.
        last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
        post_migrate.connect(roles_setup_after_migrate, sender=last, dispatch_uid="orderdesk_setup_roles")
