"""What every service shares: the role check, the activity record, the conflict error and URL checking."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator

from ..models import Activity


def length_problem(label: str, value: str, limit: int) -> str | None:
    """Why a value is too long (its label, the limit and its length), or None; nothing is ever cut."""
    return f"{label} is at most {limit} characters ({len(value)} given)." if len(value) > limit else None


def too_long(field: str, label: str, value: str, limit: int) -> None:
    """Refuse an over-long value with its field, limit and length (forms show a counter; nothing is cut)."""
    if problem := length_problem(label, value, limit):
        raise ValidationError({field: problem})


class Conflict(Exception):
    """Someone else changed the object since the caller read it."""

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message)
        self.current_version = current_version


def require(user, perm: str, message: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(perm):
        raise PermissionDenied(message)


def record(
    *, actor, action: str, article=None, claim=None, verdict=None, subject=None, from_state="", to_state="", comment=""
):
    if claim is not None and article is None:
        article = claim.article
    return Activity.objects.create(
        actor=actor,
        action=action,
        article=article,
        claim=claim,
        verdict=verdict,
        subject=subject,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )


def http_url_problem(url: str) -> str | None:
    """Why `url` is not an absolute http(s) URL (a message for the user), or None if it is one."""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return f"{url[:200]!r} is not an http(s) URL."
    return None
