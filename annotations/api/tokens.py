"""API tokens: POST /api/token/ (username and password -> a token), /api/token/logout/, /api/token/logout-all/.

Tokens are django-rest-knox's: random, shown once, stored as digests, expiring after REST_KNOX's TOKEN_TTL. Signing in
goes through django.contrib.auth.authenticate with the Django request, so django-axes counts the failures and locks
out an account or an address (the lockout answer is annotations.lockout's); a throttle bounds the calls per address.
"""

import logging

from django.contrib.auth import authenticate, user_logged_in, user_logged_out
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, renderers, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from ..services.tokens import api_token_issue, api_token_revoke, api_tokens_revoke_all
from .authentication import TokenAuthentication
from .base import StrictJSONParser, check_body_size
from .schema import DETAIL

logger = logging.getLogger("annotations.security")
LOCKED_OUT = OpenApiResponse(
    DETAIL,
    description="Too many failed sign-ins for this account or address (lockout), or too many requests "
    "from this address (throttle); `Retry-After` says when to try again.",
)


class TokenThrottle(ScopedRateThrottle):
    """Calls per address to the token view. An unreachable cache does not stop sign-in: the lockout (in the
    database) still applies, and the failure is logged."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # any cache backend's connection error
            logger.exception("Token throttle skipped: the cache is unreachable")
            return True


class Credentials(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


TOKEN = inline_serializer(
    "IssuedToken",
    {
        "token": serializers.CharField(help_text="Send it as `Authorization: Token <token>`; it is shown only once."),
        "expiry": serializers.DateTimeField(help_text="When the token stops working."),
    },
)


class TokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [StrictJSONParser, parsers.FormParser, parsers.MultiPartParser]
    renderer_classes = [renderers.JSONRenderer]
    throttle_classes = [TokenThrottle]
    throttle_scope = "token"

    def initial(self, request, *args, **kwargs):
        check_body_size(request)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="token_create",
        request=Credentials,
        responses={200: TOKEN, 429: LOCKED_OUT},
        description="A new API token for a username and password. It expires (see `expiry`); revoke it with "
        "`/api/token/logout/`, or all of yours with `/api/token/logout-all/`. Repeated failures lock out the "
        "account and the address for a while (429).",
    )
    def post(self, request):
        credentials = Credentials(data=request.data)
        credentials.is_valid(raise_exception=True)
        # The Django request, not DRF's: django-axes marks it when it refuses, and its middleware answers then.
        django_request = request._request
        user = authenticate(django_request, **credentials.validated_data)
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": ["Unable to log in with provided credentials."]}, code="authorization"
            )
        instance, token = api_token_issue(user=user)
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        expiry = serializers.DateTimeField().to_representation(instance.expiry)
        return Response({"token": token, "expiry": expiry})


class SignedInView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [StrictJSONParser]
    renderer_classes = [renderers.JSONRenderer]


class TokenLogoutView(SignedInView):
    @extend_schema(
        operation_id="token_logout",
        request=None,
        responses={204: OpenApiResponse(description="The token you sent is revoked.")},
        description="Revoke the token this request is signed with.",
    )
    def post(self, request):
        api_token_revoke(token=request.auth)
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenLogoutAllView(SignedInView):
    # From the web UI too (session and CSRF token), to revoke every token after, say, a lost laptop.
    authentication_classes = [TokenAuthentication, SessionAuthentication]

    @extend_schema(
        operation_id="token_logout_all",
        request=None,
        responses={200: inline_serializer("RevokedTokens", {"revoked": serializers.IntegerField()})},
        description="Revoke every API token of the signed-in user (all devices and scripts).",
    )
    def post(self, request):
        revoked = api_tokens_revoke_all(user=request.user, reason="sign-out everywhere")
        return Response({"revoked": revoked})
