"""Reading article files: the seed format (`date YYYY-MM-DD URL`, title, body), plain text and HTML.

Pure functions: they turn bytes into a ParsedArticle or raise ImportFormatError with a one-line reason.
"""

import codecs
import datetime
import re
from dataclasses import dataclass

import nh3

SEED_HEADER = re.compile(r"^date\s+(?P<date>\S+)\s+(?P<url>\S+)\s*$")
HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<article|<p[\s>])", re.IGNORECASE)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
MAX_FILE_BYTES = 5 * 1024 * 1024


class ImportFormatError(ValueError):
    """The file cannot be read as an article; the message says why in one line."""


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    text: str
    url: str | None = None
    published_date: datetime.date | None = None


def parse_article(data: bytes, filename: str = "") -> ParsedArticle:
    if len(data) > MAX_FILE_BYTES:
        raise ImportFormatError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise ImportFormatError("the file is empty")
    if b"\x00" in data[:8192]:
        raise ImportFormatError("the file is binary, not text")
    if filename.lower().endswith((".html", ".htm", ".xhtml")) or HTML_START.match(data):
        return parse_html(data)
    return parse_text(decode_text(data))


def decode_text(data: bytes, declared: str | None = None) -> str:
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError:
            raise ImportFormatError(f"unknown text encoding {declared!r}") from None
        try:
            return data.decode(declared)
        except UnicodeDecodeError as error:
            raise ImportFormatError(f"the file is not valid {declared} (byte {error.start})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(f"unknown encoding: the file is not UTF-8 (invalid byte at {error.start})") from None
    # Control characters other than tab and newlines mean a binary file that happened to decode.
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise ImportFormatError("the file is binary, not text")
    return text


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_text(text: str) -> ParsedArticle:
    """The seed format when the first line is a `date` header, otherwise plain text whose first line is the title."""
    lines = _normalise_newlines(text).split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ImportFormatError("the file is empty")
    url = published = None
    header = lines[first].strip()
    if header.split(maxsplit=1)[0].lower() == "date":
        match = SEED_HEADER.match(header)
        if not match:
            raise ImportFormatError(f"malformed header line {header[:80]!r}: expected 'date YYYY-MM-DD URL'")
        try:
            published = datetime.date.fromisoformat(match["date"])
        except ValueError:
            raise ImportFormatError(f"malformed header: {match['date']!r} is not a YYYY-MM-DD date") from None
        url = match["url"]
        if not url.startswith(("http://", "https://")):
            raise ImportFormatError(f"malformed header: {url[:80]!r} is not an http(s) URL")
        first = next((i for i in range(first + 1, len(lines)) if lines[i].strip()), None)
        if first is None:
            raise ImportFormatError("the file has a header but no title")
    title = lines[first].strip()
    # The body is kept exactly as written (claims' offsets are taken on it); only the blank lines around it go.
    body = "\n".join(lines[first + 1 :]).strip("\n").rstrip()
    if not body.strip():
        raise ImportFormatError("the article body is empty")
    return ParsedArticle(title=title, text=body, url=url, published_date=published)


def parse_html(data: bytes) -> ParsedArticle:
    match = META_CHARSET.search(data[:4096])
    html = decode_text(data, match.group(1).decode("ascii") if match else None)
    # Sanitise first so that nothing executable survives into what we store, then take the text.
    cleaned = nh3.clean(html, tags={"h1", "h2", "h3", "h4", "p", "li", "blockquote", "title", "br", "div", "pre"})
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(cleaned or "<p></p>")
    except Exception:  # lxml raises several types for hopeless markup
        raise ImportFormatError("the HTML could not be parsed") from None
    title_node = tree.find(".//title")
    if title_node is None:
        title_node = tree.find(".//h1")
    title = " ".join((title_node.text_content() if title_node is not None else "").split())
    blocks = []
    for node in tree.iter("h1", "h2", "h3", "h4", "p", "li", "blockquote", "pre"):
        if node is title_node or (node.getparent() is not None and node.getparent().tag in {"li", "blockquote"}):
            continue
        line = " ".join(node.text_content().split())
        if line:
            blocks.append(line)
    if blocks and (not title or blocks[0] == title):
        title = title or blocks[0]
        blocks.pop(0)
    if not title:
        raise ImportFormatError("the HTML has no title (no <title> or <h1>)")
    if not blocks:
        raise ImportFormatError("the HTML has no text paragraphs")
    return ParsedArticle(title=title, text="\n\n".join(blocks))
