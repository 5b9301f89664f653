"""The JSON of claims, built from three `values()` queries instead of model instances and DRF fields.

Listing 500 claims through ModelSerializer spent ~20x the raw SQL time in model instantiation, prefetching and
per-field timezone handling (bench/api.py); plain rows keep the full request within a few times the raw fetch.
This is the only representation of a claim in the API (list, detail and write responses), and
`serializers.ClaimSerializer` documents its shape in the OpenAPI schema; a test compares the two so they cannot drift.
"""

from collections import defaultdict

from django.utils import timezone

from .. import corpus_links
from ..models import Claim, Evidence, Verdict
from ..webannotation import annotation_url
from ..worker_memory import WorkerMemory

CLAIM_FIELDS = (
    "id",
    "article",
    "revision",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "claimant",
    "claim_reviewed",
    "status",
    "author",
    "created_at",
    "updated_at",
    "anchor_state",
    "anchor_revision",
    "anchor_start",
    "anchor_end",
    "anchor_exact",
    "anchor_score",
    "reattached_exact",
    "withdrawn_at",
    "withdrawn_by",
    "withdrawal_reason",
)
EVIDENCE_FIELDS = (
    "id",
    "claim",
    "url",
    "quote",
    "stance",
    "note",
    "source",
    "capture",
    "quote_status",
    "quote_start",
    "quote_end",
    "quote_score",
    "quote_differences",
    "author",
    "created_at",
    "updated_at",
)
VERDICT_FIELDS = (
    "id",
    "claim",
    "rating",
    "rating_label",
    "explanation",
    "author",
    "status",
    "reviewer",
    "review_comment",
    "version",
    "created_at",
    "updated_at",
    "submitted_at",
    "reviewed_at",
    "published_at",
    "corrected_at",
    "unpublished_at",
    "unpublish_reason",
    "article_changed_at",
    "article_change",
)
# Who checks and reviews the claim and by when (null while it has no assignment); read here, set through
# POST /api/claims/{id}/assignment/.
ASSIGNMENT_FIELDS = ("checker", "reviewer", "due", "assigned_by", "updated_at")
ASSIGNMENT_PATHS = (
    "assignment__id",
    "assignment__checker__username",
    "assignment__reviewer__username",
    "assignment__due",
    "assignment__assigned_by__username",
    "assignment__updated_at",
)
# The claim's same-claim link (corpus_links: a reverse relation of the corpus app), read in the claims' own query.
SAME_AS_FIELDS = ("fact_check", "url", "claim_reviewed", "publisher", "rating", "claim", "linked_by", "linked_at")
_SAME_AS = corpus_links.SAME_AS
SAME_AS_PATHS = {
    "fact_check": f"{_SAME_AS}__fact_check_id",
    "url": f"{_SAME_AS}__fact_check__url",
    "claim_reviewed": f"{_SAME_AS}__fact_check__claim_reviewed",
    "publisher": f"{_SAME_AS}__fact_check__publisher_name",
    "rating": f"{_SAME_AS}__fact_check__rating_name",
    "claim": f"{_SAME_AS}__fact_check__claim_id",
    "linked_by": f"{_SAME_AS}__linked_by__username",
    "linked_at": f"{_SAME_AS}__linked_at",
}
DATETIMES = {
    "created_at",
    "updated_at",
    "submitted_at",
    "reviewed_at",
    "published_at",
    "withdrawn_at",
    "corrected_at",
    "unpublished_at",
    "article_changed_at",
    "linked_at",
}
# ORM paths for the fields whose names differ from the model's.
PATHS = {
    "article": "article_id",
    "revision": "revision_id",
    "anchor_revision": "anchor_revision_id",
    "author": "author__username",
    "claim": "claim_id",
    "source": "source_id",
    "capture": "capture_id",
    "rating": "rating_id",
    "rating_label": "rating__label",
    "reviewer": "reviewer__username",
    "checker": "checker__username",
    "assigned_by": "assigned_by__username",
    "withdrawn_by": "withdrawn_by__username",
}


def _datetime(value, tz):
    """DRF's DateTimeField format: ISO 8601 in the current time zone, UTC written as Z."""
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _dates(row: dict, tz) -> dict:
    for name in DATETIMES.intersection(row):
        if row[name] is not None:
            row[name] = _datetime(row[name], tz)
    return row


def _rows(queryset, fields, extra_paths=(), same_as: bool = False):
    """Rows of `fields`; `extra_paths` come back as a tuple under "extra"; with `same_as`, each also has the claim's
    link (a dict, or None) under "same_as"."""
    paths = [*(PATHS.get(name, name) for name in fields), *extra_paths]
    if same_as:
        paths += [SAME_AS_PATHS[name] for name in SAME_AS_FIELDS]
    tz = timezone.get_current_timezone()
    for values in queryset.values_list(*paths):
        row = _dates(dict(zip(fields, values[: len(fields)], strict=True)), tz)
        rest = values[len(fields) :]
        if extra_paths:
            row["extra"], rest = rest[: len(extra_paths)], rest[len(extra_paths) :]
        if same_as:
            link = dict(zip(SAME_AS_FIELDS, rest, strict=True))
            row["same_as"] = _dates(link, tz) if link["fact_check"] is not None else None
        yield row


def _assignment(values) -> dict | None:
    """The claim's assignment from the columns the claims query read through its (left) join, or None."""
    assignment_id, *values = values
    if assignment_id is None:
        return None
    row = dict(zip(ASSIGNMENT_FIELDS, values, strict=True))
    row["due"] = row["due"].isoformat() if row["due"] is not None else None
    row["updated_at"] = _datetime(row["updated_at"], timezone.get_current_timezone())
    return row


def claim_documents(ids: list[int]) -> list[dict]:
    """The claims with these ids, in this order, each with its evidence, verdict, assignment and same-claim link."""
    evidence, verdicts = defaultdict(list), {}
    for row in _rows(Evidence.objects.filter(claim_id__in=ids).order_by("created_at", "id"), EVIDENCE_FIELDS):
        evidence[row["claim"]].append(row)
    for row in _rows(Verdict.objects.filter(claim_id__in=ids), VERDICT_FIELDS):
        verdicts[row["claim"]] = row
    link = annotation_url(0)[:-1]  # reverse() once, not per row
    claims = {}
    # The assignment and the same-claim link come with the claim's own row (left joins, one-to-one).
    for row in _rows(Claim.objects.filter(pk__in=ids), CLAIM_FIELDS, ASSIGNMENT_PATHS, same_as=True):
        row["evidence"] = evidence.get(row["id"], [])
        row["verdict"] = verdicts.get(row["id"])
        row["annotation"] = f"{link}{row['id']}"
        row["assignment"] = _assignment(row.pop("extra"))
        row["same_as"] = row.pop("same_as")  # after the others, in the documented order
        claims[row["id"]] = row
    return [claims[pk] for pk in ids if pk in claims]


# Documents per worker, keyed by (claim id, version of the rows it is made of: row_versions.claim_document_version).
# An entry never goes stale (a change gives a new version), so the cache is only bounded, never invalidated.
DOCUMENTS = WorkerMemory(5000)


def versioned_claim_documents(rows: list[tuple[int, str]]) -> list[dict]:
    """Like claim_documents, for (id, version) rows; documents of unchanged claims come from the worker's memory.

    The documents are shared between requests: callers render them and must not change them."""
    found = {pk: document for pk, version in rows if (document := DOCUMENTS.get((pk, version))) is not None}
    missing = [(pk, version) for pk, version in rows if pk not in found]
    if missing:
        versions = dict(missing)
        for document in claim_documents([pk for pk, _ in missing]):
            DOCUMENTS.put((document["id"], versions[document["id"]]), document)
            found[document["id"]] = document
    return [found[pk] for pk, _ in rows if pk in found]
