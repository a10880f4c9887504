"""Models of the order domain, one module per sub-domain."""

from orders.models.cases import (
    Case,
    CaseDueTime,
    CaseKind,
    CaseNote,
    CaseNoteKind,
    CaseOutcome,
    CaseReplyTemplate,
    CaseRule,
    CaseStatus,
)
from orders.models.catalog import Product, ReturnPolicy, Variant
from orders.models.check import CheckResult, CheckStatus, Severity
from orders.models.customer import Customer
from orders.models.edits import OrderMerge, PriceEdit, PriceEditKind
from orders.models.event import OrderEvent, OrderEventType
from orders.models.gifts import GiftRule
from orders.models.idempotency import IdempotencyKey
from orders.models.notes import NoteKind, NotePhrase
from orders.models.order import (
    ABNORMAL_CANDIDATE_STATUSES,
    ACTIVE_STATUSES,
    ALLOWED_TRANSITIONS,
    AWAITING_CONFIRMATION_STATUSES,
    BOUGHT_STATUSES,
    CLOSED_STATUSES,
    EDITABLE_STATUSES,
    MERGEABLE_STATUSES,
    PACKABLE_STATUSES,
    SHIPPED_STATUSES,
    AbnormalOrder,
    ConfirmationQueue,
    Order,
    OrderLine,
    OrderStatus,
    PaymentStatus,
    statuses_in_order,
)
from orders.models.payments import PaymentKind, PaymentRecord
from orders.models.shop import Courier, CourierProvinceRule, ProvinceRule, SchoolHoliday, ShopSettings
from orders.models.storefront import ApiToken, Storefront
from orders.models.tracking import TRACKING_TROUBLE, TrackingEvent, TrackingStatus

# The outbox's models live with the messages (orders/messaging/); importing them registers them.
from orders.messaging.models import BuyerLink, FailedMessage, Message  # isort: skip

__all__ = [
    "ABNORMAL_CANDIDATE_STATUSES",
    "ACTIVE_STATUSES",
    "ALLOWED_TRANSITIONS",
    "AWAITING_CONFIRMATION_STATUSES",
    "BOUGHT_STATUSES",
    "CLOSED_STATUSES",
    "EDITABLE_STATUSES",
    "MERGEABLE_STATUSES",
    "PACKABLE_STATUSES",
    "SHIPPED_STATUSES",
    "TRACKING_TROUBLE",
    "AbnormalOrder",
    "ApiToken",
    "BuyerLink",
    "Case",
    "CaseDueTime",
    "CaseKind",
    "CaseNote",
    "CaseNoteKind",
    "CaseOutcome",
    "CaseReplyTemplate",
    "CaseRule",
    "CaseStatus",
    "CheckResult",
    "CheckStatus",
    "ConfirmationQueue",
    "Courier",
    "CourierProvinceRule",
    "Customer",
    "FailedMessage",
    "GiftRule",
    "IdempotencyKey",
    "Message",
    "NoteKind",
    "NotePhrase",
    "Order",
    "OrderEvent",
    "OrderEventType",
    "OrderLine",
    "OrderMerge",
    "OrderStatus",
    "PaymentKind",
    "PaymentRecord",
    "PaymentStatus",
    "PriceEdit",
    "PriceEditKind",
    "Product",
    "ProvinceRule",
    "ReturnPolicy",
    "SchoolHoliday",
    "Severity",
    "ShopSettings",
    "Storefront",
    "TrackingEvent",
    "TrackingStatus",
    "Variant",
    "statuses_in_order",
]
