"""What django-axes answers to a locked-out login: the API's JSON error, or the admin's page."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from orders.api.errors import api_error_response
from orders.exceptions import LoginLockedOut


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    error = LoginLockedOut()
    return (
        api_error_response(request, error.status, error.code, error.message)
        or TemplateResponse(
            request,
            "admin/login_locked_out.html",
            {"title": error.message, "message": error.message},
            status=error.status,
        ).render()
    )
