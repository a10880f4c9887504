"""One error shape for the whole API: ``{"code": …, "message": …, "fields": {…}}``.

Domain exceptions carry their own code and status; DRF's exceptions keep theirs; anything else
becomes a 500 with no traceback in the body (the traceback goes to the log).
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from orders.exceptions import DomainError

logger = logging.getLogger("orders.api")


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as flat dotted paths: ``lines.0.quantity``."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == "non_field_errors" and prefix:
                flat.update(flatten_errors(value, prefix))
            else:
                flat.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list) and detail and all(isinstance(item, str) for item in detail):
        flat[prefix or "non_field_errors"] = [str(item) for item in detail]
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if value:
                flat.update(flatten_errors(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "non_field_errors"] = [str(detail)]
    return flat


def error_body(code: str, message: Any, fields: dict | None = None, data: Any = None) -> dict:
    body = {"code": code, "message": str(message), "fields": fields or {}}
    if data is not None:
        body["data"] = data
    return body


def exception_handler(exc: Exception, context: dict) -> Response:
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.fields, exc.data), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        return Response(
            error_body("invalid", _("Some fields are not valid."), flatten_errors(exc.detail)),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        return Response(error_body(code, exc.detail), status=exc.status_code, headers=headers)
    logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
    return Response(error_body("server_error", _("Internal server error.")), status=500)


def api_error_response(
    request: HttpRequest, status: int, code: str, message: str, fields: dict | None = None
) -> JsonResponse | None:
    """The API's error body for a refusal made outside DRF (middleware, django-axes) under /api/; None
    elsewhere, where the caller answers in its own way."""
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse(error_body(code, message, fields), status=status)


class ApiJsonErrorsMiddleware:
    """Under /api/, Django's own 404s and unhandled errors answer in JSON too (even with DEBUG on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in (404, 405, 500)
            and not response.get("Content-Type", "").startswith("application/json")
            and not getattr(response, "streaming", False)
            and "/docs/" not in request.path
        ):
            return self._json(response.status_code)
        return response

    def process_exception(self, request, exception):
        if request.path.startswith("/api/"):
            logger.exception("Unhandled error at %s", request.path)
            return self._json(500)
        return None

    @staticmethod
    def _json(status_code: int) -> JsonResponse:
        codes = {404: ("not_found", _("Not found.")), 405: ("method_not_allowed", _("Method not allowed."))}
        code, message = codes.get(status_code, ("server_error", _("Internal server error.")))
        return JsonResponse(error_body(code, message), status=status_code)
