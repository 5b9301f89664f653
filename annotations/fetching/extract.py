"""Turn a fetched body into a title and plain text.

HTML and XHTML go through trafilatura (main-content extraction), with an lxml fallback that keeps all
visible text when trafilatura finds nothing; PDF goes through pypdf; plain text is decoded. Bytes become text
through :func:`.decoding.decode_body` (BOM, then the declared charset, then a ``<meta>`` declaration, then
detection), so pages in legacy encodings such as windows-1251 come out right.
"""

from __future__ import annotations

import html as htmllib
import io
import logging
import re
from dataclasses import dataclass

from .decoding import decode_body, parse_content_type

logger = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
PDF_TYPES = frozenset({"application/pdf"})
PLAIN_EXTRACTOR_VERSION = "1"
MAX_PDF_PAGES = 2000
MAX_TITLE_LENGTH = 300

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    title: str
    text: str
    extractor: str  # "trafilatura", "lxml", "pypdf" or "text"
    extractor_version: str
    encoding: str = ""  # the character encoding used to decode the body ('' for PDF)


class ExtractionError(Exception):
    """The body could not be turned into text; ``code`` is ``unsupported_content_type`` or ``extract_failed``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


# Horizontal whitespace other than the space; str methods below are some 50 times faster than regexes on 100 KB.
_TO_SPACE = str.maketrans(dict.fromkeys("\t\u00a0\r\f\v", " "))
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def _clean_text(text: str) -> str:
    """Spaces collapsed, lines stripped, at most one empty line in a row."""
    text = text.translate(_TO_SPACE)
    while "  " in text:
        text = text.replace("  ", " ")
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def _short_title(title: str | None) -> str:
    title = re.sub(r"\s+", " ", title or "").strip()
    return title[:MAX_TITLE_LENGTH]


def _lxml_fallback(html: str) -> tuple[str, str]:
    import lxml.html
    from lxml import etree

    source = _XML_DECL_RE.sub("", html, count=1)
    if not source.strip():
        return "", ""
    try:
        tree = lxml.html.document_fromstring(source)
    except (etree.ParserError, ValueError):
        return "", ""
    title_nodes = tree.xpath("//title")
    title = title_nodes[0].text_content() if title_nodes else ""
    for node in tree.xpath("//script|//style|//noscript|//template|//head"):
        node.drop_tree()
    for node in tree.xpath("//br|//p|//div|//li|//tr|//h1|//h2|//h3|//h4|//h5|//h6|//section|//article"):
        node.tail = "\n" + (node.tail or "")
    body = tree.find("body")
    text = (body if body is not None else tree).text_content()
    return _short_title(title), _clean_text(text)


def _extract_html(body: bytes, charset: str | None, url: str) -> Extracted:
    import trafilatura

    html, encoding = decode_body(body, charset, html=True)
    title, text = "", ""
    try:
        # Only the main text is needed from trafilatura: the title comes from <title> (below), so its metadata
        # search (dates, authors: two thirds of the time on a 100 KB page) is skipped, and fast=True skips its
        # second opinion from readability/jusText. When it finds nothing, the lxml fallback below keeps all text.
        document = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=False,
            fast=True,
            include_comments=False,
            include_tables=True,
            output_format="python",
        )
    except Exception:  # trafilatura can fail on odd markup; the fallback below still works
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        document = None
    if document is not None:
        text = _clean_text(getattr(document, "text", "") or "")
    if text:
        match = _TITLE_RE.search(html, 0, 200_000)
        title = _short_title(htmllib.unescape(match.group(1))) if match else ""
        if not title:
            title = _lxml_fallback(html)[0]
        return Extracted(title, text, "trafilatura", trafilatura.__version__, encoding)

    import lxml.etree

    fallback_title, fallback_text = _lxml_fallback(html)
    return Extracted(title or fallback_title, fallback_text, "lxml", lxml.etree.__version__, encoding)


def _extract_pdf(body: bytes) -> Extracted:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("extract_failed", "The PDF is encrypted")
        pages = []
        for index, page in enumerate(reader.pages):
            if index >= MAX_PDF_PAGES:
                break
            pages.append(_clean_text(page.extract_text() or ""))
        title = ""
        try:
            metadata = reader.metadata
            title = _short_title(metadata.title if metadata is not None else "")
        except (PdfReadError, ValueError, TypeError, AttributeError):
            title = ""
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf raises many exception types on damaged files
        raise ExtractionError("extract_failed", f"The PDF could not be read: {exc}") from exc
    text = "\n\n".join(p for p in pages if p)
    if not title:
        title = _short_title(next((line for line in text.splitlines() if line.strip()), ""))
    return Extracted(title, text, "pypdf", pypdf.__version__, "")


def _extract_text(body: bytes, charset: str | None) -> Extracted:
    text, encoding = decode_body(body, charset)
    text = _clean_text(text)
    title = _short_title(next((line for line in text.splitlines() if line.strip()), ""))
    return Extracted(title, text, "text", PLAIN_EXTRACTOR_VERSION, encoding)


def preload() -> None:
    """Import the extraction libraries now rather than on the first page.

    Called when a Celery worker starts (factcheck/celery.py): a prefork pool forks its children from that process,
    so they share these modules instead of each spending a second of CPU importing them. Web processes never
    extract, so they do not pay the 30 MB.
    """
    import charset_normalizer  # noqa: F401
    import lxml.html  # noqa: F401
    import pypdf  # noqa: F401
    import trafilatura  # noqa: F401


def extract(body: bytes, content_type: str, url: str = "") -> Extracted:
    """Extract title and text from ``body`` of type ``content_type`` (a Content-Type value, charset allowed)."""
    media, charset = parse_content_type(content_type)
    if media in HTML_TYPES:
        return _extract_html(body, charset, url)
    if media in PDF_TYPES:
        return _extract_pdf(body)
    if media in TEXT_TYPES:
        return _extract_text(body, charset)
    raise ExtractionError("unsupported_content_type", f"Cannot extract text from {media or 'an untyped body'}")
