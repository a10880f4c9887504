from django.contrib import admin
from django.urls import include, path

from flags.views import pick_list
from orders.messaging.views import BuyerLinkView

urlpatterns = [
    path("admin/warehouse/pick-list/", pick_list, name="warehouse-pick-list"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("orders.api.urls")),
    path("c/<str:token>/", BuyerLinkView.as_view(), name="buyer-link"),
]
