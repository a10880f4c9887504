from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from orders.api import messages, views

router = SimpleRouter(trailing_slash=True)
router.register("orders", views.OrderViewSet, basename="order")

urlpatterns = [
    path("auth/token/", views.StaffTokenView.as_view(), name="api-token"),
    path("catalog/variants/", views.CatalogVariantsView.as_view(), name="catalog-variants"),
    path("orders/<int:order_id>/messages/", messages.OrderMessagesView.as_view(), name="order-messages"),
    path(
        "orders/<int:order_id>/messages/resend/",
        messages.OrderMessageResendView.as_view(),
        name="order-messages-resend",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    *router.urls,
]
