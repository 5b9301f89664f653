"""Public pages: the list of published fact-checks (search, rating filter), one fact-check, and the health check.

Nothing unpublished is ever shown here; the archived copies of the sources are in public_archive.py and the Atom
feed in public_feed.py.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache as cache_function
from functools import reduce
from operator import and_

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import condition

from .. import corpus_links, health
from ..claimreview import claim_review, public_url
from ..middleware import RETRY_AFTER_SECONDS
from ..models import Article, Capture, Claim, Correction, Evidence, Rating, Source, Verdict
from ..public_forms import PublicSearchForm
from ..selectors import host_of, published_verdicts
from ..textquote import sentence_around
from ..webannotation import absolute

PUBLIC_LIST_PAGE_SIZE = 25
DESCRIPTION_CHARS = 200


def public_name(user) -> str:
    """How a checker or reviewer is credited in public: their full name, else their user name."""
    return user.get_full_name() or user.get_username()


def description_of(verdict: Verdict) -> str:
    """The rating and the start of the explanation: the page's meta description, og:description and feed summary."""
    return Truncator(f"Rated {verdict.rating.label}: {' '.join(verdict.explanation.split())}").chars(DESCRIPTION_CHARS)


def published_factchecks(request):
    form = PublicSearchForm(request.GET)
    verdicts = published_verdicts()
    form.is_valid()  # whatever is valid filters; an invalid field is shown with its message and ignored
    words = form.cleaned_data.get("q") or []
    if words:
        verdicts = verdicts.filter(
            reduce(
                and_,
                (
                    Q(claim__claim_reviewed__icontains=word)
                    | Q(claim__claimant__icontains=word)
                    | Q(explanation__icontains=word)
                    for word in words
                ),
            )
        )
    if rating := form.cleaned_data.get("rating"):
        verdicts = verdicts.filter(rating=rating)
    page = Paginator(verdicts, PUBLIC_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    filtered = bool(words or rating)
    canonical = absolute(reverse("published_factchecks"))
    if page.number > 1 and not filtered:
        canonical += f"?page={page.number}"
    return render(
        request,
        "annotations/public_index.html",
        {
            "form": form,
            "page": page,
            "filtered": filtered,
            "query_string": query_string.urlencode(),
            "canonical_url": canonical,
            "organization": settings.FACTCHECK_ORGANIZATION_NAME,
        },
    )


# Rendered fragments of a published fact-check, in the default cache (Redis or the database cache, shared by every
# worker; see CACHE_URL). The key is the stamp: the verdict's version and last change, and a digest of everything
# else the page shows (_PAGE_INPUTS), so publishing, correcting or unpublishing, a capture finishing, a source or a
# rating renamed, a checker's name changed: each makes a new key (and a new ETag), or no page at all. The TTL only
# bounds how long unused fragments stay.
PUBLIC_PAGE_TTL = 300
SAME_AS_PATH = f"claim__{corpus_links.SAME_AS}__fact_check"  # the ClaimReview's itemReviewed.sameAs


def _page_inputs_sql() -> str:
    """md5 of what the page shows beyond the verdict row, read in the stamp's own query.

    Evidence with its source's name and its capture's state and title (the titles and archived links), the rating
    scale (the explanation of every rating), the checker's and reviewer's names (the byline), the article's title
    and outlet, the URL of the fact-check the claim is the same claim as (its ClaimReview's itemReviewed.sameAs).
    concat() reads NULL as ''.
    """
    verdict, evidence, capture, source = (m._meta.db_table for m in (Verdict, Evidence, Capture, Source))
    rating, user, article, claim = (m._meta.db_table for m in (Rating, get_user_model(), Article, Claim))
    links = corpus_links.tables()

    def person(column: str) -> str:
        name = "concat(u.username, ':', u.first_name, ':', u.last_name)"
        return f"SELECT {name} FROM {user} u WHERE u.id = {column}"  # noqa: S608

    # Table names from the models' Meta are the only values formatted in; the query takes no parameters.
    return f"""md5(concat_ws('|',
        (SELECT string_agg(concat(e.id, ':', e.source_id, ':', s.name, ':', c.id, ':', c.status, ':', c.title,
                                  ':', c.sha256), ',' ORDER BY e.id)
           FROM {evidence} e LEFT JOIN {capture} c ON c.id = e.capture_id LEFT JOIN {source} s ON s.id = e.source_id
          WHERE e.claim_id = {verdict}.claim_id),
        (SELECT string_agg(concat(r.id, ':', r.label, ':', r.value, ':', r.position, ':', r.description), ','
                           ORDER BY r.id)
           FROM {rating} r WHERE r.scale_id = (SELECT g.scale_id FROM {rating} g WHERE g.id = {verdict}.rating_id)),
        ({person(verdict + ".author_id")}), ({person(verdict + ".reviewer_id")}),
        (SELECT concat(a.title, ':', o.name) FROM {claim} k JOIN {article} a ON a.id = k.article_id
           LEFT JOIN {source} o ON o.id = a.outlet_id WHERE k.id = {verdict}.claim_id),
        (SELECT f.url FROM {links["same_as"]} sa JOIN {links["fact_check"]} f ON f.id = sa.fact_check_id
          WHERE sa.claim_id = {verdict}.claim_id)
    ))"""  # noqa: S608


# The claim's published verdict: what both stamps below read (one row, by the claim_id index).
PUBLISHED_VERDICT_WHERE = "WHERE claim_id = %s AND status = %s LIMIT 1"


@cache_function
def _stamp_sql() -> str:
    # Table names from the models' Meta only; the claim id and status are parameters.
    columns = f"id, version, updated_at, {_page_inputs_sql()}"
    return f"SELECT {columns} FROM {Verdict._meta.db_table} {PUBLISHED_VERDICT_WHERE}"  # noqa: S608


def published_stamp(claim_id: int) -> tuple | None:
    """(verdict id, version, updated_at, inputs digest) of the claim's published verdict, or None: one query.

    Raw SQL built once: the anonymous page is answered from memory by this stamp (public_cache.py), so its cost
    is most of the page's."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [claim_id, Verdict.Status.PUBLISHED])
        return cursor.fetchone()


def published_version(claim_id: int) -> tuple | None:
    """(verdict id, version, updated_at) of the claim's published verdict, or None: what publishing, correcting and
    unpublishing change. An indexed lookup, several times cheaper than the whole stamp (planning its subqueries costs
    more than running them), so the memory cache (public_cache.py) checks it on every request."""
    sql = f"SELECT id, version, updated_at FROM {Verdict._meta.db_table} {PUBLISHED_VERDICT_WHERE}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [claim_id, Verdict.Status.PUBLISHED])
        return cursor.fetchone()


def _published_stamp(request, claim_id: int):
    """The stamp, cached on the request (the ETag and the view both need it)."""
    if not hasattr(request, "_published_stamp"):
        request._published_stamp = published_stamp(claim_id)
    return request._published_stamp


def _stamp_text(stamp) -> str:
    return f"{stamp[0]}-{stamp[1]}-{stamp[2].timestamp():.6f}-{stamp[3]}"


def _public_etag(request, claim_id: int) -> str | None:
    # Signed-in visitors see their own navigation (role, notices): only the anonymous page is the same for everyone.
    stamp = _published_stamp(request, claim_id)
    if stamp is None or request.user.is_authenticated:
        return None
    return f"{claim_id}-{_stamp_text(stamp)}"


@dataclass(frozen=True)
class PublicSource:
    """One piece of evidence as readers see it: a title, who published it, the live URL and the archived copy."""

    evidence: Evidence
    title: str
    publisher: str
    archive_url: str | None
    archived_at: datetime | None = None


def public_sources(evidence_list) -> list[PublicSource]:
    rows = []
    for evidence in evidence_list:
        capture = evidence.capture
        archived = capture is not None and capture.status == Capture.Status.DONE
        domain = host_of(evidence.url).removeprefix("www.")
        publisher = evidence.source.name if evidence.source is not None else domain
        # The page's own title when it was captured, else who published it, else where it is.
        title = " ".join(capture.title.split()) if archived else ""
        rows.append(
            PublicSource(
                evidence=evidence,
                title=title or publisher or evidence.url,
                publisher=publisher if title else (domain if publisher != domain else ""),
                archive_url=reverse("public_archive", args=[evidence.claim_id, evidence.pk]) if archived else None,
                archived_at=(capture.fetched_at or capture.finished_at) if archived else None,
            )
        )
    return rows


def _public_fragments(claim_id: int, stamp) -> dict:
    key = f"public-factcheck:{claim_id}:{_stamp_text(stamp)}"
    fragments = cache.get(key)
    if fragments is None:
        verdict = (
            Verdict.objects.select_related(
                "claim__article__outlet", "claim__revision", "rating__scale", "author", "reviewer", SAME_AS_PATH
            )
            .defer("claim__article__search_vector", *corpus_links.unread(SAME_AS_PATH))
            .prefetch_related(
                Prefetch(
                    "claim__evidence",
                    # A capture's text can be a whole web page; the fact-check shows only its title and state.
                    queryset=Evidence.objects.select_related("source", "capture").defer(
                        "capture__text", "capture__headers", "capture__redirect_chain"
                    ),
                ),
                Prefetch("corrections", queryset=Correction.objects.select_related("previous_rating")),
                "rating__scale__ratings",
            )
            .get(pk=stamp[0])
        )
        claim = verdict.claim
        scale = list(verdict.rating.scale.ratings.all())
        values = [rating.value for rating in scale if rating.value is not None]
        bounds = (min(values), max(values)) if values else (None, None)
        context = {
            "verdict": verdict,
            "claim": claim,
            "sentence": sentence_around(claim.revision.text, claim.start, claim.end),
            "claim_review": claim_review(verdict, bounds),
            "checker": public_name(verdict.author),
            "reviewer": public_name(verdict.reviewer) if verdict.reviewer else "",
            "scale": scale,
            "sources": public_sources(claim.evidence.all()),
            "page_url": public_url(verdict),
            "description": description_of(verdict),
            "organization": settings.FACTCHECK_ORGANIZATION_NAME,
        }
        fragments = {
            "title": Truncator(claim.claim_reviewed or claim.exact).chars(70),
            "head": render_to_string("annotations/_public_factcheck_head.html", context),
            "body": render_to_string("annotations/_public_factcheck_body.html", context),
        }
        cache.set(key, fragments, PUBLIC_PAGE_TTL)
    return {**fragments, "head": mark_safe(fragments["head"]), "body": mark_safe(fragments["body"])}  # noqa: S308


@condition(etag_func=_public_etag)
def public_factcheck(request, claim_id: int):
    """The published fact-check, readable without logging in; nothing unpublished is ever shown here.

    Anonymous readers get an ETag (a conditional GET answers 304) and may cache the page, revalidating each time.
    """
    stamp = _published_stamp(request, claim_id)
    if stamp is None:
        return _withdrawn_or_404(request, claim_id)
    response = render(request, "annotations/public_factcheck.html", {"fragments": _public_fragments(claim_id, stamp)})
    if not request.user.is_authenticated:
        response["Cache-Control"] = "public, no-cache"  # stored, but checked against the ETag on every use
    return response


def _withdrawn_or_404(request, claim_id: int):
    """A fact-check taken down after publication says so (410 Gone, with the date and reason), and nothing more."""
    taken_down = (
        Verdict.objects.filter(claim_id=claim_id, unpublished_at__isnull=False)
        .exclude(status=Verdict.Status.PUBLISHED)
        .values("unpublished_at", "unpublish_reason")
        .first()
    )
    if taken_down is None:
        raise Http404("No published fact-check here.")
    return render(request, "annotations/public_withdrawn.html", taken_down, status=410)


def healthz(request):
    """200 when the database and the broker answer, else 503; the JSON says which is down (each check is short)."""
    report = health.report()
    response = JsonResponse(report, status=200 if report["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    if report["status"] != "ok":
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
