"""Keeping claims attached to the newest revision of their article, and letting editors re-attach them by hand.

A claim's original revision and selectors never change. Its anchoring (``anchor_*`` fields) says where it sits on the
newest revision: anchored (the quote verbatim at its original offsets), moved (verbatim elsewhere), changed (an
approximate match: the new wording and the matcher's score are stored) or orphaned (gone). A claim an editor
re-attached by hand is anchored on the selection they made, and later revisions follow that selection instead.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from .. import jobs, roles
from ..anchoring import Match, Selector, anchor_many
from ..models import Activity, Article, ArticleRevision, Claim
from ..textquote import context
from .article_changes import flag_published_claims
from .common import record, require
from .selection import checked_selection

ANCHOR_FIELDS = ["anchor_revision", "anchor_state", "anchor_start", "anchor_end", "anchor_exact", "anchor_score"]
REATTACH_FIELDS = [*ANCHOR_FIELDS, "reattached_exact", "reattached_prefix", "reattached_suffix"]


@dataclass
class ReanchorResult:
    revision_id: int | None
    skipped: str = ""  # why nothing was done ("" when the run happened)
    states: dict[str, int] = field(default_factory=dict)  # claims per state after the run, of those re-anchored
    changed: int = 0  # claims whose state or position changed (one Activity each)
    flagged: int = 0  # published fact-checks newly flagged "article changed" for the desk


def reanchor_article(*, article_id: int, revision_id: int | None = None) -> ReanchorResult:
    """Re-anchor every claim of the article on its newest revision. Idempotent.

    With ``revision_id``, nothing happens unless that revision is still the newest (the task enqueued for the newer
    one does the work). The article row is locked, so no revision is added and no claim re-attached meanwhile.
    """
    with transaction.atomic():
        if not Article.objects.select_for_update().filter(pk=article_id).exists():
            return ReanchorResult(None, skipped="article deleted")
        newest = ArticleRevision.objects.filter(article_id=article_id).order_by("-number").first()
        if newest is None:
            return ReanchorResult(None, skipped="no revision")
        if revision_id is not None and newest.pk != revision_id:
            return ReanchorResult(newest.pk, skipped=f"revision {revision_id} is no longer the newest")
        # Claims already anchored on the newest revision are done: that is what makes a second run a no-op.
        claims = list(Claim.objects.filter(article_id=article_id).exclude(anchor_revision_id=newest.pk))
        if not claims:
            return ReanchorResult(newest.pk)
        old_texts = dict(
            ArticleRevision.objects.filter(pk__in={_baseline(c)[0] for c in claims}).values_list("pk", "text")
        )
        matches = _match_all(claims, old_texts, newest.text)

        result = ReanchorResult(newest.pk)
        activities, moved = [], []
        for claim in claims:
            before = (claim.anchor_state, claim.anchor_start, claim.anchor_end)
            _apply(claim, matches[claim.pk], newest, old_texts)
            result.states[claim.anchor_state] = result.states.get(claim.anchor_state, 0) + 1
            if (claim.anchor_state, claim.anchor_start, claim.anchor_end) != before:
                activities.append(_reanchored_activity(claim, before, newest))
                moved.append(claim)
        Claim.objects.bulk_update(claims, ANCHOR_FIELDS)
        Activity.objects.bulk_create(activities)
        result.changed = len(activities)
        # Only claims whose anchoring changed now: a reviewer who kept a fact-check is not asked again until it does.
        result.flagged = flag_published_claims(moved, newest)
    return result


def _is_reattached(claim: Claim) -> bool:
    return bool(claim.reattached_exact)


def _baseline(claim: Claim) -> tuple[int, int]:
    """The revision whose text is closest to the newest one that locates the claim, and the claim's offset there."""
    if claim.anchor_revision_id is not None and claim.anchor_start is not None:
        return claim.anchor_revision_id, claim.anchor_start
    return claim.revision_id, claim.start


def _selector(claim: Claim, old_texts: dict[int, str]) -> Selector:
    revision_id, start = _baseline(claim)
    if _is_reattached(claim):
        if claim.anchor_revision_id is not None and claim.anchor_start is not None:
            # The editor's quote with the context it has where it was last found (an inexact match's span too).
            prefix, suffix = context(old_texts[revision_id], claim.anchor_start, claim.anchor_end)
            return Selector(claim.reattached_exact, prefix, suffix, start)
        # Lost (or its revision deleted): the context it had where the editor attached it, and no position hint,
        # since the baseline is then the original revision, where the editor's quote never was.
        return Selector(claim.reattached_exact, claim.reattached_prefix, claim.reattached_suffix, None)
    # The original selectors say what the claim is; the latest anchoring only says where to look first.
    return Selector(claim.exact, claim.prefix, claim.suffix, start)


def _match_all(claims: list[Claim], old_texts: dict[int, str], new_text: str) -> dict[int, Match | None]:
    by_old = defaultdict(list)
    for claim in claims:
        by_old[_baseline(claim)[0]].append(claim)
    matches = {}
    for revision_id, group in by_old.items():
        found = anchor_many(old_texts[revision_id], new_text, [_selector(c, old_texts) for c in group])
        matches.update(zip((c.pk for c in group), found, strict=True))
    return matches


def _apply(claim: Claim, match: Match | None, newest: ArticleRevision, old_texts: dict[int, str]) -> None:
    reattached = _is_reattached(claim)
    claim.anchor_revision = newest
    if match is None:
        claim.anchor_state = Claim.Anchoring.ORPHANED
        claim.anchor_start = claim.anchor_end = claim.anchor_score = None
        claim.anchor_exact = ""
        return
    if not match.exact:
        state = Claim.Anchoring.CHANGED
    elif reattached:
        # Follows the editor's selection: anchored while it does not move (changed becomes anchored again when the
        # edit is undone in place).
        same_place = match.start == claim.anchor_start
        kept = claim.anchor_state if claim.anchor_state in (Claim.Anchoring.ANCHORED, Claim.Anchoring.MOVED) else None
        state = (kept or Claim.Anchoring.ANCHORED) if same_place else Claim.Anchoring.MOVED
    else:
        same_place = (match.start, match.end) == (claim.start, claim.end)
        state = Claim.Anchoring.ANCHORED if same_place else Claim.Anchoring.MOVED
    claim.anchor_state = state
    claim.anchor_start, claim.anchor_end = match.start, match.end
    claim.anchor_exact = newest.text[match.start : match.end]
    # The score is the matcher's similarity (quote, context, position); it only means something for an inexact match.
    claim.anchor_score = round(match.score, 4) if state == Claim.Anchoring.CHANGED else None


def _position(start, end) -> str:
    return "" if start is None else f"{start}-{end}"


def _reanchored_activity(claim: Claim, before: tuple, newest: ArticleRevision) -> Activity:
    old_state, old_start, old_end = before
    where = _position(claim.anchor_start, claim.anchor_end) or "nowhere"
    comment = f"r{newest.number}: {_position(old_start, old_end) or 'nowhere'} -> {where}"
    if claim.anchor_score is not None:
        comment += f" (score {claim.anchor_score:.2f})"
    return Activity(
        actor=None,
        action="claim_reanchored",
        article_id=claim.article_id,
        claim=claim,
        from_state=old_state,
        to_state=claim.anchor_state,
        comment=comment,
    )


def reanchor_on_commit(*, article_id: int, revision_id: int) -> bool:
    """Enqueue re-anchoring once the caller's transaction commits, if the article has claims to re-anchor."""
    if not Claim.objects.filter(article_id=article_id).exists():
        return False
    # A broker that is down only delays the work: reanchor_sweep finds the article later.
    jobs.send_on_commit(jobs.REANCHOR_ARTICLE, article_id, revision_id)
    return True


# Re-anchoring in the request that adds a revision, so that the page shown next is already right (no "Re-attaching"),
# as long as the matching is small: its cost grows with the claims times the length of the new text. About 0.1 s
# here (bench/reanchor_inline.py); a larger article is left to the worker and the reader says its claims are
# re-attaching until it is done.
INLINE_BUDGET = 4_000_000  # claims x characters of the new text


def reanchor_now_or_on_commit(*, article_id: int, revision: ArticleRevision) -> ReanchorResult | None:
    """Re-anchor the claims on `revision` now, inside the caller's transaction, if that is cheap; else enqueue it.

    Returns the result when it ran now, None when a worker does it (or there is nothing to re-anchor).
    """
    claims = Claim.objects.filter(article_id=article_id).count()
    if not claims:
        return None
    if claims * len(revision.text) <= INLINE_BUDGET:
        return reanchor_article(article_id=article_id, revision_id=revision.pk)
    reanchor_on_commit(article_id=article_id, revision_id=revision.pk)
    return None


def articles_to_reanchor(*, limit: int = 500) -> list[tuple[int, int]]:
    """(article id, newest revision id) of articles with a claim not anchored on the newest revision.

    Only work older than REANCHOR_SWEEP_GRACE seconds counts: the task enqueued at commit time is still running
    or queued for newer work (running it twice would be harmless, only wasted).
    """
    cutoff = timezone.now() - timedelta(seconds=settings.REANCHOR_SWEEP_GRACE)
    newest = ArticleRevision.objects.filter(article_id=OuterRef("pk")).order_by("-number")
    behind = (
        Claim.objects.filter(article_id=OuterRef("pk"), created_at__lt=cutoff)
        # A claim made on an older revision has no anchoring yet (NULL): exclude() keeps those too.
        .exclude(anchor_revision_id=OuterRef("newest_id"))
    )
    return list(
        Article.objects.annotate(
            newest_id=Subquery(newest.values("pk")[:1]), newest_at=Subquery(newest.values("created_at")[:1])
        )
        .filter(Exists(behind), newest_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", "newest_id")[:limit]
    )


def reanchor_sweep(*, limit: int = 500) -> int:
    """Periodic sweep (Celery beat): re-send the re-anchoring of articles whose message was lost. Idempotent."""
    due = articles_to_reanchor(limit=limit)
    for article_id, revision_id in due:
        if not jobs.send(jobs.REANCHOR_ARTICLE, article_id, revision_id):
            break  # the broker is down again: the next sweep tries
    return len(due)


def claim_reattach(
    *,
    actor,
    claim: Claim,
    revision: ArticleRevision,
    start: int,
    end: int,
    exact: str,
    prefix: str | None = None,
    suffix: str | None = None,
) -> Claim:
    """Attach `claim` to text[start:end] of the newest revision, chosen by an editor (offsets as in claim_create).

    Any anchoring state may be corrected, since the matcher can pick the wrong place too. Published claims may be
    re-attached: the public page quotes the original revision, which does not change; the activity says so.
    """
    require(actor, *roles.REATTACH_CLAIMS)
    if revision.article_id != claim.article_id:
        raise ValidationError({"revision": "That revision belongs to another article."})
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=claim.article_id).exists()
        newest_id = ArticleRevision.objects.filter(article_id=claim.article_id).order_by("-number").first().pk
        if revision.pk != newest_id:
            raise ValidationError({"revision": "The article has a newer revision; reload the page and select again."})
        stored, stored_prefix, stored_suffix = checked_selection(revision.text, start, end, exact, prefix, suffix)
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        from_state = claim.anchor_state
        claim.anchor_revision = revision
        claim.anchor_state = Claim.Anchoring.ANCHORED
        claim.anchor_start, claim.anchor_end, claim.anchor_exact, claim.anchor_score = start, end, stored, None
        claim.reattached_exact, claim.reattached_prefix, claim.reattached_suffix = stored, stored_prefix, stored_suffix
        claim.save(update_fields=REATTACH_FIELDS)
        note = " (published claim; its public page keeps quoting the original revision)"
        record(
            actor=actor,
            action="claim_reattached",
            claim=claim,
            from_state=from_state,
            to_state=claim.anchor_state,
            comment=f"r{revision.number}: {start}-{end}" + (note if claim.status == Claim.Status.PUBLISHED else ""),
        )
    return claim
