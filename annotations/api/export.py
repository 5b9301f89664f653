"""Exports of claims with their verdicts and evidence, as CSV and JSON, streamed a chunk of claims at a time."""

import csv
import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from rest_framework import renderers

from ..blind_review import hidden_claim_ids
from ..claimreview import public_url
from ..models import Claim, Evidence, verdict_of
from ..selectors import VERDICT_WITH_PEOPLE
from ..webannotation import absolute

COLUMNS = [
    "claim_id",
    "article_id",
    "article_title",
    "article_url",
    "article_language",
    "outlet",
    "outlet_domain",
    "revision",
    "start",
    "end",
    "exact",
    "claimant",
    "claim_reviewed",
    "status",
    "anchor_state",
    "claim_author",
    "created_at",
    "evidence_count",
    "verdict_id",
    "rating",
    "rating_value",
    "verdict_status",
    "explanation",
    "verdict_author",
    "reviewer",
    "published_at",
    "public_url",
    # One line per evidence, numbered "[1] ...", so that a quote with line breaks cannot shift the others.
    "evidence_urls",
    "evidence_stances",
    "evidence_quotes",
    "evidence_quote_statuses",
    "evidence_capture_urls",
    "evidence_snapshot_urls",
]
BOM = "\ufeff"  # Excel reads a CSV file as UTF-8 only when it starts with one
CHUNK = 500  # claims per query (and per prefetch of their evidence and verdicts) while streaming


# What a cell may not start with (OWASP): a formula's first character, or a tab or carriage return.
FORMULA_START = frozenset("=+-@\t\r")


class CSVRenderer(renderers.BaseRenderer):
    """Lets `Accept: text/csv` through content negotiation; errors on this view are rendered as field,reason rows."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = [["field", "reason"]]
        for field, reasons in (data or {}).items():
            rows += [[field, reason] for reason in (reasons if isinstance(reasons, list) else [reasons])]
        return "".join(_line(row) for row in rows).encode("utf-8")


class _Echo:
    def write(self, value):
        return value


_writer = csv.writer(_Echo())


def _cell(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    # Spreadsheets run text cells that start like a formula (OWASP "CSV injection"), also after leading spaces or
    # line breaks, which they skip; a leading quote keeps them text.
    return "'" + value if value[:1] in FORMULA_START or value.lstrip()[:1] in FORMULA_START else value


def _line(row) -> str:
    return _writer.writerow([_cell(value) for value in row])


def csv_line(row) -> str:
    """One CSV line as every export of the project writes it (formula-like text cells quoted): for other apps'
    exports (the dashboard's), which start their files with BOM like these."""
    return _line(row)


EVIDENCE_COLUMNS = ("id", "url", "stance", "quote", "quote_status", "capture")


def claims_for_export() -> QuerySet[Claim]:
    """Claims with what a row needs; never the article or revision text, nor a capture's extracted page."""
    return (
        Claim.objects.select_related("article__outlet", "revision", "author", *VERDICT_WITH_PEOPLE)
        .defer("article__search_vector", "revision__text")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("capture")
                .only("claim_id", *EVIDENCE_COLUMNS, "capture__status", "capture__sha256", "capture__body")
                .order_by("created_at", "id"),
            ),
        )
    )


def _records(claims: Iterable, hidden: frozenset[int] = frozenset()) -> Iterator[dict]:
    """One plain dict per claim, its evidence as a list; a QuerySet is read CHUNK claims at a time. The verdicts of
    `hidden` claims (blind_review: the reader is their unrated second checker) are left out."""
    rows = claims.iterator(chunk_size=CHUNK) if hasattr(claims, "iterator") else claims
    for claim in rows:
        verdict = None if claim.pk in hidden else verdict_of(claim)
        published = verdict is not None and verdict.status == verdict.Status.PUBLISHED
        article, outlet = claim.article, claim.article.outlet
        evidence = []
        for item in claim.evidence.all():
            capture = item.capture
            evidence.append(
                {
                    "url": item.url,
                    "stance": item.stance,
                    "quote": item.quote,
                    "quote_status": item.quote_status,
                    "capture_url": absolute(reverse("capture_detail", args=[capture.pk])) if capture else None,
                    "snapshot_url": absolute(reverse("capture_snapshot", args=[capture.pk]))
                    if capture and capture.has_snapshot
                    else None,
                }
            )
        yield {
            "claim_id": claim.pk,
            "article_id": claim.article_id,
            "article_title": article.title,
            "article_url": article.url,
            "article_language": article.language,
            "outlet": outlet.name if outlet else None,
            "outlet_domain": outlet.domain if outlet else None,
            "revision": claim.revision.number,
            "start": claim.start,
            "end": claim.end,
            "exact": claim.exact,
            "claimant": claim.claimant,
            "claim_reviewed": claim.claim_reviewed,
            "status": claim.status,
            "anchor_state": claim.anchor_state,
            "claim_author": claim.author.get_username(),
            "created_at": claim.created_at,
            "evidence_count": len(evidence),
            "verdict_id": verdict and verdict.pk,
            "rating": verdict and verdict.rating.label,
            "rating_value": verdict and verdict.rating.value,
            "verdict_status": verdict and verdict.status,
            "explanation": verdict and verdict.explanation,
            "verdict_author": verdict and verdict.author.get_username(),
            "reviewer": verdict and verdict.reviewer and verdict.reviewer.get_username(),
            "published_at": verdict and verdict.published_at,
            "public_url": public_url(verdict) if published else None,
            "evidence": evidence,
        }


def _numbered(evidence: list[dict], key: str) -> str:
    return "\n".join(f"[{number}] {item[key] or ''}".rstrip() for number, item in enumerate(evidence, 1))


def claim_rows(claims: Iterable, hidden: frozenset[int] = frozenset()) -> Iterator[str]:
    """CSV lines: a BOM and the header, then one row per claim."""
    yield BOM + _line(COLUMNS)
    for record in _records(claims, hidden):
        evidence = record.pop("evidence")
        for key in ("created_at", "published_at"):
            record[key] = record[key] and record[key].isoformat()
        record["evidence_urls"] = _numbered(evidence, "url")
        record["evidence_stances"] = _numbered(evidence, "stance")
        record["evidence_quotes"] = _numbered(evidence, "quote")
        record["evidence_quote_statuses"] = _numbered(evidence, "quote_status")
        record["evidence_capture_urls"] = _numbered(evidence, "capture_url")
        record["evidence_snapshot_urls"] = _numbered(evidence, "snapshot_url")
        yield _line([record[column] for column in COLUMNS])


def claim_json(claims: Iterable, hidden: frozenset[int] = frozenset()) -> Iterator[str]:
    """A JSON array of claims (the CSV's columns, with `evidence` as a list of objects), one element at a time."""
    yield "["
    separator = "\n"
    for record in _records(claims, hidden):
        yield separator + json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


FORMATS = {
    "csv": (claim_rows, "text/csv; charset=utf-8"),
    "json": (claim_json, "application/json; charset=utf-8"),
}


def export_response(claims: QuerySet, fmt: str, filename: str = "claims", *, user=None) -> StreamingHttpResponse:
    """The claims as a download in `fmt` (csv or json), streamed: nothing holds more than a chunk of claims. The
    verdicts hidden from `user` (blind_review) are left out."""
    rows, content_type = FORMATS[fmt]
    response = StreamingHttpResponse(rows(claims, hidden_claim_ids(user)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
