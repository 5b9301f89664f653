from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import IntegerField, Subquery

from .models import Notice, Verdict
from .roles import role_of


def roles(request):
    user = getattr(request, "user", None)
    return {"user_role": role_of(user) if user is not None else None}


class _Count(Subquery):
    """COUNT(*) of a queryset as a column (one row even when nothing matches, unlike a grouped subquery)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def nav_counts(user) -> dict[str, int]:
    """Every count the nav shows, in one query: verdicts in review and approved but not published (the review
    queue's tabs, withdrawn claims left out as there), the user's verdicts sent back to them, their unread notices."""
    queued = Verdict.objects.filter(claim__withdrawn_at__isnull=True).order_by().values("pk")
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            in_review=_Count(queued.filter(status=Verdict.Status.IN_REVIEW)),
            approved=_Count(queued.filter(status=Verdict.Status.APPROVED)),
            sent_back=_Count(queued.filter(status=Verdict.Status.CHANGES_REQUESTED, author=user)),
            unread_notices=_Count(Notice.objects.filter(user=user, read_at__isnull=True).order_by().values("pk")),
        )
        .get()
    )


def _counts_once(request):
    # Shared by the processors below and cached on the request: counted once, and only if a page shows a count.
    if not hasattr(request, "_nav_counts"):
        user = request.user
        request._nav_counts = cache(lambda: nav_counts(user))
    return request._nav_counts


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def notices(request):
    """The unread-notice count for the nav (a callable: templates call it when they show it)."""
    if not _signed_in(request):
        return {}
    counts = _counts_once(request)
    return {"unread_notices": lambda: counts()["unread_notices"]}


def desk(request):
    """The desk's counts for the nav: in review, approved not published, sent back to you."""
    if not _signed_in(request):
        return {}
    return {"desk_counts": _counts_once(request)}
