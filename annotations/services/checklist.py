"""What a desk checks before a verdict is approved or published: blockers, warnings, and what can't be overridden.

Blockers (no evidence, the claim orphaned on the newest revision) stop approve and publish unless a reviewer gives
an override reason; warnings are shown and never stop anything. Refusals (no short statement, a withdrawn claim)
cannot be overridden: the desk must fix them first.

The checklist of any number of verdicts costs two queries (claims with their newest revision, then evidence with
captures and sources), so the review queue can show one per row.
"""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from ..models import CLAIM_REVIEWED_MAX, ArticleRevision, Capture, Claim, Evidence, Source, Verdict


@dataclass(frozen=True)
class Item:
    code: str
    message: str


@dataclass
class Checklist:
    blockers: list[Item] = field(default_factory=list)
    warnings: list[Item] = field(default_factory=list)
    refusals: list[Item] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.blockers)

    @property
    def clear(self) -> bool:
        return not (self.blockers or self.warnings or self.refusals)

    def blocker_summary(self) -> str:
        return "; ".join(item.message[:1].lower() + item.message[1:].rstrip(".") for item in self.blockers)


def short_statement_problem(claim: Claim, doing: str) -> str | None:
    """Why the claim's short statement (schema.org claimReviewed) is not fit for `doing` ("submitting", ...)."""
    statement = (claim.claim_reviewed or "").strip()
    if not statement or len(statement) > CLAIM_REVIEWED_MAX:
        return f"Add a short statement of at most {CLAIM_REVIEWED_MAX} characters before {doing}."
    return None


def publication_checklists(verdicts) -> dict[int, Checklist]:
    """The checklist of each verdict, by verdict id."""
    verdicts = list(verdicts)
    claim_ids = {verdict.claim_id for verdict in verdicts}
    newest = ArticleRevision.objects.filter(article=OuterRef("article_id")).order_by("-number")
    claims = {
        claim.pk: claim
        for claim in Claim.objects.filter(pk__in=claim_ids)
        .only("article_id", "claim_reviewed", "anchor_revision_id", "anchor_state", "withdrawn_at")
        .annotate(
            newest_revision_id=Subquery(newest.values("pk")[:1]),
            newest_revision_number=Subquery(newest.values("number")[:1]),
        )
    }
    evidence: dict[int, list[Evidence]] = {claim_id: [] for claim_id in claim_ids}
    rows = (
        Evidence.objects.filter(claim_id__in=claim_ids)
        .select_related("capture", "source")
        .only(
            "claim_id",
            "url",
            "stance",
            "quote",
            "quote_status",
            "capture__status",
            "capture__error_code",
            "capture__error_message",
            "source__name",
            "source__blocked",
            "source__reliability",
        )
        .order_by("created_at", "id")
    )
    for row in rows:
        evidence[row.claim_id].append(row)
    return {verdict.pk: _checklist(claims[verdict.claim_id], evidence[verdict.claim_id]) for verdict in verdicts}


def publication_checklist(verdict: Verdict) -> Checklist:
    return publication_checklists([verdict])[verdict.pk]


def _checklist(claim: Claim, evidence: list[Evidence]) -> Checklist:
    checklist = Checklist()
    if claim.withdrawn_at is not None:
        checklist.refusals.append(Item("claim_withdrawn", "The claim was withdrawn: it cannot go ahead."))
    if problem := short_statement_problem(claim, "approving or publishing"):
        checklist.refusals.append(Item("short_statement_missing", problem))
    _anchoring(checklist, claim)
    if not evidence:
        checklist.blockers.append(Item("no_evidence", "The claim has no evidence."))
    elif all(row.stance == Evidence.Stance.CONTEXT for row in evidence):
        checklist.warnings.append(Item("context_only", "No evidence supports or refutes the claim (context only)."))
    for row in evidence:
        _evidence(checklist, row)
    sources = [row.source for row in evidence]
    if sources and all(source is not None and source.reliability == Source.Reliability.LOW for source in sources):
        checklist.warnings.append(Item("low_reliability_only", "All the evidence comes from low-reliability sources."))
    return checklist


def _anchoring(checklist: Checklist, claim: Claim) -> None:
    where = f"revision {claim.newest_revision_number}"
    if claim.anchor_revision_id != claim.newest_revision_id:
        # Re-anchoring runs after a revision is stored; until then nobody knows where the claim sits on it.
        checklist.warnings.append(
            Item("anchoring_pending", f"The claim has not been located on the newest revision ({where}) yet.")
        )
    elif claim.anchor_state == Claim.Anchoring.ORPHANED:
        checklist.blockers.append(
            Item("claim_orphaned", f"The claimed text is no longer in the newest revision of the article ({where}).")
        )
    elif claim.anchor_state == Claim.Anchoring.CHANGED:
        checklist.warnings.append(
            Item("claim_changed", f"The claimed text changed in the newest revision of the article ({where}).")
        )


def _evidence(checklist: Checklist, row: Evidence) -> None:
    url = row.url if len(row.url) <= 80 else row.url[:79] + "…"
    capture = row.capture
    if capture is None:
        checklist.warnings.append(Item("capture_missing", f"The source {url} has not been captured."))
    elif capture.status == Capture.Status.FAILED:
        checklist.warnings.append(
            Item("capture_failed", f"The capture of {url} failed ({capture.error_code}: {capture.error_message}).")
        )
    elif capture.status in Capture.IN_FLIGHT:
        checklist.warnings.append(Item("capture_pending", f"The capture of {url} is still in progress."))
    if row.quote:
        problems = {
            Evidence.QuoteStatus.DIFFERS: ("quote_differs", "differs from the source"),
            Evidence.QuoteStatus.NOT_FOUND: ("quote_not_found", "was not found in the source"),
            Evidence.QuoteStatus.GONE: ("quote_gone", "is no longer in the source"),
        }
        if row.quote_status in problems:
            code, what = problems[row.quote_status]
            checklist.warnings.append(Item(code, f"The quote from {url} {what}."))
    if row.source is not None and row.source.blocked:
        checklist.warnings.append(Item("source_blocked", f"{row.source.name} is now blocked in the source registry."))
