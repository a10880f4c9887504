"""The admin site of OrderDesk: it names the product, has no "view site" (there is no public site), and
takes each role to its own work after logging in: agents to the confirmation queue, the warehouse to
the orders by flag colour, supervisors to the home page that starts with abnormal orders and failed
messages."""

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from orders.roles import AGENTS, SUPERVISORS, WAREHOUSE


@dataclass(frozen=True)
class WorkLink:
    label: Any
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# Each role's work, first what it lands on after logging in (one link: that page; several: the home page).
ROLE_WORK: dict[str, list[WorkLink]] = {
    SUPERVISORS: [
        WorkLink(_("Abnormal orders"), "admin:orders_abnormalorder_changelist"),
        WorkLink(_("Failed messages"), "admin:orders_failedmessage_changelist"),
        WorkLink(_("Confirmation queue"), "admin:orders_confirmationqueue_changelist"),
        WorkLink(_("After-sale cases"), "admin:orders_case_changelist"),
    ],
    AGENTS: [WorkLink(_("Confirmation queue"), "admin:orders_confirmationqueue_changelist")],
    WAREHOUSE: [WorkLink(_("Orders by flag colour"), "admin:orders_order_changelist")],
}


def role_work(user) -> list[WorkLink]:
    """The work of the user's role (supervisors first: they are agents too); none for other staff."""
    groups = set(user.groups.values_list("name", flat=True))
    return next((links for role, links in ROLE_WORK.items() if role in groups), [])


class OrderDeskAdminSite(admin.AdminSite):
    site_header = _("OrderDesk · order confirmation")
    site_title = _("OrderDesk")
    site_url = None  # no public site to view
    # The model list beside every page took a quarter of a 1366 px screen from the order lists; the
    # home page lists the models, each role's work comes first there.
    enable_nav_sidebar = False
    index_template = "admin/orderdesk_index.html"

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        response = super().login(request, extra_context)
        home = reverse("admin:index", current_app=self.name)
        # Logged in on the way to the home page (the usual case): to the role's work instead.
        if request.method == "POST" and isinstance(response, HttpResponseRedirect) and response.url == home:
            work = role_work(request.user)
            if len(work) == 1:
                return HttpResponseRedirect(work[0].url)
        return response

    def index(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        return super().index(request, {"work_links": role_work(request.user), **(extra_context or {})})
