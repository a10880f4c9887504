"""What django-axes answers to a locked-out login: the API's JSON error, or the admin's page."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

from orders.api.errors import error_body
from orders.exceptions import LoginLockedOut


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    error = LoginLockedOut()
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(error.code, error.message), status=error.status)
    return TemplateResponse(
        request, "admin/login_locked_out.html", {"title": error.message, "message": error.message}, status=error.status
    ).render()
