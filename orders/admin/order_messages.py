"""The buyer's messages on the order page: status, attempts and errors, retry and a deliberate resend."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy

from orders.admin.forms import text_field
from orders.admin.plumbing import CONFIRM_PERMISSION, PageAction
from orders.events import Actor
from orders.logging import mask_phones
from orders.messaging.models import RESENDABLE_CHOICES
from orders.messaging.queue import message_resend, message_retry
from orders.models import Order
from orders.text import REASON


class RetryForm(forms.Form):
    message = forms.IntegerField(widget=forms.HiddenInput)


class ResendForm(forms.Form):
    template = forms.ChoiceField(choices=RESENDABLE_CHOICES, label=gettext_lazy("message"))
    reason = text_field(REASON.limit, required=True, label=gettext_lazy("reason"))


def _retry(request: HttpRequest, order: Order, data: dict) -> None:
    if not order.messages.filter(pk=data["message"]).exists():
        raise Http404
    message_retry(message_id=data["message"], actor=Actor(user=request.user))


def _resend(request: HttpRequest, order: Order, data: dict) -> None:
    message_resend(order_id=order.pk, template=data["template"], reason=data["reason"], actor=Actor(user=request.user))


MESSAGE_ACTIONS = {
    "retry": PageAction(RetryForm, CONFIRM_PERMISSION, _retry, gettext_lazy("The message is queued again.")),
    "resend": PageAction(ResendForm, CONFIRM_PERMISSION, _resend, gettext_lazy("The message is queued.")),
}


class OrderMessagesMixin:
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/messages/<slug:action>/",
                self.admin_site.admin_view(self.messages_view),
                name="{}_{}_messages".format(*info),
            ),
            *super().get_urls(),
        ]

    def workbench_context(self, request: HttpRequest, order: Order) -> dict:
        context = super().workbench_context(request, order)
        can_send = request.user.has_perm(CONFIRM_PERMISSION)
        context.update(
            buyer_messages=[(message, mask_phones(message.recipient)) for message in order.messages.all()],
            can_send_messages=can_send,
            resend_form=ResendForm() if can_send else None,
        )
        return context

    def messages_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        return self.page_action(request, object_id, MESSAGE_ACTIONS.get(action))
