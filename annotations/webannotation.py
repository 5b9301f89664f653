"""Claims as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), both ways.

`claim_annotation` builds the JSON-LD of a claim; `parse_annotation` turns a posted annotation into the arguments of
`services.claim_create`, which then validates the selection exactly as it does for the web UI.

Offsets in TextPositionSelector are Python string indices (Unicode code points) into the stored revision text, the
same numbers as the REST API's `start`/`end`. Browsers count UTF-16 code units: convert with
`annotations.textquote.utf16_to_index` before posting (the web UI does).
"""

import hashlib
import json
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from .limits import MAX_CLAIM_LENGTH, max_length
from .models import Article, ArticleRevision, Claim, verdict_of

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
SELECTOR_TYPES = ("TextQuoteSelector", "TextPositionSelector")
MOTIVATIONS = ("assessing", "highlighting")
# Keys of the annotation model a client may send; the server sets id, dates and creator itself and ignores them.
KNOWN_KEYS = {
    "@context",
    "id",
    "type",
    "motivation",
    "target",
    "body",
    "bodyValue",
    "created",
    "modified",
    "creator",
    "generator",
    "generated",
    "audience",
    "rights",
    "canonical",
    "via",
}
SERVER_KEYS = {"id", "created", "modified", "creator", "generator", "generated"}


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def annotation_url(claim_id: int) -> str:
    return absolute(reverse("annotation-detail", args=[claim_id]))


def revision_url(revision_id: int) -> str:
    return absolute(reverse("api:revision-detail", args=[revision_id]))


def w3c_datetime(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def claim_annotation(claim: Claim, *, hide_verdict: bool = False) -> dict:
    """The Web Annotation of a claim: motivation assessing, the quote as target, the verdict and evidence as bodies.
    `hide_verdict` leaves the verdict out (for its unrated second checker: blind_review).

    Expects `article`, `author`, `verdict__rating` and `evidence` loaded (see selectors.claims_for_api).
    """
    verdict = None if hide_verdict else verdict_of(claim)
    evidence = list(claim.evidence.all())
    modified = max([claim.updated_at, *(e.updated_at for e in evidence), *([verdict.updated_at] if verdict else [])])
    bodies = []
    if claim.claim_reviewed:
        bodies.append({"type": "TextualBody", "purpose": "describing", "value": claim.claim_reviewed})
    if verdict is not None:
        bodies.append({"type": "TextualBody", "purpose": "classifying", "value": verdict.rating.label})
        # No `id` here: the W3C suite takes a body with an id and no source for an External Web Resource, which
        # may not carry a purpose.
        bodies.append(
            {"type": "TextualBody", "purpose": "assessing", "value": verdict.explanation, "format": "text/plain"}
        )
    for item in evidence:
        body = {
            "id": absolute(reverse("api:evidence-detail", args=[item.pk])),
            "type": "SpecificResource",
            "purpose": "linking",
            "source": item.url,
        }
        if item.quote:
            body["selector"] = {"type": "TextQuoteSelector", "exact": item.quote}
        bodies.append(body)
    annotation = {
        "@context": ANNO_CONTEXT,
        "id": annotation_url(claim.pk),
        "type": "Annotation",
        "motivation": "assessing",
        "created": w3c_datetime(claim.created_at),
        "modified": w3c_datetime(modified),
        "creator": {"type": "Person", "nickname": claim.author.get_username()},
        "target": {
            "source": claim.article.url or revision_url(claim.revision_id),
            "selector": [
                {"type": "TextQuoteSelector", "exact": claim.exact, "prefix": claim.prefix, "suffix": claim.suffix},
                {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
            ],
        },
    }
    if bodies:
        annotation["body"] = bodies
    return annotation


def etag(document: dict) -> str:
    digest = hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return f'"{digest[:32]}"'


# --- Parsing a posted annotation -----------------------------------------------------------------------------------


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _revision_for(source: str) -> ArticleRevision:
    """The revision a target source names: a revision's API URL, or an article URL (its newest revision)."""
    path = urlsplit(source).path if "://" in source else source
    match = re.fullmatch(r"/api/revisions/(\d{1,18})/?", path)
    if match and (source.startswith("/") or source.startswith(settings.SITE_URL.rstrip("/") + "/")):
        revision = ArticleRevision.objects.select_related("article").filter(pk=int(match[1])).first()
        if revision is None:
            raise ValidationError({"target.source": f"There is no revision {match[1]}."})
        return revision
    revision = (
        ArticleRevision.objects.select_related("article").filter(article__url=source).order_by("-number").first()
    )
    if revision is None:
        raise ValidationError(
            {"target.source": f"No article has the URL {source[:200]!r} (give it or a revision's API URL)."}
        )
    return revision


def _check_shape(data) -> None:
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": "An annotation is a JSON object."})
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise ValidationError(
            dict.fromkeys(unknown, "Unknown field (not a Web Annotation property this server accepts).")
        )
    errors = {}
    context = data.get("@context")
    if ANNO_CONTEXT not in _as_list(context):
        errors["@context"] = f"Must be {ANNO_CONTEXT!r} (or a list holding it)."
    if "Annotation" not in _as_list(data.get("type")):
        errors["type"] = "Must be 'Annotation'."
    motivation = data.get("motivation", "assessing")
    if not (isinstance(motivation, str) and motivation in MOTIVATIONS):
        errors["motivation"] = f"Must be one of {', '.join(MOTIVATIONS)} (a claim to check)."
    if "target" not in data:
        errors["target"] = "An annotation needs a target."
    if "body" in data and "bodyValue" in data:
        errors["bodyValue"] = "Give body or bodyValue, not both."
    if errors:
        raise ValidationError(errors)


def _selectors(target) -> dict[str, dict]:
    targets = _as_list(target)
    if len(targets) != 1 or not isinstance(targets[0], dict):
        raise ValidationError({"target": "Give one target object with a source and a selector."})
    target = targets[0]
    source = target.get("source")
    if not isinstance(source, str) or not source or len(source) > max_length(Article, "url"):
        raise ValidationError({"target.source": "The article URL (or a revision's API URL) is required."})
    selectors = {}
    for selector in _as_list(target.get("selector")):
        if not isinstance(selector, dict):
            raise ValidationError({"target.selector": "A selector is an object with a type."})
        kind = selector.get("type")
        if kind not in SELECTOR_TYPES:
            raise ValidationError(
                {
                    "target.selector": (
                        f"Unsupported selector type {str(kind)[:50]!r}; use {' and/or '.join(SELECTOR_TYPES)}."
                    )
                }
            )
        if kind in selectors:
            raise ValidationError({"target.selector": f"Give at most one {kind}."})
        selectors[kind] = selector
    if not selectors:
        raise ValidationError({"target.selector": f"A {' and/or a '.join(SELECTOR_TYPES)} is required."})
    return {"source": source, **selectors}


def _position(selector: dict, text: str) -> tuple[int, int]:
    start, end = selector.get("start"), selector.get("end")
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError({f"target.selector.TextPositionSelector.{name}": "Must be an integer."})
    if not 0 <= start < end <= len(text):
        raise ValidationError(
            {
                "target.selector.TextPositionSelector": (
                    f"{start}-{end} is not a non-empty span of the text (0-{len(text)}, in code points)."
                )
            }
        )
    return start, end


def _quote(selector: dict) -> tuple[str, str, str]:
    values = []
    for name in ("exact", "prefix", "suffix"):
        value = selector.get(name, "")
        if not isinstance(value, str):
            raise ValidationError({f"target.selector.TextQuoteSelector.{name}": "Must be a string."})
        values.append(value)
    exact, prefix, suffix = values
    if not exact:
        raise ValidationError({"target.selector.TextQuoteSelector.exact": "The quoted text is required."})
    if len(exact) > MAX_CLAIM_LENGTH:
        raise ValidationError(
            {"target.selector.TextQuoteSelector.exact": f"A claim is at most {MAX_CLAIM_LENGTH} characters."}
        )
    return exact, prefix, suffix


def _locate(text: str, exact: str, prefix: str, suffix: str) -> tuple[int, int]:
    """Where a quote alone sits in the text: its only occurrence, or the only one whose context matches."""
    starts, at = [], text.find(exact)
    while at != -1:
        starts.append(at)
        at = text.find(exact, at + 1)
    if not starts:
        raise ValidationError({"target.selector.TextQuoteSelector.exact": "The quote is not in the article text."})
    fitting = [s for s in starts if text[:s].endswith(prefix) and text[s + len(exact) :].startswith(suffix)]
    if not fitting:
        raise ValidationError(
            {"target.selector.TextQuoteSelector": "The prefix/suffix do not match the text around the quote."}
        )
    if len(fitting) > 1:
        raise ValidationError(
            {
                "target.selector.TextQuoteSelector": (
                    f"The quote occurs {len(fitting)} times; add a longer prefix/suffix or a TextPositionSelector."
                )
            }
        )
    return fitting[0], fitting[0] + len(exact)


def _claim_reviewed(data: dict) -> str:
    if "bodyValue" in data:
        if not isinstance(data["bodyValue"], str):
            raise ValidationError({"bodyValue": "Must be a string."})
        return data["bodyValue"]
    statement = ""
    for body in _as_list(data.get("body", [])):
        if not (isinstance(body, dict) and body.get("type", "TextualBody") == "TextualBody"):
            raise ValidationError({"body": "Only a TextualBody (the short statement) can be posted."})
        if body.get("purpose", "describing") != "describing":
            raise ValidationError(
                {
                    "body": "Only a 'describing' body (the short statement) is accepted; verdicts and evidence "
                    "are added through /api/verdicts/ and /api/evidence/."
                }
            )
        if not isinstance(body.get("value"), str):
            raise ValidationError({"body": "A TextualBody needs a string value."})
        if statement:
            raise ValidationError({"body": "Give at most one describing body."})
        statement = body["value"]
    return statement


def parse_annotation(data) -> dict:
    """The `services.claim_create` arguments (without actor) for a posted Web Annotation, or a ValidationError.

    Field names in errors are paths into the annotation (`target.selector.TextPositionSelector.start`).
    """
    _check_shape(data)
    selectors = _selectors(data["target"])
    claim_reviewed = _claim_reviewed(data)
    revision = _revision_for(selectors["source"])
    text = revision.text
    quote = selectors.get("TextQuoteSelector")
    position = selectors.get("TextPositionSelector")
    exact, prefix, suffix = _quote(quote) if quote else (None, "", "")
    if position:
        start, end = _position(position, text)
        exact = text[start:end] if exact is None else exact
    else:
        start, end = _locate(text, exact, prefix, suffix)
    return {
        "revision": revision,
        "start": start,
        "end": end,
        "exact": exact,
        "prefix": prefix or None,
        "suffix": suffix or None,
        "claim_reviewed": claim_reviewed,
    }


# The service names fields after the REST API; on the annotation they are parts of the selector.
SERVICE_FIELDS = {
    "selector": "target.selector.TextPositionSelector",
    "exact": "target.selector.TextQuoteSelector.exact",
    "prefix": "target.selector.TextQuoteSelector.prefix",
    "suffix": "target.selector.TextQuoteSelector.suffix",
    "claim_reviewed": "body",
}
