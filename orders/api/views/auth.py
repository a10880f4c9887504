"""Staff tokens."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.api.serializers import (
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from orders.api.throttling import ClientRateThrottle, UsernameRateThrottle
from orders.exceptions import InvalidInput
from orders.services.tokens import staff_token_issue


class StaffTokenView(APIView):
    """Staff exchange a username and password for an expiring API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ClientRateThrottle, UsernameRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses=TokenResponseSerializer, summary="Get a staff token")
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # django-axes sees the attempt through the Django request: it counts a failure, and its middleware
        # answers a locked-out username and address (orders/lockout.py) as it does the admin's login.
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active or not user.is_staff:
            raise InvalidInput(_("Wrong username or password, or not a staff account."))
        key, expires_at = staff_token_issue(user=user)
        return Response({"token": key, "expires_at": expires_at})
