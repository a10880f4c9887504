"""Field declarations the models share."""

from django.conf import settings
from django.db import models


def actor_field(verbose_name: str) -> models.ForeignKey:
    """The staff user who did something to a row (confirmed, resolved, cleared…): optional, kept when the
    user is deleted (the row's ``…_label`` or the event keeps the name), no reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
