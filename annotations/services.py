"""Every write and every workflow transition. The web UI, the API, commands and tasks all come through here.

Functions are keyword-only. They raise PermissionDenied when the actor's role does not allow the action,
ValidationError (with a field name where there is one) for bad input, and Conflict for a stale version.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Value
from django.utils import timezone

from . import roles
from .models import (
    CLAIM_REVIEWED_MAX,
    CONTEXT_WIDTH,
    Activity,
    Article,
    ArticleRevision,
    Claim,
    Evidence,
    Rating,
    Source,
    Verdict,
)
from .selectors import host_of, source_for_url
from .textquote import context

MAX_CLAIM_LENGTH = 5000


class Conflict(Exception):
    """Someone else changed the object since the caller read it."""

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message)
        self.current_version = current_version


def _require(user, perm: str, message: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(perm):
        raise PermissionDenied(message)


def _record(*, actor, action: str, article=None, claim=None, verdict=None, from_state="", to_state="", comment=""):
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


# --- Roles -------------------------------------------------------------------------------------------------------


def role_assign(*, user, role: str) -> None:
    """Give `user` exactly one of the roles (replacing any other role group)."""
    if role not in roles.ROLES:
        raise ValidationError({"role": f"Unknown role {role!r}; choose one of {', '.join(roles.ROLES)}."})
    role_groups = Group.objects.filter(name__in=roles.ROLES)
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=role))


# --- Sources -----------------------------------------------------------------------------------------------------


def normalise_domain(value: str) -> str:
    """Accept 'sipri.org', 'www.sipri.org' or a whole URL; keep the lower-case host without 'www.'."""
    value = (value or "").strip().lower()
    host = host_of(value) if "://" in value else value.split("/")[0]
    host = host.removeprefix("www.").rstrip(".")
    if not host or " " in host or "." not in host or ":" in host:
        raise ValidationError({"domain": f"{value!r} is not a domain name (expected something like sipri.org)."})
    try:
        host.encode("idna")
    except UnicodeError:
        raise ValidationError({"domain": f"{value!r} is not a valid domain name."}) from None
    return host


SOURCE_FIELDS = ("name", "domain", "kind", "reliability", "notes", "blocked")


def source_save(*, actor, source: Source | None = None, **fields) -> Source:
    """Create a registry entry, or update `source` with the given fields. Admins only."""
    _require(actor, "annotations.manage_sources", "Only admins manage the source registry.")
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown field."))
    if "domain" in fields:
        fields["domain"] = normalise_domain(fields["domain"])
    source = source or Source()
    for name, value in fields.items():
        setattr(source, name, value)
    source.full_clean(validate_constraints=False)
    if Source.objects.filter(domain=source.domain).exclude(pk=source.pk).exists():
        raise ValidationError({"domain": f"{source.domain} is already in the registry."})
    created = source.pk is None
    source.save()
    _record(actor=actor, action="source_created" if created else "source_updated", comment=str(source))
    return source


# --- Articles and revisions --------------------------------------------------------------------------------------


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ImportResult:
    article: Article
    revision: ArticleRevision
    article_created: bool
    revision_created: bool


def article_import(
    *,
    actor,
    title: str,
    text: str,
    origin: str,
    url: str | None = None,
    published_date: date | None = None,
    byline: str = "",
    language: str = "en",
    outlet: Source | None = None,
) -> ImportResult:
    """Store an article, or add a revision when the URL is known and the text is new. Idempotent.

    `actor` None means the system (management commands, the demo loader); users need add_article.
    """
    if actor is not None:
        _require(actor, "annotations.add_article", "Only editors import articles.")
    title = " ".join((title or "").split())
    errors = {}
    if not title:
        errors["title"] = "The article needs a title."
    elif len(title) > 500:
        errors["title"] = "The title is longer than 500 characters."
    if not text or not text.strip():
        errors["text"] = "The article text is empty."
    if "\x00" in (text or ""):
        errors["text"] = "The text contains NUL characters (is it a binary file?)."
    if url:
        url = url.strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = f"{url!r} is not an http(s) URL."
    if origin not in ArticleRevision.Origin.values:
        errors["origin"] = f"Unknown origin {origin!r}."
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        article = Article.objects.select_for_update().filter(url=url).first() if url else None
        article_created = article is None
        if article_created:
            article = Article.objects.create(
                title=title,
                url=url or None,
                outlet=outlet or (source_for_url(url) if url else None),
                byline=byline,
                published_date=published_date,
                language=language,
                created_by=actor,
            )
            _record(actor=actor, action="article_created", article=article, to_state="stored")
        revision, revision_created = _revision_add(actor=actor, article=article, text=text, origin=origin)
        if not article_created and revision_created and title != article.title:
            article.title = title
            article.save(update_fields=["title", "updated_at"])
        if revision_created:
            _refresh_search_vector(article, revision.text)
    return ImportResult(article, revision, article_created, revision_created)


def revision_add(*, actor, article: Article, text: str, origin: str) -> tuple[ArticleRevision, bool]:
    """Add a new immutable revision (nothing happens if the same text is already a revision)."""
    _require(actor, "annotations.add_articlerevision", "Only editors add revisions.")
    if not text or not text.strip():
        raise ValidationError({"text": "The article text is empty."})
    with transaction.atomic():
        Article.objects.select_for_update().get(pk=article.pk)
        revision, created = _revision_add(actor=actor, article=article, text=text, origin=origin)
        if created:
            _refresh_search_vector(article, revision.text)
    return revision, created


def _revision_add(*, actor, article: Article, text: str, origin: str) -> tuple[ArticleRevision, bool]:
    # Callers hold the article's row lock, so numbering cannot race.
    digest = text_sha256(text)
    existing = article.revisions.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    latest = article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = ArticleRevision.objects.create(
        article=article, number=latest + 1, text=text, sha256=digest, origin=origin, created_by=actor
    )
    _record(actor=actor, action="revision_added", article=article, to_state=f"r{revision.number}")
    return revision, True


def _refresh_search_vector(article: Article, text: str) -> None:
    Article.objects.filter(pk=article.pk).update(
        search_vector=SearchVector("title", weight="A", config="english")
        + SearchVector(Value(text), weight="B", config="english")
    )


# --- Claims ------------------------------------------------------------------------------------------------------


def claim_create(
    *,
    actor,
    revision: ArticleRevision,
    start: int,
    end: int,
    exact: str,
    prefix: str | None = None,
    suffix: str | None = None,
    claimant: str = "",
    claim_reviewed: str = "",
) -> Claim:
    """Highlight text[start:end] of `revision` as a claim.

    Offsets are Python indices on the stored text. The quote and its context are re-derived from the stored text
    and must agree with what the client saw, so a client working on different text is refused, not trusted.
    """
    _require(actor, "annotations.add_claim", "Only editors and reviewers create claims.")
    text = revision.text
    if not isinstance(start, int) or not isinstance(end, int) or start < 0 or end > len(text) or start >= end:
        raise ValidationError(
            {"selector": f"The selection {start}-{end} is not a non-empty span of the text (0-{len(text)})."}
        )
    stored = text[start:end]
    if exact != stored:
        raise ValidationError(
            {"exact": f"The selected text does not match the article at {start}-{end}: expected {stored[:80]!r}."}
        )
    if not stored.strip():
        raise ValidationError({"exact": "The selection is only whitespace."})
    if len(stored) > MAX_CLAIM_LENGTH:
        raise ValidationError({"exact": f"A claim is at most {MAX_CLAIM_LENGTH} characters."})
    stored_prefix, stored_suffix = context(text, start, end)
    # Clients may count context in UTF-16 units, so compare against the text itself rather than our 32 characters.
    if prefix and (len(prefix) > 2 * CONTEXT_WIDTH or not text[:start].endswith(prefix)):
        raise ValidationError({"prefix": "The text before the selection does not match the article."})
    if suffix and (len(suffix) > 2 * CONTEXT_WIDTH or not text[end:].startswith(suffix)):
        raise ValidationError({"suffix": "The text after the selection does not match the article."})
    claimant, claim_reviewed = _clean_claim_fields(claimant=claimant, claim_reviewed=claim_reviewed)
    newest = revision.article.revisions.order_by("-number").first()
    claim = Claim.objects.create(
        article=revision.article,
        revision=revision,
        start=start,
        end=end,
        exact=stored,
        prefix=stored_prefix,
        suffix=stored_suffix,
        claimant=claimant,
        claim_reviewed=claim_reviewed,
        author=actor,
        anchor_revision=revision if newest == revision else None,
        anchor_start=start if newest == revision else None,
        anchor_end=end if newest == revision else None,
        anchor_exact=stored if newest == revision else "",
    )
    _record(actor=actor, action="claim_created", claim=claim, to_state=claim.status)
    return claim


def _clean_claim_fields(*, claimant: str, claim_reviewed: str) -> tuple[str, str]:
    claimant = " ".join((claimant or "").split())
    claim_reviewed = " ".join((claim_reviewed or "").split())
    errors = {}
    if len(claimant) > 200:
        errors["claimant"] = "The claimant is at most 200 characters."
    if len(claim_reviewed) > CLAIM_REVIEWED_MAX:
        errors["claim_reviewed"] = (
            f"The short statement is at most {CLAIM_REVIEWED_MAX} characters ({len(claim_reviewed)} given)."
        )
    if errors:
        raise ValidationError(errors)
    return claimant, claim_reviewed


def claim_update(*, actor, claim: Claim, claimant: str, claim_reviewed: str) -> Claim:
    _require(actor, "annotations.change_claim", "Only editors and reviewers edit claims.")
    if claim.status == Claim.Status.PUBLISHED:
        raise ValidationError({"claim": "A published claim cannot be edited."})
    claim.claimant, claim.claim_reviewed = _clean_claim_fields(claimant=claimant, claim_reviewed=claim_reviewed)
    claim.save(update_fields=["claimant", "claim_reviewed", "updated_at"])
    _record(actor=actor, action="claim_edited", claim=claim)
    return claim


# --- Evidence ----------------------------------------------------------------------------------------------------


def evidence_add(*, actor, claim: Claim, url: str, stance: str, quote: str = "", note: str = "") -> Evidence:
    _require(actor, "annotations.add_evidence", "Only editors and reviewers add evidence.")
    url = (url or "").strip()
    errors = {}
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = f"{url[:200]!r} is not an http(s) URL."
    if stance not in Evidence.Stance.values:
        errors["stance"] = f"Stance must be one of {', '.join(Evidence.Stance.values)}."
    if claim.status == Claim.Status.PUBLISHED:
        errors["claim"] = "Evidence cannot be added to a published claim."
    if errors:
        raise ValidationError(errors)
    source = source_for_url(url)
    if source is not None and source.blocked:
        raise ValidationError({"url": f"{source.domain} is blocked in the source registry ({source.name})."})
    evidence = Evidence.objects.create(
        claim=claim,
        url=url,
        stance=stance,
        quote=(quote or "").strip(),
        note=(note or "").strip(),
        source=source,
        author=actor,
    )
    _record(actor=actor, action="evidence_added", claim=claim, comment=url)
    return evidence


# --- Verdicts ----------------------------------------------------------------------------------------------------


def _locked_verdict(verdict: Verdict, version: int | None) -> Verdict:
    current = Verdict.objects.select_for_update().select_related("claim").get(pk=verdict.pk)
    if version is not None and current.version != version:
        raise Conflict(
            f"This verdict was changed by someone else (version {current.version}, you had {version}). "
            "Your text is kept below; review the current verdict and save again.",
            current_version=current.version,
        )
    return current


def _transition(*, actor, verdict: Verdict, to: str, action: str, comment: str = "", **fields) -> Verdict:
    before = verdict.status
    verdict.status = to
    for name, value in fields.items():
        setattr(verdict, name, value)
    verdict.version += 1
    verdict.save()
    claim = verdict.claim
    claim_before = claim.status
    claim.status = to
    claim.save(update_fields=["status", "updated_at"])
    _record(actor=actor, action=action, claim=claim, verdict=verdict, from_state=before, to_state=to, comment=comment)
    if claim_before != before:  # keep the claim's own history honest if it had drifted
        _record(actor=actor, action="claim_status", claim=claim, from_state=claim_before, to_state=to)
    return verdict


def verdict_save(*, actor, claim: Claim, rating: Rating, explanation: str, version: int | None = None) -> Verdict:
    """Create the claim's verdict or edit it while it is a draft or sent back. `version` guards concurrent edits."""
    _require(actor, "annotations.change_verdict", "Only editors and reviewers write verdicts.")
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError({"explanation": "Explain the verdict."})
    if rating is None:
        raise ValidationError({"rating": "Choose a rating."})
    with transaction.atomic():
        Claim.objects.select_for_update().get(pk=claim.pk)
        existing = Verdict.objects.filter(claim=claim).first()
        if existing is None:
            verdict = Verdict.objects.create(claim=claim, rating=rating, explanation=explanation, author=actor)
            _record(actor=actor, action="verdict_created", claim=claim, verdict=verdict, to_state=verdict.status)
            return verdict
        verdict = _locked_verdict(existing, version)
        if verdict.status not in {Verdict.Status.DRAFT, Verdict.Status.CHANGES_REQUESTED}:
            raise ValidationError(
                {"verdict": f"A verdict that is {verdict.get_status_display().lower()} cannot be edited."}
            )
        verdict.rating = rating
        verdict.explanation = explanation
        verdict.version += 1
        verdict.save()
        _record(actor=actor, action="verdict_edited", claim=claim, verdict=verdict, to_state=verdict.status)
        return verdict


def verdict_submit(*, actor, verdict: Verdict, version: int | None = None) -> Verdict:
    _require(actor, "annotations.change_verdict", "Only editors and reviewers submit verdicts.")
    with transaction.atomic():
        verdict = _locked_verdict(verdict, version)
        if verdict.status not in {Verdict.Status.DRAFT, Verdict.Status.CHANGES_REQUESTED}:
            raise ValidationError({"status": f"Only a draft can be submitted; this one is {verdict.status}."})
        return _transition(
            actor=actor,
            verdict=verdict,
            to=Verdict.Status.IN_REVIEW,
            action="verdict_submitted",
            submitted_at=timezone.now(),
        )


def _contributed(user, verdict: Verdict) -> bool:
    if verdict.author_id == user.pk:
        return True
    return verdict.activity.filter(actor=user, action__in=["verdict_created", "verdict_edited"]).exists()


def _require_review(actor, verdict: Verdict, doing: str) -> None:
    _require(actor, "annotations.review_verdict", f"Only reviewers {doing}.")
    if verdict.status != Verdict.Status.IN_REVIEW:
        raise ValidationError({"status": f"Only a verdict in review can be reviewed; this one is {verdict.status}."})
    if _contributed(actor, verdict):
        raise PermissionDenied("Two-person rule: you cannot review a verdict you wrote or edited.")


def verdict_approve(*, actor, verdict: Verdict, comment: str = "", version: int | None = None) -> Verdict:
    with transaction.atomic():
        verdict = _locked_verdict(verdict, version)
        _require_review(actor, verdict, "approve verdicts")
        return _transition(
            actor=actor,
            verdict=verdict,
            to=Verdict.Status.APPROVED,
            action="verdict_approved",
            comment=(comment or "").strip(),
            reviewer=actor,
            reviewed_at=timezone.now(),
            review_comment=(comment or "").strip(),
        )


def verdict_request_changes(*, actor, verdict: Verdict, comment: str, version: int | None = None) -> Verdict:
    comment = (comment or "").strip()
    with transaction.atomic():
        verdict = _locked_verdict(verdict, version)
        _require_review(actor, verdict, "send verdicts back")
        if not comment:
            raise ValidationError({"comment": "Say what needs to change."})
        return _transition(
            actor=actor,
            verdict=verdict,
            to=Verdict.Status.CHANGES_REQUESTED,
            action="verdict_changes_requested",
            comment=comment,
            review_comment=comment,
            reviewer=actor,
            reviewed_at=timezone.now(),
        )


def verdict_publish(*, actor, verdict: Verdict, version: int | None = None) -> Verdict:
    _require(actor, "annotations.publish_verdict", "Only reviewers publish verdicts.")
    with transaction.atomic():
        verdict = _locked_verdict(verdict, version)
        if verdict.status != Verdict.Status.APPROVED:
            raise ValidationError(
                {"status": f"Only an approved verdict can be published; this one is {verdict.status}."}
            )
        return _transition(
            actor=actor,
            verdict=verdict,
            to=Verdict.Status.PUBLISHED,
            action="verdict_published",
            published_at=timezone.now(),
        )
