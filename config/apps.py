"""The admin app with OrderDesk's own site (``config.admin.OrderDeskAdminSite``)."""

from django.contrib.admin.apps import AdminConfig


class OrderDeskAdminConfig(AdminConfig):
    default_site = "config.admin.OrderDeskAdminSite"
