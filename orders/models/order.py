"""Orders and their lines. Every write goes through ``orders.services``; the models hold data and
the rules that are pure data (statuses, allowed transitions, constraints)."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from orders.addresses import Address, address_fields_model
from orders.models.catalog import Variant
from orders.models.customer import Customer
from orders.models.fields import actor_field
from orders.models.storefront import Storefront


class OrderStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PENDING_CONFIRMATION = "pending_confirmation", _("Pending confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    ON_HOLD = "on_hold", _("On hold")
    CANCELLED = "cancelled", _("Cancelled")
    MERGED = "merged", _("Merged")


# The life cycle as data: from each status, where an order may go next.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.RECEIVED: frozenset(
        {OrderStatus.PENDING_CONFIRMATION, OrderStatus.CONFIRMED, OrderStatus.ON_HOLD, OrderStatus.CANCELLED}
    ),
    OrderStatus.PENDING_CONFIRMATION: frozenset(
        {OrderStatus.CONFIRMED, OrderStatus.ON_HOLD, OrderStatus.CANCELLED, OrderStatus.MERGED}
    ),
    OrderStatus.ON_HOLD: frozenset({OrderStatus.PENDING_CONFIRMATION, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMED: frozenset(
        {
            OrderStatus.SHIPPED,
            OrderStatus.PENDING_CONFIRMATION,
            OrderStatus.ON_HOLD,
            OrderStatus.CANCELLED,
            OrderStatus.MERGED,
        }
    ),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
    # Unmerging puts an order back where it was before the merge.
    OrderStatus.MERGED: frozenset({OrderStatus.PENDING_CONFIRMATION, OrderStatus.CONFIRMED}),
}

# The status groups: every rule that asks "is the order in one of these statuses?" names its group here.
# Waiting for an agent's confirmation call (the agents' queue).
AWAITING_CONFIRMATION_STATUSES = frozenset({OrderStatus.RECEIVED, OrderStatus.PENDING_CONFIRMATION})
# Still in play: neither shipped nor closed. The abnormal orders are found among these.
ACTIVE_STATUSES = frozenset(
    {OrderStatus.RECEIVED, OrderStatus.PENDING_CONFIRMATION, OrderStatus.CONFIRMED, OrderStatus.ON_HOLD}
)
# The goods, address and money of an order may still change, and its checks run again.
EDITABLE_STATUSES = frozenset(
    {OrderStatus.RECEIVED, OrderStatus.PENDING_CONFIRMATION, OrderStatus.ON_HOLD, OrderStatus.CONFIRMED}
)
# Another order of the buyer's to the same address in one of these is worth merging with (``order.mergeable``).
MERGEABLE_STATUSES = frozenset({OrderStatus.RECEIVED, OrderStatus.PENDING_CONFIRMATION, OrderStatus.CONFIRMED})
# What the warehouse packs: an order somebody confirmed, not yet shipped (the pick list and its admin action).
PACKABLE_STATUSES = frozenset({OrderStatus.CONFIRMED})
# The parcel has left.
SHIPPED_STATUSES = frozenset({OrderStatus.SHIPPED, OrderStatus.DELIVERED})
# Where abnormal orders are found: the active ones, and shipped ones whose parcel is in trouble.
ABNORMAL_CANDIDATE_STATUSES = ACTIVE_STATUSES | {OrderStatus.SHIPPED}
# What the buyer bought and kept, as far as we know: orders that went past confirmation (their size history).
BOUGHT_STATUSES = frozenset({OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED})
# Ended without shipping: cancelled, or merged into another order. The buyer's history leaves them out.
CLOSED_STATUSES = frozenset({OrderStatus.CANCELLED, OrderStatus.MERGED})


def statuses_in_order(group: frozenset[str]) -> list[str]:
    """A group's statuses in ``OrderStatus``'s order, for SQL that must read the same every time
    (index conditions, written-out queries)."""
    return [status.value for status in OrderStatus if status in group]


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PAID = "paid", _("Paid")
    REFUNDED = "refunded", _("Refunded")


ShippingAddressFields = address_fields_model("ship_", "")


class Order(ShippingAddressFields):
    storefront = models.ForeignKey(Storefront, verbose_name=_("storefront"), on_delete=models.PROTECT)
    external_id = models.CharField(_("external id"), max_length=64)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(_("status"), max_length=24, choices=OrderStatus.choices, default=OrderStatus.RECEIVED)
    payment_status = models.CharField(
        _("payment status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    placed_at = models.DateTimeField(_("placed at"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)

    # Special requests are promises to the buyer: binding data, not free text.
    requested_courier = models.CharField(_("requested courier"), max_length=8, blank=True)
    gift_wrap = models.BooleanField(_("gift wrap"), default=False)
    engraving_text = models.CharField(_("engraving text"), max_length=200, blank=True)
    card_message = models.CharField(_("card message"), max_length=500, blank=True)
    buyer_note = models.CharField(_("buyer note"), max_length=1000, blank=True)
    # The shop's own memo (卖家备注): read for requests like the buyer's note (orders.checks.notes).
    seller_memo = models.CharField(_("seller memo"), max_length=1000, blank=True)

    # Money, kept in step by orders.pricing.
    items_total = models.DecimalField(_("items total"), max_digits=12, decimal_places=2, default=0)
    adjustment = models.DecimalField(_("adjustment"), max_digits=12, decimal_places=2, default=0)
    shipping_fee = models.DecimalField(_("shipping fee"), max_digits=10, decimal_places=2, default=0)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, default=0)
    amount_paid = models.DecimalField(_("amount paid"), max_digits=12, decimal_places=2, default=0)
    refund_due = models.DecimalField(_("refund due"), max_digits=12, decimal_places=2, default=0)

    # Optimistic concurrency: every write bumps it; REST writes carry it in If-Match.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Denormalised from the open check results, for the queue and the has_blockers filter.
    open_blockers = models.PositiveSmallIntegerField(_("open blockers"), default=0)
    open_warnings = models.PositiveSmallIntegerField(_("open warnings"), default=0)

    hold_reason = models.CharField(_("hold reason"), max_length=500, blank=True)
    # A hold with an end: beat releases the order when it passes (orders.services.holds).
    hold_until = models.DateTimeField(_("on hold until"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_orders",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = actor_field(_("confirmed by"))
    shipped_courier = models.CharField(_("shipped with"), max_length=8, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # A shipped parcel with no tracking news by then is stalled (``logistics.stalled``): the last news (or
    # the shipping) plus the shop's limit for the province; kept by ``orders.services.tracking``.
    stalled_after = models.DateTimeField(_("stalled after"), null=True, blank=True)

    # SHA-256 of the storefront's request body: the same body again is a replay, another is a conflict.
    intake_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-id"]
        permissions = [
            ("confirm_order", _("Can confirm, hold and acknowledge checks")),
            ("edit_order_address", _("Can edit the address, lines and requests of an order")),
            ("edit_order_price", _("Can edit prices")),
            ("edit_order_shipping", _("Can edit shipping fees")),
            ("merge_orders", _("Can merge and unmerge orders")),
            ("ship_order", _("Can ship and deliver orders")),
            ("override_courier", _("Can ship with another courier than promised")),
            ("unlimited_discount", _("Can give discounts past the agents' limit")),
            ("view_full_phone", _("Can see full phone numbers")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["storefront", "external_id"], name="order_external_id_per_storefront"),
            models.CheckConstraint(name="order_items_total_not_negative", condition=Q(items_total__gte=0)),
            models.CheckConstraint(name="order_shipping_fee_not_negative", condition=Q(shipping_fee__gte=0)),
            models.CheckConstraint(name="order_total_not_negative", condition=Q(total__gte=0)),
            # A discount never takes more off than the goods cost (shipping is changed on its own).
            models.CheckConstraint(name="order_goods_not_negative", condition=Q(items_total__gte=-F("adjustment"))),
            models.CheckConstraint(name="order_amount_paid_not_negative", condition=Q(amount_paid__gte=0)),
            models.CheckConstraint(name="order_refund_due_not_negative", condition=Q(refund_due__gte=0)),
            # Rounded to the cent so that SQLite, which adds decimals as binary floats, agrees with PostgreSQL.
            models.CheckConstraint(
                name="order_total_is_sum",
                condition=Q(total=Round(F("items_total") + F("adjustment") + F("shipping_fee"), 2)),
            ),
        ]
        indexes = [
            models.Index(fields=["storefront", "-id"], name="order_storefront_newest"),
            models.Index(fields=["status", "created_at"], name="order_status_created"),
            models.Index(fields=["updated_at"], name="order_updated"),
            models.Index(fields=["customer", "-id"], name="order_customer_newest"),
            models.Index(fields=["ship_phone"], name="order_ship_phone"),
            models.Index(fields=["-id"], condition=Q(open_blockers__gt=0), name="order_with_blockers"),
            models.Index(fields=["hold_until"], condition=Q(hold_until__isnull=False), name="order_hold_until"),
            # Abnormal orders (ABNORMAL_CANDIDATE_STATUSES), oldest first: the active and shipped orders are some
            # thousands among a million, walked in id order without stepping over the delivered ones.
            models.Index(
                fields=["id"],
                condition=Q(status__in=statuses_in_order(ABNORMAL_CANDIDATE_STATUSES)),
                name="order_abnormal_candidate",
            ),
            # Stalled parcels: the shipped orders past their ``stalled_after``, a range of this index.
            models.Index(
                fields=["stalled_after"], condition=Q(status=OrderStatus.SHIPPED), name="order_shipped_stalled_after"
            ),
            # The agents' queue (AWAITING_CONFIRMATION_STATUSES), oldest first: the first page straight off the
            # index, instead of joining every waiting order to its buyer and sorting them all.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status__in=statuses_in_order(AWAITING_CONFIRMATION_STATUSES)),
                name="order_awaiting_confirmation",
            ),
        ]

    def __str__(self) -> str:
        return self.external_id

    @property
    def shipping_address(self) -> Address:
        return Address.from_model(self, "ship_")

    @property
    def special_requests(self) -> dict:
        """The buyer's special requests, only those that were made."""
        requests: dict = {}
        if self.requested_courier:
            requests["courier"] = self.requested_courier
        if self.gift_wrap:
            requests["gift_wrap"] = True
        if self.engraving_text:
            requests["engraving"] = self.engraving_text
        if self.card_message:
            requests["card_message"] = self.card_message
        return requests

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def balance_due(self) -> Decimal:
        """What the buyer still owes: the total less what they paid, never negative (补差价). Nothing on a
        closed order (cancelled, or merged: its money lives on the merge's primary)."""
        if self.status in CLOSED_STATUSES:
            return Decimal("0.00")
        return max(self.total - self.amount_paid, Decimal("0.00"))


class OrderLine(models.Model):
    """A line as the buyer ordered it: SKU, name, size, colour and price are snapshots."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    variant = models.ForeignKey(
        Variant, verbose_name=_("variant"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sku = models.CharField(_("SKU"), max_length=64)
    product_name = models.CharField(_("product name"), max_length=200, blank=True)
    size = models.CharField(_("size"), max_length=30, blank=True)
    colour = models.CharField(_("colour"), max_length=30, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    adjustment = models.DecimalField(_("adjustment"), max_digits=10, decimal_places=2, default=0)
    line_total = models.DecimalField(_("line total"), max_digits=12, decimal_places=2, default=0)
    # A free gift (赠品) added by the shop's gift rules: priced 0.00, packed like any line.
    is_gift = models.BooleanField(_("free gift"), default=False)
    gift_rule = models.ForeignKey(
        "orders.GiftRule",
        verbose_name=_("gift rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position", "id"]
        constraints = [
            models.CheckConstraint(name="line_quantity_at_least_one", condition=Q(quantity__gte=1)),
            models.CheckConstraint(name="line_unit_price_not_negative", condition=Q(unit_price__gte=0)),
            models.CheckConstraint(name="line_total_not_negative", condition=Q(line_total__gte=0)),
            models.CheckConstraint(name="line_gift_is_free", condition=Q(is_gift=False) | Q(line_total=0)),
        ]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"


class ConfirmationQueue(Order):
    """The agents' work list in the admin: the same orders, listed as those awaiting confirmation."""

    class Meta:
        proxy = True
        verbose_name = _("order awaiting confirmation")
        verbose_name_plural = _("Confirmation queue")


class AbnormalOrder(Order):
    """异常订单 in the admin: the orders that need attention, with the reasons."""

    class Meta:
        proxy = True
        verbose_name = _("abnormal order")
        verbose_name_plural = _("Abnormal orders")
