"""API tokens (django-rest-knox): issued for a user, stored as digests, expiring; revoked by the user or on a
password change (annotations.signals)."""

import logging

from django.utils import timezone
from knox.models import get_token_model
from knox.settings import knox_settings

logger = logging.getLogger("annotations.security")


def api_token_issue(*, user) -> tuple[object, str]:
    """A new token for `user`: (the stored row, the token itself, which is shown once and never stored)."""
    tokens = get_token_model().objects
    tokens.filter(user=user, expiry__lt=timezone.now()).delete()  # housekeeping: they no longer work anyway
    instance, token = tokens.create(user=user, expiry=knox_settings.TOKEN_TTL)
    logger.info("API token issued: account=%r expires=%s", user.get_username(), instance.expiry.isoformat())
    return instance, token


def api_token_revoke(*, token) -> None:
    """Revoke one token (the one a client signs out with)."""
    token.delete()
    logger.info("API token revoked: account=%r (sign-out)", token.user.get_username())


def api_tokens_revoke_all(*, user, reason: str) -> int:
    """Revoke every token of `user` (sign-out everywhere, password changed); returns how many there were."""
    count, _ = get_token_model().objects.filter(user=user).delete()
    if count:
        logger.info("API tokens revoked: account=%r count=%d reason=%s", user.get_username(), count, reason)
    return count
