"""Reading article files: the seed format (`date YYYY-MM-DD URL`, title, body), plain text and HTML.

Pure functions: they turn bytes into a ParsedArticle or raise ImportFormatError with a one-line reason. HTML goes
through the fetching pipeline's extraction (fetching/extract.py), so an uploaded page reads as the same page fetched.
"""

import datetime
import re
from dataclasses import dataclass

from .fetching.extract import extract

SEED_HEADER = re.compile(r"^date\s+(?P<date>\S+)\s+(?P<url>\S+)\s*$")
HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<article|<p[\s>])", re.IGNORECASE)
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


def decode_text(data: bytes) -> str:
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
    """The text a fetched page gives (fetching.extract: main-content extraction, then all visible text), so that a page
    gives the same article whether it is uploaded or imported by URL."""
    document = extract(data, "text/html")
    if not document.title:
        raise ImportFormatError("the HTML has no title (no <title>)")
    if not document.text:
        raise ImportFormatError("the HTML has no text")
    return ParsedArticle(title=document.title, text=document.text)
