"""How a body was encoded: Content-Encoding (bounded decompression) and charset (bytes to text).

:class:`BoundedDecoder` undoes gzip, deflate (zlib-wrapped or raw) and brotli incrementally, never producing more
than the cap in total, so a compression bomb stops at the cap instead of filling memory. urllib3 (installed) has
bounded decoders too, but only behind its own response objects (see :mod:`.transport` for why the client keeps
http.client), and it accepts stacked codings ("gzip, br") and zstd that this client refuses.
:func:`parse_content_type` and :func:`decode_body` are shared by the client (the declared charset) and by
extraction (BOM, declared charset, ``<meta>``, detection).
"""

from __future__ import annotations

import codecs
import re
import zlib

from .policy import FetchError, TooLarge

try:  # optional: brotli decoding
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

DECODE_CHUNK = 64 * 1024
# What the request offers: only the codings BoundedDecoder can undo.
ACCEPT_ENCODING = "gzip, deflate, br" if brotli is not None else "gzip, deflate"


def content_encoding(value: str | None, url: str, status: int) -> str:
    """The one coding a Content-Encoding value names ('identity' for none); refuses stacked or unknown ones."""
    codings = [c.strip().lower() for c in (value or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return "identity"
    supported = {"gzip", "x-gzip", "deflate"} | ({"br"} if brotli is not None else set())
    if len(codings) > 1 or codings[0] not in supported:
        raise FetchError(
            "unsupported_encoding", f"Unsupported Content-Encoding {value!r}", False, status=status, url=url
        )
    return codings[0]


class BoundedDecoder:
    """Decodes a Content-Encoding incrementally, never producing more than ``cap`` bytes in total.

    Each decompression step yields at most ``DECODE_CHUNK`` bytes, so a compression bomb allocates at most
    cap + one chunk before :class:`TooLarge` is raised. The first ``head_size`` decoded bytes are kept apart
    for content sniffing.
    """

    def __init__(self, encoding: str, cap: int, url: str, status: int, head_size: int) -> None:
        self.encoding = encoding
        self.cap = cap
        self.url = url
        self.status = status
        self.head_size = head_size
        self.total = 0
        self.parts: list[bytes] = []
        self._zlib = None
        self._brotli = None
        self._deflate_started = False
        self._head = bytearray()
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(wbits=32 + zlib.MAX_WBITS)  # gzip or zlib header, auto-detected
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(wbits=zlib.MAX_WBITS)
        elif encoding == "br":
            self._brotli = brotli.Decompressor()

    def _emit(self, data: bytes) -> None:
        if not data:
            return
        self.total += len(data)
        if self.total > self.cap:
            self.parts.clear()
            raise TooLarge(
                f"The decoded body is larger than the limit of {self.cap} bytes", status=self.status, url=self.url
            )
        self.parts.append(data)
        if len(self._head) < self.head_size:
            self._head += data[: self.head_size - len(self._head)]

    def _error(self, exc: Exception) -> FetchError:
        return FetchError(
            "decode_error",
            f"The body could not be decoded as {self.encoding}: {exc}",
            False,
            status=self.status,
            url=self.url,
        )

    def feed(self, data: bytes) -> None:
        if self._brotli is not None:
            try:
                self._emit(self._brotli.process(data, output_buffer_limit=DECODE_CHUNK))
                while not self._brotli.can_accept_more_data():
                    self._emit(self._brotli.process(b"", output_buffer_limit=DECODE_CHUNK))
            except brotli.error as exc:
                raise self._error(exc) from None
            return
        if self._zlib is None:
            self._emit(data)
            return
        while data and not self._zlib.eof:
            try:
                out = self._zlib.decompress(data, DECODE_CHUNK)
            except zlib.error as exc:
                if self.encoding == "deflate" and not self._deflate_started:
                    # Many servers send raw deflate without the zlib wrapper; retry that way once.
                    self._deflate_started = True
                    self._zlib = zlib.decompressobj(wbits=-zlib.MAX_WBITS)
                    continue
                raise self._error(exc) from None
            self._deflate_started = True
            self._emit(out)
            if not out and self._zlib.unconsumed_tail == data:
                break  # no progress possible
            data = self._zlib.unconsumed_tail

    def body(self) -> bytes:
        return b"".join(self.parts)

    def head(self) -> bytes:
        return bytes(self._head)


# Charset. WHATWG encoding labels whose Python codec differs (browsers decode these as the superset).
_ENCODING_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "gb2312": "gbk",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "x-sjis": "shift_jis",
}
_META_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([a-zA-Z0-9_:.\-]+)["']""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """Split a Content-Type value into (lower-case media type, charset or None); ('', None) for none."""
    media, *params = (value or "").split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").strip() or None
    return media.strip().lower(), charset


def normalise_encoding(label: str | None) -> str | None:
    """Python codec name for an encoding label, with browser aliases applied; None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    label = _ENCODING_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("utf-7",):  # never honoured by browsers
        return None
    return name


def _detect(body: bytes) -> str:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer comes with trafilatura
        return "cp1252"
    best = from_bytes(body[:200_000]).best()
    return normalise_encoding(best.encoding if best is not None else None) or "cp1252"


def decode_body(body: bytes, declared_charset: str | None = None, *, html: bool = False) -> tuple[str, str]:
    """Decode ``body`` to text; returns (text, encoding used).

    Order: byte-order mark, declared charset, (for HTML) ``<meta charset>`` / XML declaration, detection.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace"), name
    encoding = normalise_encoding(declared_charset)
    if encoding is None and html:
        head = body[:4096]
        match = _META_CHARSET_RE.search(head) or _XML_ENCODING_RE.search(head)
        if match:
            encoding = normalise_encoding(match.group(1).decode("ascii", "replace"))
            if encoding and encoding.startswith("utf-16"):
                encoding = "utf-8"  # a meta tag readable as ASCII cannot be UTF-16
    if encoding is None:
        encoding = _detect(body)
    return body.decode(encoding, errors="replace"), encoding
