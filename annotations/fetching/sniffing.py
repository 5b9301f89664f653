"""What a body is, from its first bytes, and whether the policy lets it in.

Servers mislabel or leave out Content-Type; sniffing the first :data:`SNIFF_BYTES` decoded bytes (a small subset
of the WHATWG rules) types an undeclared body and catches a binary file sent as HTML, before the rest is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from .decoding import parse_content_type
from .policy import FetchPolicy, Unsupported

SNIFF_BYTES = 1024
# Sniffed types that are never accepted, whatever the server declares.
BINARY_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "application/zip",
        "application/gzip",
        "video/mp4",
        "audio/mpeg",
        "application/ogg",
        "application/x-executable",
    }
)
_HTML_TAGS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
)
_BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b\x08", "application/gzip"),
    (b"OggS\x00", "application/ogg"),
    (b"ID3", "audio/mpeg"),
    (b"\x7fELF", "application/x-executable"),
)
_TEXT_CONTROL = set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}


def sniff_content_type(head: bytes) -> str:
    """Guess a media type from the first bytes of a body (a small subset of the WHATWG sniffing rules)."""
    if not head:
        return ""
    if head.startswith((b"\xfe\xff", b"\xff\xfe")):
        return "text/plain"
    data = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if data.startswith(b"%PDF-") or (b"%PDF-" in data[:SNIFF_BYTES] and not data.lstrip().startswith(b"<")):
        return "application/pdf"
    for signature, media in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return "video/mp4"
    stripped = data.lstrip(b" \t\n\r\x0c").lower()
    for tag in _HTML_TAGS:
        if stripped.startswith(tag) and stripped[len(tag) : len(tag) + 1] in (b" ", b">", b"\t", b"\n", b"\r", b""):
            return "text/html"
    if stripped.startswith(b"<?xml"):
        return "application/xhtml+xml" if b"<html" in stripped[:SNIFF_BYTES] else "text/xml"
    if any(byte in _TEXT_CONTROL for byte in data[:SNIFF_BYTES]):
        return "application/octet-stream"
    return "text/plain"


@dataclass(frozen=True)
class ContentType:
    """The declared type and charset (from Content-Type) and the type sniffed from the body."""

    declared: str  # media type from Content-Type, lower-case, no parameters ('' if none)
    charset: str | None  # charset parameter of Content-Type, if any
    sniffed: str

    @property
    def effective(self) -> str:
        """The type used: declared if given, else sniffed."""
        return self.declared or self.sniffed


class ContentTypeCheck:
    """The content-type allowlist, applied twice: to the declared type before any of the body is read (so an
    image is refused unread), then to the first decoded bytes (:meth:`sniff`)."""

    def __init__(self, header: str | None, policy: FetchPolicy, *, url: str, status: int) -> None:
        self.declared, self.charset = parse_content_type(header)
        self.policy, self.url, self.status = policy, url, status
        self.sniffed: str | None = None
        if self.declared and self.declared not in policy.allowed_content_types:
            raise Unsupported(
                f"Content type {self.declared} is not supported", content_type=self.declared, status=status, url=url
            )

    def sniff(self, head: bytes) -> None:
        """Type the body from its first bytes; refuses binary content and undeclared types outside the allowlist."""
        kind = sniff_content_type(head)
        declared, status, url = self.declared, self.status, self.url
        if kind in BINARY_TYPES and kind != declared:
            shown = f"declared as {declared} but" if declared else "not declared and"
            raise Unsupported(f"The content is {shown} looks like {kind}", content_type=kind, status=status, url=url)
        if (declared or kind) not in self.policy.allowed_content_types:
            raise Unsupported(
                f"The content type is not declared and looks like {kind or 'nothing (empty body)'}, "
                "which is not supported",
                content_type=kind,
                status=status,
                url=url,
            )
        self.sniffed = kind

    def result(self) -> ContentType:
        assert self.sniffed is not None, "sniff() runs before the result is taken"
        return ContentType(self.declared, self.charset, self.sniffed)
