"""Published fact-checks whose article changed under them: the desk's flag, and the notification that says so."""

from django.utils import timezone

from ..models import Activity, ArticleRevision, Claim, Notification, Verdict
from . import notifications

KIND = Notification.Kind.ARTICLE_CHANGED
FLAGGED_STATES = {Claim.Anchoring.CHANGED: "changed", Claim.Anchoring.ORPHANED: "orphaned"}


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
    Seven queries at most, whatever the number of claims: three for the flags, four for the notifications (each
    person is told once per revision and kind of change).
    """
    hit = {c.pk: c for c in claims if c.status == Claim.Status.PUBLISHED and c.anchor_state in FLAGGED_STATES}
    if not hit:
        return 0
    now = timezone.now()
    flagged, told, activities = [], [], []
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
        event = f"article_changed:{verdict.pk}:{newest.pk}:{change}"
        told += [
            {"recipient_id": person, "kind": KIND, "event_key": event, "message": message, "claim": claim}
            for person in {verdict.author_id, verdict.reviewer_id} - {None}
        ]
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
    Activity.objects.bulk_create(activities)
    notifications.notify_many(told)
    return len(flagged)
