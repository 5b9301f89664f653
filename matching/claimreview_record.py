"""One schema.org ClaimReview (a decoded JSON-LD object) as the fields the corpus keeps, or the reason it is refused.

Pure Python (no Django import), like the parser that finds the objects (claimreview_parse).

What is refused, with a reason: a ClaimReview without url or whose url is not an absolute http(s) URL, one
without claimReviewed, a value of the wrong JSON type (claimReviewed a number, reviewRating a string, ...), a rating
that is not a number, a datePublished that is not an ISO 8601 date, text PostgreSQL cannot store (NUL, a lone
surrogate). What is left out without refusing the record: publisher and appearance URLs that are not http(s)
(secondary links; the fact-check itself is still right), a language that is not a language tag.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit, urlunsplit

MAX_URL = 2000  # FactCheck.url's width; in UTF-8 bytes too, so that the unique index can hold every key
MAX_NAME = 500  # a publisher's or claimant's name
MAX_APPEARANCES = 20  # appearance URLs kept per fact-check
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")


class RecordProblem(ValueError):
    """Why one ClaimReview is not imported (the message names the property)."""


@dataclass(frozen=True)
class FactCheckRecord:
    """The corpus's fields of one ClaimReview, checked; `position` says where it was in its input."""

    url: str
    claim_reviewed: str
    position: str = ""
    publisher_name: str = ""
    publisher_url: str = ""
    headline: str = ""
    rating_name: str = ""
    rating_value: float | None = None
    rating_best: float | None = None
    rating_worst: float | None = None
    date_published: date | None = None
    claimant: str = ""
    appearance_urls: list[str] = field(default_factory=list)
    language: str = ""  # as given (a tag such as en or pt-BR, checked loosely); the service normalises it


def types_of(node: dict) -> set[str]:
    """The node's @type names without their vocabulary prefix (schema:ClaimReview, https://schema.org/ClaimReview)."""
    value = node.get("@type", node.get("type"))
    names = value if isinstance(value, list) else [value]
    return {name.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for name in names if isinstance(name, str)}


def json_kind(value) -> str:
    """The JSON type of a value, for messages ("a number", "a list")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def storable(text: str, name: str) -> str:
    if "\x00" in text:
        raise RecordProblem(f"{name} contains a NUL character (U+0000), which cannot be stored")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise RecordProblem(f"{name} contains an unpaired UTF-16 surrogate (U+{ord(text[error.start]):04X})") from None
    return text


def _text(node: dict, name: str, *, required: bool = False, fallback: str | None = None) -> str:
    """A text property, whitespace collapsed ("" when absent); a list of texts gives its first."""
    value = node.get(name)
    if value is None and fallback is not None:
        name, value = fallback, node.get(fallback)
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        value = value[0]
    if value is None or value == "":
        if required:
            raise RecordProblem(f"ClaimReview without {name}")
        return ""
    if not isinstance(value, str):
        raise RecordProblem(f"{name} is {json_kind(value)}, not text")
    text = " ".join(storable(value, name).split())
    if required and not text:
        raise RecordProblem(f"ClaimReview without {name} (it is blank)")
    return text


def http_url(value: str) -> str | None:
    """The URL with its scheme and host in lower case if it is an absolute http(s) URL that fits, else None."""
    value = value.strip()
    if not value or len(value.encode("utf-8", "replace")) > MAX_URL or any(c.isspace() for c in value):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number or out of range
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    netloc = parts.netloc if "@" in parts.netloc else parts.netloc.lower()  # user information keeps its case
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=netloc))


def _own_url(node: dict) -> str:
    value = node.get("url")
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value is None or value == "":
        raise RecordProblem("ClaimReview without url")
    if not isinstance(value, str):
        raise RecordProblem(f"url is {json_kind(value)}, not text")
    url = http_url(storable(value, "url"))
    if url is None:
        raise RecordProblem(f"url {value[:200]!r} is not an absolute http(s) URL of at most {MAX_URL} characters")
    return url


def _objects(node: dict, name: str, *, texts: bool = True) -> list:
    """The property as a list of objects (and of texts if `texts`); a wrong type is refused."""
    value = node.get(name)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not (isinstance(item, dict) or (texts and isinstance(item, str))):
            raise RecordProblem(f"{name} is {json_kind(item)}, not an object")
    return items


def _party(node: dict, name: str) -> tuple[str, str]:
    """(name, http(s) URL or "") of the first author/publisher with a name: an object, a list of them, or a name."""
    for item in _objects(node, name):
        if isinstance(item, str):
            if text := " ".join(storable(item, name).split()):
                return text[:MAX_NAME], ""
            continue
        label = _text(item, "name", fallback="legalName")
        if label:
            url = item.get("url")
            return label[:MAX_NAME], (http_url(url) or "") if isinstance(url, str) else ""
    return "", ""


def _number(rating: dict, name: str) -> float | None:
    value = rating.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise RecordProblem(f"reviewRating.{name} is {json_kind(value)}, not a number")
    try:
        number = float(value)
    except ValueError:
        raise RecordProblem(f"reviewRating.{name} {value[:50]!r} is not a number") from None
    if not math.isfinite(number):
        raise RecordProblem(f"reviewRating.{name} is not a finite number")
    return number


def _rating(node: dict) -> dict:
    ratings = _objects(node, "reviewRating", texts=False)
    if not ratings:
        return {}
    rating = ratings[0]
    name = _text(rating, "alternateName", fallback="name")
    return {
        "rating_name": name,
        "rating_value": _number(rating, "ratingValue"),
        "rating_best": _number(rating, "bestRating"),
        "rating_worst": _number(rating, "worstRating"),
    }


def _date(node: dict) -> date | None:
    value = node.get("datePublished")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordProblem(f"datePublished is {json_kind(value)}, not a date")
    found = _DATE.match(value.strip())
    try:
        if found is None:
            raise ValueError
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        raise RecordProblem(f"datePublished {value[:40]!r} is not a date (YYYY-MM-DD, or a date and time)") from None


def _item_reviewed(node: dict) -> dict:
    items = [item for item in _objects(node, "itemReviewed") if isinstance(item, dict)]
    if not items:
        return {}
    item = items[0]
    claimant, _ = _party(item, "author")
    urls: list[str] = []
    for name in ("firstAppearance", "appearance"):
        for appearance in _objects(item, name):
            value = appearance if isinstance(appearance, str) else appearance.get("url")
            if isinstance(value, list):
                value = next((v for v in value if isinstance(v, str)), None)
            url = http_url(value) if isinstance(value, str) else None
            if url and url not in urls:
                urls.append(url)
    return {"claimant": claimant, "appearance_urls": urls[:MAX_APPEARANCES], "language": _language(item)}


def _language(node: dict) -> str:
    value = node.get("inLanguage")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordProblem(f"inLanguage is {json_kind(value)}, not a language code")
    value = value.strip()
    return value if len(value) <= 35 and _LANGUAGE.match(value) else ""


def record_from(node: dict, position: str = "") -> FactCheckRecord:
    """The record of one ClaimReview object; RecordProblem says why it is refused."""
    url = _own_url(node)
    claim_reviewed = _text(node, "claimReviewed", required=True)
    headline = _text(node, "headline", fallback="name")
    publisher_name, publisher_url = _party(node, "author")
    if not publisher_name:
        publisher_name, publisher_url = _party(node, "publisher")
    item = _item_reviewed(node)
    item_language = item.pop("language", "")
    language = _language(node) or item_language  # the review's own language, else the claim's
    return FactCheckRecord(
        url=url,
        claim_reviewed=claim_reviewed,
        position=position,
        publisher_name=publisher_name,
        publisher_url=publisher_url,
        headline=headline,
        date_published=_date(node),
        language=language,
        **_rating(node),
        **item,
    )
