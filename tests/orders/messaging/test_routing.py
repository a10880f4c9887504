"""Which channel carries a buyer's messages: the shop's preference, among channels that reach the buyer."""

import pytest
from django.core import mail

from orders.messaging.models import Message
from orders.models import OrderEvent
from tests.orders.messaging.conftest import confirmation_of
from tests.orders.messaging.fakes import RECORDING

pytestmark = pytest.mark.django_db

LANDLINE = {"phone": "025-83456789"}
EMAIL = {"BACKEND": "orders.messaging.channels.EmailChannel"}


def test_sms_goes_to_the_shipping_mobile(confirmed):
    message = confirmation_of(confirmed())

    assert (message.channel, message.recipient) == ("sms", "+8613800138000")


def test_a_landline_is_skipped_for_the_buyers_own_mobile(confirmed):
    order = confirmed(shipping_address=LANDLINE, customer={"default_address": LANDLINE})

    message = confirmation_of(order)

    assert (message.channel, message.recipient) == ("sms", "+8613800138000")


def test_email_when_the_shop_prefers_it_and_the_buyer_gave_an_address(confirmed, settings):
    settings.ORDERDESK = {**settings.ORDERDESK, "MESSAGE_CHANNEL_PREFERENCE": ["email", "sms"]}
    settings.ORDERDESK_MESSAGE_CHANNELS = {"email": EMAIL, "sms": RECORDING}

    message = confirmation_of(confirmed(customer={"email": "lilei@example.com"}))

    assert (message.channel, message.recipient, message.status) == ("email", "lilei@example.com", "sent")
    [email] = mail.outbox
    assert email.to == ["lilei@example.com"]
    assert "138****8000" in email.body


def test_a_channel_that_is_not_configured_is_passed_over(confirmed, settings):
    settings.ORDERDESK = {**settings.ORDERDESK, "MESSAGE_CHANNEL_PREFERENCE": ["chat", "sms"]}
    settings.ORDERDESK_MESSAGE_CHANNELS = {"chat": None, "sms": RECORDING}

    assert confirmation_of(confirmed()).channel == "sms"


def test_a_buyer_no_channel_reaches_gets_a_failed_message_for_the_agents(confirmed, settings):
    settings.ORDERDESK = {**settings.ORDERDESK, "MESSAGE_CHANNEL_PREFERENCE": ["sms", "email"]}
    no_mobile = {**LANDLINE}

    order = confirmed(shipping_address=no_mobile, customer={"phone": "025-83456789", "default_address": no_mobile})

    message = Message.objects.get(order=order)
    assert (message.status, message.channel) == ("failed", "")
    assert message.last_error == "no configured channel reaches this buyer"
    assert OrderEvent.objects.filter(order=order, type="message_failed").exists()
