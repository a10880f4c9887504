from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from orders.api import messages, payments, views
from orders.api.views.cases import CaseViewSet

router = SimpleRouter(trailing_slash=True)
router.register("orders", views.OrderViewSet, basename="order")
router.register("cases", CaseViewSet, basename="case")

urlpatterns = [
    path("auth/token/", views.StaffTokenView.as_view(), name="api-token"),
    path("catalog/variants/", views.CatalogVariantsView.as_view(), name="catalog-variants"),
    path("orders/<int:order_id>/messages/", messages.OrderMessagesView.as_view(), name="order-messages"),
    path(
        "orders/<int:order_id>/messages/resend/",
        messages.OrderMessageResendView.as_view(),
        name="order-messages-resend",
    ),
    path("orders/<int:order_id>/payments/", payments.OrderPaymentsView.as_view(), name="order-payments"),
    path("orders/<int:order_id>/refunds/", payments.OrderRefundsView.as_view(), name="order-refunds"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's start-up script is served from ?script, not inline: the CSP allows no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="orders/api/swagger_ui.html"),
        name="api-docs",
    ),
    # Redoc writes its styles at run time (no nonce can reach them) and searches in a blob: worker.
    path(
        "redoc/",
        csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="orders/api/redoc.html")
        ),
        name="api-redoc",
    ),
    *router.urls,
]
