from pathlib import Path

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from flags.views import pick_list
from orders.messaging.views import BuyerLinkView

FAVICON = (Path(__file__).resolve().parent / "favicon.ico").read_bytes()


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page: a small icon instead of a 404 in the log."""
    return HttpResponse(FAVICON, content_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"})


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/warehouse/pick-list/", pick_list, name="warehouse-pick-list"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("orders.api.urls")),
    path("c/<str:token>/", BuyerLinkView.as_view(), name="buyer-link"),
]
