"""What every service shares: the role check, the activity record and the conflict error."""

from django.core.exceptions import PermissionDenied

from ..models import Activity


class Conflict(Exception):
    """Someone else changed the object since the caller read it."""

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message)
        self.current_version = current_version


def require(user, perm: str, message: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(perm):
        raise PermissionDenied(message)


def record(*, actor, action: str, article=None, claim=None, verdict=None, from_state="", to_state="", comment=""):
    if claim is not None and article is None:
        article = claim.article
    return Activity.objects.create(
        actor=actor,
        action=action,
        article=article,
        claim=claim,
        verdict=verdict,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )
