"""Published fact-checks whose article changed under them: the desk's flag and the in-app notices that say so."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ..limits import max_length
from ..models import Activity, ArticleRevision, Claim, Notice, Verdict

FLAGGED_STATES = {Claim.Anchoring.CHANGED: "changed", Claim.Anchoring.ORPHANED: "orphaned"}
NOTICE_KIND = "article_changed"


def change_description(change: str, anchor_exact: str = "") -> str:
    if change == "orphaned":
        return "the claimed sentence is gone"
    if anchor_exact:
        return f"the claimed passage changed; it now reads “{' '.join(anchor_exact.split())[:200]}”"
    return "the claimed passage changed"


def flag_published_claims(claims: list[Claim], newest: ArticleRevision) -> int:
    """Flag the verdicts of published claims that re-anchoring left changed or orphaned; notify author and reviewer.

    Called by re-anchoring with the claims whose anchoring on `newest` it just changed, so a second run adds
    nothing. A verdict flagged already is flagged again only when the kind of change differs (changed -> orphaned).
    Four queries at most, whatever the number of claims.
    """
    hit = {c.pk: c for c in claims if c.status == Claim.Status.PUBLISHED and c.anchor_state in FLAGGED_STATES}
    if not hit:
        return 0
    now = timezone.now()
    flagged, notices, activities = [], [], []
    for verdict in Verdict.objects.filter(claim_id__in=hit, status=Verdict.Status.PUBLISHED):
        claim = hit[verdict.claim_id]
        change = FLAGGED_STATES[claim.anchor_state]
        if verdict.article_change == change:
            continue
        verdict.article_changed_at, verdict.article_change = now, change
        flagged.append(verdict)
        what = change_description(change, claim.anchor_exact)
        title = claim.claim_reviewed or " ".join(claim.exact.split())[:80]
        message = f"The article of your published fact-check changed (revision {newest.number}): {what}. “{title}”"
        for user_id in {verdict.author_id, verdict.reviewer_id} - {None}:
            notices.append(
                Notice(
                    user_id=user_id,
                    kind=NOTICE_KIND,
                    message=message[: max_length(Notice, "message")],
                    claim=claim,
                    verdict=verdict,
                )
            )
        activities.append(
            Activity(
                actor=None,
                action="article_changed",
                article_id=claim.article_id,
                claim=claim,
                verdict=verdict,
                to_state=change,
                comment=f"r{newest.number}: {what}"[:2000],
            )
        )
    Verdict.objects.bulk_update(flagged, ["article_changed_at", "article_change"])
    Notice.objects.bulk_create(notices)
    Activity.objects.bulk_create(activities)
    return len(flagged)


def notices_mark_read(*, actor, notice_ids: list[int] | None = None) -> int:
    """Mark the actor's unread notices read (those given, or all); another user's notices are never touched."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Sign in to read your notices.")
    unread = Notice.objects.filter(user=actor, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=notice_ids)
    return unread.update(read_at=timezone.now())
