"""CSV export of claims with their verdicts, streamed row by row."""

import csv
from collections.abc import Iterable, Iterator

from rest_framework import renderers

from ..claimreview import public_url

COLUMNS = [
    "claim_id",
    "article_id",
    "article_title",
    "article_url",
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
]


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


def claim_rows(claims: Iterable) -> Iterator[str]:
    yield _line(COLUMNS)
    for claim in claims.iterator(chunk_size=500) if hasattr(claims, "iterator") else claims:
        verdicts = list(claim.verdicts.all())
        verdict = verdicts[0] if verdicts else None
        published = verdict is not None and verdict.status == verdict.Status.PUBLISHED
        yield _line(
            [
                claim.pk,
                claim.article_id,
                claim.article.title,
                claim.article.url,
                claim.revision.number,
                claim.start,
                claim.end,
                claim.exact,
                claim.claimant,
                claim.claim_reviewed,
                claim.status,
                claim.anchor_state,
                claim.author.get_username(),
                claim.created_at.isoformat(),
                len(claim.evidence.all()),
                verdict and verdict.pk,
                verdict and verdict.rating.label,
                verdict and verdict.rating.value,
                verdict and verdict.status,
                verdict and verdict.explanation,
                verdict and verdict.author.get_username(),
                verdict and verdict.reviewer and verdict.reviewer.get_username(),
                verdict and verdict.published_at and verdict.published_at.isoformat(),
                public_url(verdict) if published else "",
            ]
        )
