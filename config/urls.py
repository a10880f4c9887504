from django.contrib import admin
from django.urls import include, path

from orders.messaging.views import BuyerLinkView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("orders.api.urls")),
    path("c/<str:token>/", BuyerLinkView.as_view(), name="buyer-link"),
]
