"""The ClaimReviews in a file or a fetched feed: JSON, JSON Lines, or an HTML page's JSON-LD blocks.

Pure Python (lxml for HTML, no Django import): the import command, the feed refresh and the tests hand it bytes.

Shapes read, as other desks publish them:
- JSON: one ClaimReview; a list of them; a schema.org DataFeed whose `dataFeedElement` items carry ClaimReviews in
  `item` (an object or a list; Google's Fact Check Tools feeds), or are ClaimReviews themselves; an object with
  `@graph`; an ItemList; a paginated API answer `{"results": [...], "next": URL}` (this project's
  /api/claimreviews/, whose next page the feed refresh follows). Any other object is searched for ClaimReview nodes.
- JSON Lines: one JSON value a line, each read as above.
- HTML: every `<script type="application/ld+json">` block (found with lxml's parser, never by pattern matching).

Each ClaimReview becomes a FactCheckRecord or a RecordError with its position ("record 3", "line 7", "record 2
(script block 4)") and reason. Inside a list, a DataFeed or JSON Lines, every element is meant to be a ClaimReview,
so one that is not is reported; in @graph, HTML pages and other objects, other nodes (a WebPage, an Organization)
are passed over. Input that holds no ClaimReview at all, is not JSON, JSON Lines or HTML, or is over the size cap,
raises NotAFeed with the reason: nothing of it is imported. An empty container (a DataFeed without elements, a page
of no results, []) is a feed with nothing in it yet: no records, no error.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from .claimreview_record import FactCheckRecord, RecordProblem, http_url, json_kind, record_from, types_of

MAX_BYTES = 20 * 1024 * 1024  # the default cap (settings.CLAIMREVIEW_MAX_BYTES): Google's whole feed is smaller
MAX_DEPTH = 32  # how deep inside other objects ClaimReviews are looked for
LD_JSON = "application/ld+json"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
HTML_SUFFIXES = frozenset({"html", "htm", "xhtml"})


class NotAFeed(ValueError):
    """The input as a whole cannot be read as ClaimReviews (the message says why); nothing of it is imported."""


@dataclass(frozen=True)
class RecordError:
    position: str
    reason: str

    def __str__(self) -> str:
        return f"{self.position}: {self.reason}"


@dataclass
class Parsed:
    format: str  # "JSON", "JSON Lines" or "HTML"
    items: list[FactCheckRecord | RecordError] = field(default_factory=list)
    next_url: str | None = None  # a paginated answer's next page, if it names one

    @property
    def records(self) -> list[FactCheckRecord]:
        return [item for item in self.items if isinstance(item, FactCheckRecord)]

    @property
    def errors(self) -> list[RecordError]:
        return [item for item in self.items if isinstance(item, RecordError)]


def size_problem(size: int, max_bytes: int = MAX_BYTES) -> str | None:
    if size > max_bytes:
        return f"{size:,} bytes, more than the limit of {max_bytes:,} bytes ({max_bytes / 2**20:g} MB)"
    return None


def parse(
    data: bytes | str, *, name: str = "", content_type: str = "", charset: str | None = None, max_bytes=MAX_BYTES
) -> Parsed:
    """The ClaimReviews in `data` (a file's bytes or a fetched body); `name` and `content_type` are hints only."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if problem := size_problem(len(raw), max_bytes):
        raise NotAFeed(problem)
    start = _start(raw)
    if not start:
        raise NotAFeed("empty: no JSON, JSON Lines or HTML in it")
    media = content_type.split(";")[0].strip().lower()
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if start[0] in "{[":
        return _parse_json(_decode(raw, charset))
    if start[0] == "<" or media in HTML_TYPES or suffix in HTML_SUFFIXES:
        return _parse_html(raw, charset)
    raise NotAFeed(f"not JSON, JSON Lines or an HTML page (it starts with {start[:20]!r})")


def _start(raw: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom) : 2050].decode(encoding, "replace").lstrip()
    return raw[:1024].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")


def _decode(raw: bytes, charset: str | None) -> str:
    """JSON's text: UTF-8 (RFC 8259), a BOM's UTF-16, or the charset a server declared.

    Encoded surrogates pass here (a str handed in may hold them): the record that holds one is refused with a reason.
    """
    encoding = "utf-8-sig"
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        elif charset and codecs.lookup(charset).name not in ("utf-8", "ascii"):
            encoding = charset
        return raw.decode(encoding, "surrogatepass")
    except UnicodeDecodeError as error:
        shown = encoding.removesuffix("-sig").upper()
        raise NotAFeed(f"not {shown} text (byte {error.start:,} cannot be read as {shown})") from None
    except LookupError:
        raise NotAFeed(f"declared in an unknown character set {charset!r}") from None


def _loads(text: str):
    """json.loads, with a message for what it refuses (too deep, a number too long) instead of a crash."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _parse_json(text: str) -> Parsed:
    try:
        document = _loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data" and text.lstrip("\ufeff \t\r\n").startswith("{"):
            return _parse_json_lines(text)  # one value, then more: one a line
        raise NotAFeed(f"not JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except ValueError as error:
        raise NotAFeed(f"not JSON: {error}") from None
    parsed = Parsed("JSON")
    top_strict = isinstance(document, list)
    for number, found in enumerate(_walk(document, strict=top_strict, depth=0), start=1):
        parsed.items.append(_item(found, f"record {number}"))
    if not parsed.items and not _is_feed(document):
        raise NotAFeed(
            "JSON without any ClaimReview in it (expected a ClaimReview, a list of them, a schema.org DataFeed or "
            "an @graph)"
        )
    if isinstance(document, dict) and isinstance(document.get("next"), str) and "results" in document:
        parsed.next_url = http_url(document["next"])
    return parsed


def _parse_json_lines(text: str) -> Parsed:
    parsed = Parsed("JSON Lines")
    # Split on newlines only: str.splitlines() would also cut at U+2028, which JSON strings may hold unescaped.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = _loads(line)
        except ValueError as error:
            reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
            parsed.items.append(RecordError(f"line {number}", f"not JSON ({reason})"))
            continue
        found = list(_walk(value, strict=True, depth=0))
        for index, each in enumerate(found, start=1):
            position = f"line {number}" if len(found) == 1 else f"line {number}, record {index}"
            parsed.items.append(_item(each, position))
    return parsed


def _parse_html(raw: bytes, charset: str | None) -> Parsed:
    # recover: pages are rarely valid HTML. huge_tree: one script block may be most of a large page (libxml2 cuts
    # text nodes at 10 MB otherwise); the input is already capped. No network access, no entities to resolve.
    parser = etree.HTMLParser(encoding=charset or None, recover=True, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(raw, parser)
    except (etree.ParserError, ValueError, LookupError):
        root = None
    blocks = []
    if root is not None:
        blocks = [s for s in root.iter("script") if (s.get("type") or "").split(";")[0].strip().lower() == LD_JSON]
    parsed = Parsed("HTML")
    number = 0
    for block_number, script in enumerate(blocks, start=1):
        where = f"script block {block_number}"
        try:
            value = _loads(_unwrap(script.text or ""))
        except ValueError as error:
            reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
            parsed.items.append(RecordError(where, f"JSON-LD that is not JSON ({reason})"))
            continue
        for found in _walk(value, strict=False, depth=0):
            number += 1
            parsed.items.append(_item(found, f"record {number} ({where})"))
    if number == 0:
        unreadable = f", {len(parsed.items)} of them not JSON" if parsed.items else ""
        raise NotAFeed(
            f"an HTML page without any ClaimReview in its JSON-LD ({len(blocks)} script block"
            f"{'s' if len(blocks) != 1 else ''} of type {LD_JSON}{unreadable})"
        )
    return parsed


def _unwrap(text: str) -> str:
    """A JSON-LD block without the HTML comment or CDATA markers some pages still wrap scripts in."""
    text = text.strip()
    for opening, closing in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
        if text.startswith(opening) and text.endswith(closing):
            text = text[len(opening) : -len(closing)].strip()
    return text


def _item(found: dict | str, position: str) -> FactCheckRecord | RecordError:
    if isinstance(found, str):
        return RecordError(position, found)
    try:
        return record_from(found, position)
    except RecordProblem as problem:
        return RecordError(position, str(problem))


def _is_feed(document) -> bool:
    """Whether the JSON is a feed's container (a list, a DataFeed, an ItemList, a page of results), if an empty one:
    a feed with nothing in it yet is not an error."""
    if isinstance(document, list):
        return True
    return isinstance(document, dict) and (
        "dataFeedElement" in document or "itemListElement" in document or isinstance(document.get("results"), list)
    )


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _walk(node, *, strict: bool, depth: int) -> Iterator[dict | str]:
    """The ClaimReview objects in a JSON value, in document order, and (strict) a reason for each element that was
    meant to be one and is not."""
    if depth > MAX_DEPTH:
        if strict:
            yield "nested too deeply"
        return
    if isinstance(node, list):
        for element in node:
            yield from _walk(element, strict=strict, depth=depth + 1)
        return
    if not isinstance(node, dict):
        if strict:
            yield f"not a ClaimReview but {json_kind(node)}"
        return
    types = types_of(node)
    if "ClaimReview" in types:
        yield node
    elif "@graph" in node:
        yield from _walk(node["@graph"], strict=False, depth=depth + 1)
    elif "dataFeedElement" in node or "itemListElement" in node:
        elements = node.get("dataFeedElement", node.get("itemListElement"))
        for element in _listed(elements):
            # A DataFeedItem (or ListItem) carries its ClaimReviews in `item`; an element may also be one itself.
            if isinstance(element, dict) and "item" in element and "ClaimReview" not in types_of(element):
                yield from _walk(element["item"], strict=True, depth=depth + 2)
            else:
                yield from _walk(element, strict=True, depth=depth + 1)
    elif isinstance(node.get("results"), list):
        yield from _walk(node["results"], strict=True, depth=depth + 1)
    elif strict:
        yield f"not a ClaimReview (@type {', '.join(sorted(types)) or 'missing'})"
    else:
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _walk(value, strict=False, depth=depth + 1)
