"""What a refused sign-in gets once django-axes has locked out an account or an address (settings: AXES_*).

The same answer for the web login, the admin login and /api/token/: 429 with Retry-After and a message saying what
happened and when to try again; JSON for the API. Each refusal is logged with the account and the address.
"""

import logging
import math

from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse

logger = logging.getLogger("annotations.security")


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies that address in X-Forwarded-For."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(count, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def lockout_message(minutes: int) -> str:
    return (
        f"Too many failed sign-ins for this account or from this address: sign-in is refused for {minutes} "
        f"minute{'s' if minutes != 1 else ''}. Try again later, or ask an admin to reset your password."
    )


def lockout_response(request, original_response=None, credentials=None):
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = max(1, math.ceil(seconds / 60))
    username = (credentials or {}).get("username", "") or request.POST.get("username", "")
    logger.warning(
        "Sign-in refused (locked out): account=%r address=%s path=%s", username, client_address(request), request.path
    )
    message = lockout_message(minutes)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        context = {"message": message, "password_reset": settings.PASSWORD_RESET_BY_EMAIL}
        response = TemplateResponse(request, "registration/locked_out.html", context, status=429)
        response.render()
    response["Retry-After"] = str(seconds)
    return response
