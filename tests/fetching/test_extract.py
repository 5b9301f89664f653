"""From a fetched body to title and text: HTML in legacy charsets, the lxml fallback, XHTML, PDF and plain text."""

from __future__ import annotations

import pytest

from annotations.fetching import ExtractionError, extract, fetch
from tests.fetching.servers import local_policy

CYRILLIC_TITLE = "Новости дня"
CYRILLIC_TEXT = "Правительство объявило о новых мерах поддержки сельского хозяйства в регионах. "


def cyrillic_page(meta: bool) -> bytes:
    head = '<meta charset="windows-1251">' if meta else ""
    html = (
        f"<html><head>{head}<title>{CYRILLIC_TITLE}</title></head><body><article><h1>Главная новость</h1>"
        f"<p>{CYRILLIC_TEXT * 6}</p><p>Второй абзац с подробностями и цитатами экспертов.</p></article></body></html>"
    )
    return html.encode("cp1251")


def test_windows_1251_page_declared_in_meta_is_extracted_correctly(server):
    server.add("/", 200, {"Content-Type": "text/html"}, cyrillic_page(meta=True))
    result = fetch(server.url("/"), local_policy(server.port))
    doc = extract(result.body, result.content_type_header, result.final_url)
    assert CYRILLIC_TEXT.strip() in doc.text
    assert doc.encoding == "cp1251"
    assert doc.extractor == "trafilatura"
    assert doc.extractor_version


def test_windows_1251_page_declared_in_header_is_extracted_correctly(server):
    server.add("/", 200, {"Content-Type": "text/html; charset=windows-1251"}, cyrillic_page(meta=False))
    result = fetch(server.url("/"), local_policy(server.port))
    assert result.charset == "windows-1251"
    doc = extract(result.body, result.content_type_header, result.final_url)
    assert CYRILLIC_TEXT.strip() in doc.text
    assert doc.title == CYRILLIC_TITLE  # from <title>, not the <h1>


def test_undeclared_windows_1251_is_detected():
    doc = extract(cyrillic_page(meta=False), "text/html", "http://example.test/")
    assert CYRILLIC_TEXT.strip() in doc.text


def test_html_falls_back_to_lxml_when_trafilatura_finds_nothing(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    html = b"<html><head><title>T</title><style>p{}</style></head><body><script>var s=1</script><p>One</p>two</body>"
    doc = extract(html, "text/html; charset=utf-8", "http://example.test/")
    assert doc.extractor == "lxml"
    assert doc.title == "T"
    assert "One" in doc.text and "two" in doc.text
    assert "var s" not in doc.text and "p{}" not in doc.text


def test_xhtml_with_xml_declaration_is_extracted():
    body = (
        b"<?xml version='1.0' encoding='iso-8859-1'?><html xmlns='http://www.w3.org/1999/xhtml'><head>"
        b"<title>Caf\xe9</title></head><body><p>"
        + b"Un caf\xe9 tr\xe8s cher \xe0 Paris. " * 20
        + b"</p></body></html>"
    )
    doc = extract(body, "application/xhtml+xml", "http://example.test/")
    assert "Un café très cher à Paris." in doc.text


def make_pdf(text: str, title: str = "A tiny test PDF") -> bytes:
    """A minimal single-page PDF with one line of Helvetica text, xref offsets computed for real."""
    content = b"BT /F1 18 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + title.encode("latin-1") + b") >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n" % (len(objects) + 1, xref)
    out += b"%%EOF\n"
    return bytes(out)


def test_pdf_is_fetched_and_extracted(server):
    pdf = make_pdf("Hello from a PDF document about budgets")
    server.add("/report.pdf", 200, {"Content-Type": "application/pdf"}, pdf)
    result = fetch(server.url("/report.pdf"), local_policy(server.port))
    assert result.sniffed_content_type == "application/pdf"
    doc = extract(result.body, result.content_type, result.final_url)
    assert "Hello from a PDF document about budgets" in doc.text
    assert doc.title == "A tiny test PDF"
    assert doc.extractor == "pypdf"


def test_damaged_pdf_raises_extraction_error():
    with pytest.raises(ExtractionError) as info:
        extract(b"%PDF-1.4\nthis is not really a pdf", "application/pdf", "")
    assert info.value.code == "extract_failed"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("Café au lait\nsecond line".encode("cp1252"), "text/plain; charset=windows-1252", "Café au lait"),
        ("Café au lait".encode("cp1252"), "text/plain; charset=iso-8859-1", "Café au lait"),
        ("Grüße aus Köln".encode(), "text/plain", "Grüße aus Köln"),
        ("\ufeffBOM text".encode("utf-16-le"), "text/plain; charset=windows-1252", "BOM text"),
    ],
)
def test_plain_text_is_decoded(body, content_type, expected):
    doc = extract(body, content_type, "")
    assert doc.text.startswith(expected)
    assert doc.title == expected.splitlines()[0]
    assert doc.extractor == "text"


def test_extract_refuses_unknown_types():
    with pytest.raises(ExtractionError) as info:
        extract(b"\x89PNG", "image/png", "")
    assert info.value.code == "unsupported_content_type"
