"""Idempotency-Key records (IETF draft "The Idempotency-Key HTTP Header Field")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.models.storefront import Storefront


class IdempotencyKey(models.Model):
    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    # Written with the response, in the request's transaction (orders/api/idempotency.py). Null only in
    # records left by a request that died before that rule: such a record is taken over.
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["storefront", "key"], name="idempotency_key_per_storefront")]

    def __str__(self) -> str:
        return self.key
