"""Domain errors with stable codes. The REST layer maps them to HTTP; the admin shows their message.

A code is API: storefronts and agents' tools may branch on it. Messages are for people.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    status = 400
    default_message: Any = _("The request could not be carried out.")

    def __init__(self, message: Any = None, *, fields: dict[str, list[str]] | None = None, data: Any = None):
        self.message = message if message is not None else self.default_message
        self.fields = fields or {}
        self.data = data
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    code = "invalid"
    default_message = _("Some fields are not valid.")


class LoginLockedOut(DomainError):
    code = "login_locked_out"
    status = 429
    default_message = _("Too many failed logins for this username from this address; try again later.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class ExternalIdConflict(DomainError):
    code = "external_id_conflict"
    status = 409
    default_message = _("An order with this external_id exists with a different body.")


class IdempotencyKeyInProgress(DomainError):
    code = "idempotency_key_in_progress"
    status = 409
    default_message = _("A request with this Idempotency-Key is still being processed; retry later.")


class IdempotencyKeyMismatch(DomainError):
    code = "idempotency_key_mismatch"
    status = 422
    default_message = _("This Idempotency-Key was used with a different request body.")


class VersionConflict(DomainError):
    code = "version_conflict"
    status = 412
    default_message = _("The order was changed by somebody else; reload it and try again.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    default_message = _("The order cannot move to that status from its current one.")


class OrderNotEditable(DomainError):
    code = "order_not_editable"
    status = 409
    default_message = _("The order can no longer be changed in its current status.")


class ConfirmBlocked(DomainError):
    code = "open_blockers"
    status = 409
    default_message = _("The order has open blockers; resolve them before confirming.")


class CheckNotAcknowledgeable(DomainError):
    code = "check_not_acknowledgeable"
    status = 409
    default_message = _("Only an open warning can be acknowledged.")


class DiscountLimitExceeded(DomainError):
    code = "discount_limit_exceeded"
    default_message = _("The discount is larger than your role allows.")


class AmountTooLarge(DomainError):
    code = "amount_too_large"
    default_message = _("The order's amounts are larger than the shop can record.")


class NegativeTotal(DomainError):
    code = "negative_total"
    default_message = _("The total would become negative.")


class MergeRefused(DomainError):
    code = "merge_refused"
    status = 409
    default_message = _("These orders cannot be merged.")


class ShippingRefused(DomainError):
    code = "shipping_refused"
    status = 409
    default_message = _("The order cannot be shipped.")


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to do this.")


class MessageRefused(DomainError):
    code = "message_refused"
    status = 409
    default_message = _("This message cannot be sent or retried.")


class BuyerLinkInvalid(DomainError):
    code = "buyer_link_invalid"
    status = 404
    default_message = _("This link is not valid.")


class BuyerLinkExpired(DomainError):
    code = "buyer_link_expired"
    status = 410
    default_message = _("This link has expired.")


class BuyerLinkUsed(DomainError):
    code = "buyer_link_used"
    status = 410
    default_message = _("This link has already been used.")


class PaymentRefused(DomainError):
    code = "payment_refused"
    status = 409
    default_message = _("No payment or refund can be recorded on this order.")


class PaymentReferenceConflict(DomainError):
    code = "payment_reference_conflict"
    status = 409
    default_message = _("This reference is already recorded on the order with another amount or kind.")


class RefundExceedsDue(DomainError):
    code = "refund_exceeds_due"
    status = 409
    default_message = _("The refund is larger than the refund due.")


class PaymentDue(DomainError):
    code = "payment_due"
    status = 409
    default_message = _("The order is not paid in full: it ships once the buyer has paid what is due.")


class CaseResolved(DomainError):
    code = "case_resolved"
    status = 409
    default_message = _("The case is resolved already.")


class OrderNotShipped(DomainError):
    code = "order_not_shipped"
    status = 409
    default_message = _("The order has not shipped: a resend or a return needs a shipped or delivered order.")


class ReturnNotAllowed(DomainError):
    code = "return_not_allowed"
    status = 409
    default_message = _(
        "No line of the order may be returned: the return window has closed or the goods are not returnable."
    )


class CaseRefundMissing(DomainError):
    code = "case_refund_missing"
    status = 409
    default_message = _(
        "No refund is recorded on the order: record the refund with the resolution (amount and reference)."
    )
