"""Claim search, the export buttons and right-to-left text in Chromium (Playwright) against a live server."""

import csv
import io
import json
from pathlib import Path

import pytest

from annotations import services

from .browser import login, require_chromium
from .conftest import make_user
from .factories import make_claim
from .test_browser import no_csp_violations, page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARABIC = "قال الرئيس إن روسيا لا تزال من بين أكبر خمسة مصدرين للأسلحة في العالم، وإن الطلب يتزايد."
QUOTE = "أكبر خمسة مصدرين للأسلحة"


@pytest.fixture
def arabic_claim(transactional_db):
    require_chromium()
    editor = make_user("editor", "Editors")
    article = services.article_import(actor=editor, title="صادرات الأسلحة", text=ARABIC, origin="pasted")
    claim = make_claim(article.revision, editor, QUOTE, claimant="الرئيس", claim_reviewed="")
    services.evidence_add(
        actor=editor, claim=claim, url="https://www.sipri.org/fs", stance="context", quote="Russia was third"
    )
    english = services.article_import(
        actor=editor, title="Weather", text="Rain in Oslo tomorrow, the forecast says.", origin="pasted"
    )
    make_claim(english.revision, editor, "Rain in Oslo", claim_reviewed="Rain in Oslo")
    return claim


def download(page, button: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click(button)
    file = info.value
    return file.suggested_filename, Path(file.path()).read_bytes()


def test_search_then_export_buttons_download_files_that_parse(page, live_server, arabic_claim):
    login(page, live_server, "editor", "pw-editor")
    page.click("nav >> text=Claims")
    page.fill("#id_q", "أسلحة")  # "weapons" without the article and the plural: the Arabic stemmer matches
    page.select_option("#id_status", "draft")
    page.click(".claim-filters button[type=submit]")
    page.wait_for_selector("#claim-count")
    assert page.inner_text("#claim-count") == "1 claim"
    result = page.locator(".claim-results tbody a").first
    assert result.get_attribute("lang") == "ar" and result.get_attribute("dir") == "rtl"

    name, body = download(page, "#export-csv")
    assert name == "claims.csv"
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert [(int(row["claim_id"]), row["exact"], row["claimant"]) for row in rows] == [
        (arabic_claim.pk, QUOTE, "الرئيس")
    ]
    assert rows[0]["evidence_urls"] == "[1] https://www.sipri.org/fs"
    assert rows[0]["evidence_quotes"] == "[1] Russia was third"

    name, body = download(page, "#export-json")
    assert name == "claims.json"
    [claim] = json.loads(body)
    assert claim["claim_id"] == arabic_claim.pk and claim["article_language"] == "ar"
    assert claim["evidence"][0]["quote"] == "Russia was third"
    no_csp_violations(page)


def test_article_list_export_and_arabic_reads_right_to_left(page, live_server, arabic_claim):
    login(page, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/articles/?q=Oslo")
    name, body = download(page, "#export-csv")
    assert name == "article-claims.csv"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert [row["exact"] for row in rows] == ["Rain in Oslo"]

    page.goto(f"{live_server.url}/articles/{arabic_claim.article_id}/")
    text = page.locator("#article-text")
    assert text.get_attribute("lang") == "ar"
    assert text.evaluate("element => getComputedStyle(element).direction") == "rtl"
    no_csp_violations(page)
