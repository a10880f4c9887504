"""The service's URLs plus the baseline endpoints (bench settings only)."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from bench.baseline.views import BaselineOrderCreate, floor
from config.urls import urlpatterns as service_urlpatterns

urlpatterns = [
    path("bench/baseline/orders/", BaselineOrderCreate.as_view(), name="bench-baseline-orders"),
    path("bench/floor/", csrf_exempt(floor), name="bench-floor"),
    *service_urlpatterns,
]
