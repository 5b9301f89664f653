"""`Authorization: Token <token>`: django-rest-knox's tokens (digests at rest, an expiry)."""

from django.utils import timezone
from knox import auth


class TokenAuthentication(auth.TokenAuthentication):
    """knox's, without its sweep of the user's other tokens at every request (one query per API call): an expired
    token is refused and deleted when it is used, and the others when the user is issued a new one
    (services.tokens.api_token_issue)."""

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False
