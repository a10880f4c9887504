"""The outbox: queued with the change, sent after the commit, once; retries, failures, the sweeper."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.events import Actor
from orders.exceptions import InvalidInput, MessageRefused
from orders.messaging.buyer import buyer_change_request
from orders.messaging.models import BuyerLink, Message
from orders.messaging.periodic import messages_sweep
from orders.messaging.queue import message_resend, message_retry
from orders.messaging.send import message_claim, message_deliver, message_send_claimed
from orders.models import Order, OrderEvent
from orders.services.workflow import order_confirm
from tests.orders.helpers import act, create_order
from tests.orders.messaging.conftest import confirmation_of, token_of
from tests.orders.messaging.fakes import permanent, transient

pytestmark = pytest.mark.django_db


def events(order: Order, type_: str) -> list[dict]:
    return list(OrderEvent.objects.filter(order=order, type=type_).values_list("data", flat=True))


@pytest.fixture
def agent(agent_api) -> Actor:
    return Actor(user=agent_api.user)


def test_confirming_queues_the_confirmation_and_sends_it_only_after_commit(
    api, agent_api, catalogue, recording, django_capture_on_commit_callbacks
):
    data = create_order(api)

    with django_capture_on_commit_callbacks() as callbacks:
        response = act(agent_api, data, "confirm")

    assert response.status_code == 200
    message = Message.objects.get(order_id=data["id"])
    assert (message.kind, message.status, message.channel, message.recipient) == (
        "confirmation",
        "pending",
        "sms",
        "+8613800138000",
    )
    assert recording.sent == []
    assert events(message.order, "message_queued") == [
        {"message": message.pk, "kind": "confirmation", "channel": "sms", "due_at": message.due_at.isoformat()}
    ]

    for callback in callbacks:
        callback()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert message.sent_at is not None
    assert [sent["key"] for sent in recording.sent] == [str(message.idempotency_key)]
    assert len(events(message.order, "message_sent")) == 1


def test_auto_confirmed_orders_get_their_confirmation_too(
    api, catalogue, recording, django_capture_on_commit_callbacks
):
    from orders.models import ShopSettings

    shop = ShopSettings.load()
    shop.auto_confirm = True
    shop.save()

    with django_capture_on_commit_callbacks(execute=True):
        data = create_order(api, buyer_note="")

    assert data["status"] == "confirmed"
    assert Message.objects.get(order_id=data["id"]).status == "sent"
    assert len(recording.sent) == 1


def test_no_message_when_the_transaction_rolls_back(
    api, agent, catalogue, recording, django_capture_on_commit_callbacks
):
    data = create_order(api)

    def confirm_then_fail() -> None:
        with transaction.atomic():
            order_confirm(order_id=data["id"], actor=agent)
            raise RuntimeError("a later step of the same transaction failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        confirm_then_fail()

    assert callbacks == []
    assert not Message.objects.exists()
    assert not BuyerLink.objects.exists()
    assert recording.sent == []
    assert Order.objects.get(pk=data["id"]).status == "pending_confirmation"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broker_down_after_the_commit_does_not_fail_the_confirmation(api, agent_api, catalogue, recording):
    data = create_order(api)

    with mock.patch("orders.tasks.messaging.message_send.delay", side_effect=ConnectionError("broker unreachable")):
        response = act(agent_api, data, "confirm")

    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    message = Message.objects.get(order_id=data["id"])
    assert message.status == "pending"  # the sweeper publishes it once the broker is back
    assert recording.sent == []


def test_a_second_confirmation_of_the_same_order_is_impossible(confirmed):
    order = confirmed()
    first = confirmation_of(order)

    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            order=order,
            kind="confirmation",
            template="confirmation",
            language="zh-hans",
            subject=first.subject,
            body=first.body,
            due_at=timezone.now(),
        )


def test_confirming_again_after_a_change_sends_no_second_confirmation(
    confirmed, agent_api, recording, django_capture_on_commit_callbacks
):
    order = confirmed()
    buyer_change_request(token=token_of(confirmation_of(order)), text="请改成L码")

    with django_capture_on_commit_callbacks(execute=True):
        response = act(agent_api, order.pk, "confirm")

    assert response.status_code == 200
    assert Message.objects.filter(order=order).count() == 1
    assert len(recording.sent) == 1


def test_resends_are_their_own_kind_with_a_reason_and_may_repeat(
    confirmed, agent, recording, django_capture_on_commit_callbacks
):
    order = confirmed()

    with django_capture_on_commit_callbacks(execute=True):
        message_resend(order_id=order.pk, template="confirmation", reason="买家说没收到短信", actor=agent)
        message_resend(order_id=order.pk, template="confirmation", reason="买家换了手机", actor=agent)

    resends = Message.objects.filter(order=order, kind="resend").order_by("id")
    assert [(m.template, m.reason, m.status) for m in resends] == [
        ("confirmation", "买家说没收到短信", "sent"),
        ("confirmation", "买家换了手机", "sent"),
    ]
    assert len({sent["key"] for sent in recording.sent}) == 3
    assert [e["reason"] for e in events(order, "message_queued") if "reason" in e] == [
        "买家说没收到短信",
        "买家换了手机",
    ]


def test_a_resend_needs_a_reason(confirmed, agent):
    order = confirmed()

    with pytest.raises(InvalidInput) as refused:
        message_resend(order_id=order.pk, template="confirmation", reason="  ", actor=agent)

    assert list(refused.value.fields) == ["reason"]
    assert not Message.objects.filter(kind="resend").exists()


def test_a_resend_row_without_reason_is_refused_by_the_database(confirmed):
    order = confirmed()

    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            order=order,
            kind="resend",
            template="confirmation",
            language="en",
            subject="s",
            body="b",
            due_at=timezone.now(),
        )


def test_a_transient_failure_is_retried_after_a_backoff_and_then_sent(confirmed, recording):
    recording.failures = [transient()]

    message = confirmation_of(confirmed())

    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "TransientSendError: gateway timeout"
    assert timedelta(seconds=25) < message.due_at - timezone.now() <= timedelta(seconds=30)
    assert message_deliver(message_id=message.pk) is None  # not due yet: nothing is sent early
    assert recording.sent == []

    with time_machine.travel(message.due_at + timedelta(seconds=1)):
        assert message_deliver(message_id=message.pk) is None

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(recording.sent) == 1


def test_retries_back_off_exponentially_and_stop_at_the_bound(confirmed, recording, settings):
    settings.ORDERDESK = {**settings.ORDERDESK, "MESSAGE_MAX_ATTEMPTS": 3}
    recording.failures = [transient(), transient(), transient()]
    message = confirmation_of(confirmed())
    delays = []

    for _attempt in range(2):
        message.refresh_from_db()
        with time_machine.travel(message.due_at + timedelta(seconds=1)):
            delays.append(message_deliver(message_id=message.pk))

    message.refresh_from_db()
    assert delays == [timedelta(seconds=60), None]
    assert (message.status, message.attempts) == ("failed", 3)
    assert recording.sent == []
    assert [e["attempts"] for e in events(message.order, "message_failed")] == [3]


def test_a_permanent_failure_is_not_retried(confirmed, recording):
    recording.failures = [permanent()]

    message = confirmation_of(confirmed())

    assert (message.status, message.attempts, message.last_error) == ("failed", 1, "HTTP 400 from the gateway")
    assert events(message.order, "message_failed")[0]["error"] == "HTTP 400 from the gateway"


def test_a_message_is_sent_once_however_often_its_task_runs(confirmed, recording):
    message = confirmation_of(confirmed())

    for _run in range(3):
        assert message_deliver(message_id=message.pk) is None

    assert len(recording.sent) == 1


def test_a_task_that_finds_the_message_being_sent_comes_back_after_the_lease(
    api, agent, catalogue, recording, django_capture_on_commit_callbacks
):
    data = create_order(api)
    with django_capture_on_commit_callbacks():  # the first task is "lost": never runs
        order_confirm(order_id=data["id"], actor=agent)
    message = Message.objects.get(order_id=data["id"])
    Message.objects.filter(pk=message.pk).update(status="sending", lease_until=timezone.now() + timedelta(seconds=90))

    retry_in = message_deliver(message_id=message.pk)

    assert timedelta(seconds=85) < retry_in <= timedelta(seconds=91)
    assert recording.sent == []


@pytest.mark.parametrize(
    ("state", "claimed"),
    [
        ({"status": "pending", "due_at": -1}, True),
        ({"status": "pending", "due_at": +60}, False),  # a retry's backoff not over
        ({"status": "sending", "lease_until": -1}, True),  # its worker died: the lease expired
        ({"status": "sending", "lease_until": +60}, False),  # another worker is sending it
        ({"status": "pending", "due_at": -1, "attempts": "max"}, False),  # the budget is spent
        ({"status": "sent", "due_at": -1}, False),
        ({"status": "failed", "due_at": -1}, False),
    ],
)
def test_a_task_claims_only_a_due_pending_row_or_an_expired_lease_within_the_budget(
    unsent, recording, settings, state, claimed
):
    now = timezone.now()
    values = {
        key: now + timedelta(seconds=value) if key in ("due_at", "lease_until") else value
        for key, value in state.items()
    }
    if values.get("attempts") == "max":
        values["attempts"] = settings.ORDERDESK["MESSAGE_MAX_ATTEMPTS"]
    Message.objects.filter(pk=unsent.pk).update(**values)
    before = Message.objects.get(pk=unsent.pk)

    message_deliver(message_id=unsent.pk)

    after = Message.objects.get(pk=unsent.pk)
    assert len(recording.sent) == (1 if claimed else 0)
    assert after.attempts == before.attempts + (1 if claimed else 0)
    if claimed:
        assert (after.status, after.lease_until) == ("sent", None)
        assert recording.sent[0]["key"] == str(unsent.idempotency_key)
    else:
        assert after.status == before.status


def test_a_copy_sent_after_a_lost_lease_does_not_record_a_second_sent_event(unsent, recording):
    # Worker A claimed the row; its lease ran out, worker B claimed it again and finished first.
    claimed_by_a = message_claim(unsent.pk)
    Message.objects.filter(pk=unsent.pk).update(status="sent", sent_at=timezone.now())
    OrderEvent.objects.create(order_id=unsent.order_id, type="message_sent", actor_label="system", data={})

    assert message_send_claimed(claimed_by_a) is None  # A's copy goes out: the provider drops it by its key

    assert len(recording.sent) == 1
    assert len(events(unsent.order, "message_sent")) == 1


@pytest.fixture
def unsent(api, agent, catalogue, recording, django_capture_on_commit_callbacks):
    """A confirmation whose send task was lost: queued, published, never run."""
    data = create_order(api)
    with django_capture_on_commit_callbacks():
        order_confirm(order_id=data["id"], actor=agent)
    return Message.objects.get(order_id=data["id"])


def test_the_sweeper_republishes_a_message_whose_worker_died_mid_send(
    unsent, recording, settings, django_capture_on_commit_callbacks
):
    lease = settings.ORDERDESK["MESSAGE_LEASE"]
    Message.objects.filter(pk=unsent.pk).update(status="sending", attempts=1, lease_until=timezone.now() + lease)

    with django_capture_on_commit_callbacks(execute=True):
        assert messages_sweep() == 0  # the worker may still be sending
    with (
        time_machine.travel(timezone.now() + lease + timedelta(seconds=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert messages_sweep() == 1
        assert messages_sweep() == 0

    unsent.refresh_from_db()
    assert (unsent.status, unsent.attempts) == ("sent", 2)
    assert len(recording.sent) == 1


def test_the_sweeper_republishes_a_pending_message_whose_task_was_lost(
    unsent, recording, settings, django_capture_on_commit_callbacks
):
    lease = settings.ORDERDESK["MESSAGE_LEASE"]

    with django_capture_on_commit_callbacks(execute=True):
        assert messages_sweep() == 0  # just published: its task is presumably on its way
    with (
        time_machine.travel(timezone.now() + lease + timedelta(seconds=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert messages_sweep() == 1

    unsent.refresh_from_db()
    assert (unsent.status, unsent.attempts) == ("sent", 1)
    assert len(recording.sent) == 1


def test_the_sweeper_gives_up_when_the_last_attempts_worker_died(unsent, recording, settings):
    Message.objects.filter(pk=unsent.pk).update(
        status="sending", attempts=settings.ORDERDESK["MESSAGE_MAX_ATTEMPTS"], lease_until=timezone.now()
    )

    with time_machine.travel(timezone.now() + timedelta(seconds=1)):
        assert messages_sweep() == 0

    unsent.refresh_from_db()
    assert unsent.status == "failed"
    assert unsent.last_error == "the worker was lost during the last attempt"
    assert recording.sent == []


def test_an_agent_retries_a_failed_message_with_a_fresh_budget(
    confirmed, agent, recording, django_capture_on_commit_callbacks
):
    recording.failures = [permanent()]
    message = confirmation_of(confirmed())

    with django_capture_on_commit_callbacks(execute=True):
        message_retry(message_id=message.pk, actor=agent)

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert events(message.order, "message_queued")[-1]["retry"] is True


def test_only_a_failed_message_can_be_retried(confirmed, agent):
    message = confirmation_of(confirmed())

    with pytest.raises(MessageRefused):
        message_retry(message_id=message.pk, actor=agent)
