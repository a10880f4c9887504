"""Requests refused before any view reads them: a body over the size limit (413) and a NUL character in
the query string (400; PostgreSQL cannot take it in a string). Both are the client's mistake, answered in
the API's error shape under /api/, and never logged as the service's error."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from orders.api.errors import api_error_response


def _answer(request: HttpRequest, status: int, code: str, message: str, fields: dict | None = None) -> HttpResponse:
    return api_error_response(request, status, code, message, fields) or HttpResponse(
        message, status=status, content_type="text/plain; charset=utf-8"
    )


def request_too_large(request: HttpRequest) -> HttpResponse:
    limit_kib = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return _answer(request, 413, "request_too_large", _("The request body is over %d KiB.") % limit_kib)


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return request_too_large(request)
        with_nul = sorted(
            {key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in v for v in values)}
        )
        if with_nul:
            message = _("Null characters are not allowed.")
            return _answer(request, 400, "invalid", message, {key.replace("\x00", ""): [message] for key in with_nul})
        return self.get_response(request)
