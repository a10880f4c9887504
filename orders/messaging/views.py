"""The buyer's page behind the signed link ``/c/<token>/``: the order summary, "Confirm" and
"Ask for a change". No login: the token is the credential, spent by the first answer."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from orders.exceptions import BuyerLinkExpired, BuyerLinkInvalid, BuyerLinkUsed, InvalidInput, OrderNotEditable
from orders.messaging.buyer import buyer_change_request, buyer_confirm
from orders.messaging.links import buyer_link_resolve
from orders.messaging.policies import order_lines_with_policies
from orders.messaging.rendering import LANGUAGES, message_language, order_summary
from orders.models import Order
from orders.text import CHANGE_REQUEST

_PROBLEMS = {
    BuyerLinkInvalid: "invalid",
    BuyerLinkExpired: "expired",
    BuyerLinkUsed: "used",
    OrderNotEditable: "locked",
}


def _language(request: HttpRequest, order: Order | None) -> str:
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return message_language(order.customer.language if order is not None else "")


@method_decorator(never_cache, name="dispatch")
class BuyerLinkView(View):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            link = buyer_link_resolve(token)
        except (BuyerLinkInvalid, BuyerLinkExpired, BuyerLinkUsed) as exc:
            return self._problem(request, exc)
        return self._page(request, link.order)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        action = request.POST.get("action")
        try:
            if action == "confirm":
                order = buyer_confirm(token=token)
            elif action == "change":
                order = buyer_change_request(token=token, text=request.POST.get("text", ""))
            else:
                return HttpResponseBadRequest()
        except InvalidInput as exc:
            link = buyer_link_resolve(token)
            return self._page(request, link.order, errors=exc.fields, text=request.POST.get("text", ""), status=400)
        except (BuyerLinkInvalid, BuyerLinkExpired, BuyerLinkUsed, OrderNotEditable) as exc:
            return self._problem(request, exc)
        language = _language(request, order)
        with translation.override(language):
            return render(
                request,
                f"orders/buyer/{language}/done.html",
                {"order": order, "outcome": action, "language": language},
            )

    def _page(
        self, request: HttpRequest, order: Order, *, errors: dict | None = None, text: str = "", status: int = 200
    ) -> HttpResponse:
        language = _language(request, order)
        summary = order_summary(order=order, policies=order_lines_with_policies(order), language=language)
        context = {
            **summary,
            "language": language,
            "errors": errors or {},
            "text": text,
            "text_max": CHANGE_REQUEST.limit,
        }
        with translation.override(language):
            return render(request, f"orders/buyer/{language}/page.html", context, status=status)

    def _problem(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        language = _language(request, None)
        status = getattr(exc, "status", 400)
        problem = _PROBLEMS.get(type(exc), "invalid")
        with translation.override(language):
            return render(
                request,
                f"orders/buyer/{language}/problem.html",
                {"problem": problem, "language": language},
                status=status,
            )
