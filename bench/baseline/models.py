"""An order with lines and nothing else: no customer table, no catalogue, no checks, flags or events."""

from django.db import models


class BaselineOrder(models.Model):
    external_id = models.CharField(max_length=64, unique=True)
    placed_at = models.DateTimeField(null=True, blank=True)
    payment_status = models.CharField(max_length=10, default="unpaid")
    customer_external_id = models.CharField(max_length=64)
    customer_name = models.CharField(max_length=100, blank=True)
    customer_phone = models.CharField(max_length=20, blank=True)
    ship_recipient = models.CharField(max_length=100)
    ship_phone = models.CharField(max_length=30)
    ship_province = models.CharField(max_length=30)
    ship_city = models.CharField(max_length=50)
    ship_district = models.CharField(max_length=50, blank=True)
    ship_street = models.CharField(max_length=200, blank=True)
    ship_postcode = models.CharField(max_length=10, blank=True)
    ship_kind = models.CharField(max_length=10, blank=True)
    shipping_fee = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    special_requests = models.JSONField(default=dict, blank=True)
    buyer_note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.external_id


class BaselineLine(models.Model):
    order = models.ForeignKey(BaselineOrder, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()
    size = models.CharField(max_length=30, blank=True)
    colour = models.CharField(max_length=30, blank=True)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    product_name = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"
