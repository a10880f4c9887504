"""Colour flags (插旗备注): every request category has a colour, so warehouse staff do not mix things up."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models.fields import actor_field


class FlagColour(models.TextChoices):
    """The service's own colour names; marketplaces number them differently (see ``rules.TAOBAO_FLAG``)."""

    RED = "red", _("Red")
    YELLOW = "yellow", _("Yellow")
    GREEN = "green", _("Green")
    BLUE = "blue", _("Blue")
    PURPLE = "purple", _("Purple")
    ORANGE = "orange", _("Orange")
    GREY = "grey", _("Grey")


class FlagCategory(models.Model):
    """A kind of request and the colour rule for it, edited by supervisors."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    colour = models.CharField(_("colour"), max_length=10, choices=FlagColour.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("flag category")
        verbose_name_plural = _("flag categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_colour_display()})"


class FlagSource(models.TextChoices):
    AUTO = "auto", _("Automatic")
    MANUAL = "manual", _("Manual")


class Flag(models.Model):
    order = models.ForeignKey("orders.Order", verbose_name=_("order"), on_delete=models.CASCADE, related_name="flags")
    category = models.ForeignKey(FlagCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    # The colour when the flag was set; a changed rule re-colours open flags only through an explicit action.
    colour = models.CharField(_("colour"), max_length=10, choices=FlagColour.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    source = models.CharField(_("source"), max_length=6, choices=FlagSource.choices, default=FlagSource.MANUAL)
    # What set an automatic flag ("request.courier", "check:line.out_of_stock", "address_changed"…):
    # it clears when that cause is gone.
    cause = models.CharField(_("cause"), max_length=64, blank=True)
    author = actor_field(_("author"))
    author_label = models.CharField(_("author label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = actor_field(_("cleared by"))

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["order", "category__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "cause"],
                condition=Q(cleared_at__isnull=True, source="auto"),
                name="flag_one_open_auto_flag_per_cause",
            )
        ]
        indexes = [
            # The warehouse's "?flag=red, newest first": one index range scan, no sort.
            models.Index(fields=["colour", "-order"], condition=Q(cleared_at__isnull=True), name="flag_open_colour"),
        ]

    def __str__(self) -> str:
        return f"{self.get_colour_display()} — {self.note[:40]}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None

    @property
    def author_name(self) -> str:
        return flag_author_name(self.author.get_username() if self.author_id else "", self.author_label)


def flag_author_name(username: str, label: str) -> str:
    """Who raised a flag, as shown: the staff user, else the label (a storefront, the buyer), else the system."""
    return username or label or "system"
