from django.contrib import admin
from django.urls import include, path

from flags.views import pick_list

urlpatterns = [
    path("admin/warehouse/pick-list/", pick_list, name="warehouse-pick-list"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("orders.api.urls")),
]
