from functools import cache

from django.db import connection

from . import desk_version
from .models import Claim, Notification, Verdict
from .roles import role_of


def roles(request):
    user = getattr(request, "user", None)
    return {"user_role": role_of(user) if user is not None else None}


@cache
def _nav_counts_sql() -> str:
    """Raw SQL, built once: the nav shows these counts on every staff page, where compiling the ORM's four
    subqueries cost several times more than running them."""
    verdict, claim, notification = (m._meta.db_table for m in (Verdict, Claim, Notification))
    queued = f"SELECT COUNT(*) FROM {verdict} v JOIN {claim} c ON c.id = v.claim_id WHERE c.withdrawn_at IS NULL"  # noqa: S608
    return f"""SELECT ({queued} AND v.status = %(in_review)s),
                      ({queued} AND v.status = %(approved)s),
                      ({queued} AND v.status = %(sent_back)s AND v.author_id = %(user)s),
                      (SELECT COUNT(*) FROM {notification} m WHERE m.recipient_id = %(user)s AND m.read_at IS NULL)
    """  # noqa: S608 - table names from the models; the values are parameters


def nav_counts(user) -> dict[str, int]:
    """Every count the nav shows, in one query: verdicts in review and approved but not published (the review
    queue's tabs, withdrawn claims left out as there), the user's verdicts sent back to them,
    and their unread notifications."""
    params = {
        "in_review": Verdict.Status.IN_REVIEW,
        "approved": Verdict.Status.APPROVED,
        "sent_back": Verdict.Status.CHANGES_REQUESTED,
        "user": user.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(_nav_counts_sql(), params)
        in_review, approved, sent_back, unread_notifications = cursor.fetchone()
    return {
        "in_review": in_review,
        "approved": approved,
        "sent_back": sent_back,
        "unread_notifications": unread_notifications,
    }


def _counts_once(request):
    # Shared by the processors below and cached on the request: counted once, and only if a page shows a count.
    if not hasattr(request, "_nav_counts"):
        user = request.user
        request._nav_counts = cache(lambda: desk_version.remembered(("nav counts", user.pk), lambda: nav_counts(user)))
    return request._nav_counts


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def notifications(request):
    """The unread-notification count for the nav (a callable: templates call it when they show it)."""
    if not _signed_in(request):
        return {}
    counts = _counts_once(request)
    return {
        "unread_notifications": lambda: counts()["unread_notifications"],
    }


def desk(request):
    """The desk's counts for the nav: in review, approved not published, sent back to you."""
    if not _signed_in(request):
        return {}
    return {"desk_counts": _counts_once(request)}
