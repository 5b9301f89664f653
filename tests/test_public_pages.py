"""The public pages: byline, rating scale, source titles and archived copies, share metadata, the Atom feed, and
search and filters on the public list."""

import hashlib
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from annotations import services
from annotations.models import Capture, Evidence

from .factories import RatingFactory, RevisionFactory, SourceFactory, make_claim

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
QUOTE = "among the top five arms exporters in the world"
HOSTILE = b"<html><head><title>Trends</title></head><body><script>alert(document.cookie)</script></body></html>"
REPORT_URL = "https://www.sipri.org/fact-sheet"
REPORT_TEXT = (
    "Intro. The five largest exporters were the United States, France, Russia, China and Germany. <b>End</b>."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    cache.clear()


@pytest.fixture(autouse=True)
def recheck_every_time(monkeypatch):
    """These tests are about what the page's stamp covers: the worker's memory checks the whole stamp again on every
    request here (its recheck window, INPUTS_RECHECK, is tested in test_public_page_memory.py)."""
    from annotations import public_cache

    monkeypatch.setattr(public_cache, "INPUTS_RECHECK", 0)


@pytest.fixture
def scale(db):
    """A scale of three ratings with their meanings; `True` is the one the fact-checks get."""
    return {
        "false": RatingFactory(label="False", value=1, position=1, description="The claim is inaccurate."),
        "true": RatingFactory(label="True", value=5, position=2, description="Accurate; nothing significant missing."),
        "unproven": RatingFactory(label="Unproven", value=None, position=3, description="Neither shown nor refuted."),
    }


def done_capture(url: str = REPORT_URL, title: str = "Trends in International Arms Transfers, 2024") -> Capture:
    capture = Capture(
        url=url,
        status=Capture.Status.DONE,
        final_url=url,
        http_status=200,
        content_type="text/html",
        sniffed_type="text/html",
        size=len(HOSTILE),
        sha256=hashlib.sha256(HOSTILE).hexdigest(),
        title=title,
        text=REPORT_TEXT,
        extractor="trafilatura",
        fetched_at=timezone.now(),
        finished_at=timezone.now(),
    )
    capture.body.save("x.bin", ContentFile(HOSTILE), save=False)
    capture.save()
    return capture


def factcheck(
    editor, reviewer, rating, *, evidence=(), publish=True, revision=None, explanation="Yes, third.", **claim
):
    """A claim with `evidence` (url, quote) through the services, taken as far as publication (or approval)."""
    claim.setdefault("claim_reviewed", "Russia is among the top five arms exporters")
    claim = make_claim(revision or RevisionFactory(), editor, QUOTE, **claim)
    for url, quote in evidence or [(REPORT_URL, "")]:
        services.evidence_add(actor=editor, claim=claim, url=url, stance="supports", quote=quote)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation=explanation)
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    return services.verdict_publish(actor=reviewer, verdict=verdict) if publish else verdict


class Meta(HTMLParser):
    """The <meta> and <link> elements of a page, by their property, name or rel."""

    def __init__(self, html: str):
        super().__init__()
        self.meta, self.links = {}, {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (key := attrs.get("property") or attrs.get("name")):
            self.meta[key] = attrs.get("content")
        elif tag == "link" and attrs.get("rel"):
            self.links[(attrs["rel"], attrs.get("type"))] = attrs["href"]


def page_of(client, verdict) -> str:
    response = client.get(f"/fact-checks/{verdict.claim_id}/")
    assert response.status_code == 200
    return response.content.decode()


# --- the fact-check page -------------------------------------------------------------------------------------------


def test_the_page_credits_the_checker_and_the_reviewer(client, editor, reviewer, scale):
    reviewer.first_name, reviewer.last_name = "Rita", "Review"
    reviewer.save()
    html = page_of(client, factcheck(editor, reviewer, scale["true"]))
    assert 'Checked by <span class="checker">ed</span>, reviewed by <span class="reviewer">Rita Review</span>' in html


def test_the_page_explains_every_rating_of_the_scale_and_marks_the_given_one(client, editor, reviewer, scale):
    html = page_of(client, factcheck(editor, reviewer, scale["true"]))
    section = html[html.index('id="rating-scale"') :]
    for rating in scale.values():
        assert rating.label in section and rating.description in section
    given = section[section.index('aria-current="true"') :].split("</li>")[0]
    assert "True" in given and "Accurate; nothing significant missing." in given and "this claim" in given
    assert section.count('aria-current="true"') == 1


def test_sources_are_titled_by_capture_then_registry_then_domain(client, editor, reviewer, scale):
    done_capture()
    SourceFactory(name="Rosstat", domain="rosstat.gov.ru")
    evidence = [(REPORT_URL, ""), ("https://rosstat.gov.ru/folder/1", ""), ("https://www.data.example/x", "")]
    html = page_of(client, factcheck(editor, reviewer, scale["true"], evidence=evidence))
    sources = html[html.index("<h2>Sources</h2>") :]
    titles = [part.split(">", 1)[1].split("<", 1)[0] for part in sources.split('class="source-title"')[1:]]
    assert titles == ["Trends in International Arms Transfers, 2024", "Rosstat", "data.example"]
    assert f'href="{REPORT_URL}"' in sources  # the live URL stays beside the archived copy


def test_a_captured_source_links_its_archived_copy_beside_the_live_page(client, editor, reviewer, scale):
    done_capture()
    verdict = factcheck(
        editor, reviewer, scale["true"], evidence=[(REPORT_URL, "The five largest exporters were the United States")]
    )
    evidence = Evidence.objects.get(claim=verdict.claim)
    html = page_of(client, verdict)
    archive = f"/fact-checks/{verdict.claim_id}/sources/{evidence.pk}/archived/"
    assert f'href="{archive}"' in html and "Live page" in html

    response = client.get(archive)
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex, nofollow"
    body = response.content.decode()
    assert '<mark id="quoted">The five largest exporters were the United States</mark>' in body
    assert "&lt;b&gt;End&lt;/b&gt;" in body and "<b>End</b>" not in body  # the text is escaped, never rendered
    assert f'href="{REPORT_URL}"' in body and evidence.capture.sha256 in body

    raw = client.get(f"{archive}file")
    assert raw.status_code == 200 and b"".join(raw.streaming_content) == HOSTILE
    assert raw["Content-Type"] == "application/octet-stream"
    assert raw["Content-Disposition"].startswith("attachment;")
    assert raw["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert raw["X-Content-Type-Options"] == "nosniff"


def test_an_uncaptured_source_has_no_archived_copy(client, editor, reviewer, scale):
    verdict = factcheck(editor, reviewer, scale["true"])  # its capture is still pending
    evidence = Evidence.objects.get(claim=verdict.claim)
    assert "/archived/" not in page_of(client, verdict) and "not archived" in page_of(client, verdict)
    assert client.get(f"/fact-checks/{verdict.claim_id}/sources/{evidence.pk}/archived/").status_code == 404


def test_the_archived_copy_of_unpublished_evidence_is_not_public(client, editor, reviewer, scale):
    done_capture()
    published = factcheck(editor, reviewer, scale["true"])
    approved = factcheck(editor, reviewer, scale["true"], publish=False)
    draft = make_claim(RevisionFactory(), editor, QUOTE)
    draft_evidence = services.evidence_add(actor=editor, claim=draft, url=REPORT_URL, stance="supports")
    approved_evidence = Evidence.objects.get(claim=approved.claim)
    published_evidence = Evidence.objects.get(claim=published.claim)
    assert draft_evidence.capture_id == published_evidence.capture_id  # the same stored copy, reached another way

    def status(claim_id, evidence_id, suffix=""):
        return client.get(f"/fact-checks/{claim_id}/sources/{evidence_id}/archived/{suffix}").status_code

    assert status(published.claim_id, published_evidence.pk) == 200
    for claim_id, evidence_id in [
        (draft.pk, draft_evidence.pk),
        (approved.claim_id, approved_evidence.pk),
        (published.claim_id, draft_evidence.pk),  # a published claim's id does not open another claim's evidence
        (published.claim_id, 999999),
    ]:
        assert status(claim_id, evidence_id) == 404 and status(claim_id, evidence_id, "file") == 404
    # The staff capture pages stay behind the login.
    assert client.get(f"/captures/{published_evidence.capture_id}/snapshot").status_code == 302

    services.verdict_unpublish(actor=reviewer, verdict=published, reason="Legal review.")
    assert status(published.claim_id, published_evidence.pk) == 404
    assert status(published.claim_id, published_evidence.pk, "file") == 404


def test_the_page_has_share_metadata_and_a_canonical_link(client, editor, reviewer, scale, settings):
    settings.SITE_URL = "https://checks.example.net"
    verdict = factcheck(editor, reviewer, scale["true"], explanation="Third place, behind the US and France.")
    page = Meta(page_of(client, verdict))
    url = f"https://checks.example.net/fact-checks/{verdict.claim_id}/"
    assert page.meta["og:type"] == "article" and page.meta["og:url"] == url
    assert page.meta["og:title"] == "Russia is among the top five arms exporters"
    description = "Rated True: Third place, behind the US and France."
    assert page.meta["og:description"] == page.meta["description"] == description
    assert page.meta["twitter:card"] == "summary"
    assert page.links[("canonical", None)] == url
    assert page.links[("alternate", "application/atom+xml")] == "/fact-checks/feed.atom"


def test_the_description_is_short_and_cannot_break_out_of_its_attribute(client, editor, reviewer, scale):
    verdict = factcheck(editor, reviewer, scale["true"], explanation='He said "no" <script>x</script> ' + "word " * 80)
    page = Meta(page_of(client, verdict))
    assert page.meta["description"].startswith('Rated True: He said "no" <script>x</script> word')
    assert len(page.meta["description"]) <= 200 and page.meta["description"].endswith("…")


# --- what the page cache must notice -------------------------------------------------------------------------------


def test_a_capture_finishing_after_publication_shows_its_title_and_archive_at_once(client, editor, reviewer, scale):
    verdict = factcheck(editor, reviewer, scale["true"])
    first = client.get(f"/fact-checks/{verdict.claim_id}/")
    assert "/archived/" not in first.content.decode()
    capture = Evidence.objects.get(claim=verdict.claim).capture
    Capture.objects.filter(pk=capture.pk).update(
        status="done", title="The fact sheet", sha256="a" * 64, finished_at=timezone.now()
    )
    again = client.get(f"/fact-checks/{verdict.claim_id}/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert "The fact sheet" in again.content.decode() and "/archived/" in again.content.decode()


def test_renaming_a_rating_or_the_reviewer_changes_the_page(client, editor, reviewer, scale):
    verdict = factcheck(editor, reviewer, scale["true"])
    etag = client.get(f"/fact-checks/{verdict.claim_id}/")["ETag"]
    scale["false"].description = "Wrong, plainly."
    scale["false"].save()
    response = client.get(f"/fact-checks/{verdict.claim_id}/", headers={"if-none-match": etag})
    assert response.status_code == 200 and "Wrong, plainly." in response.content.decode()
    reviewer.first_name = "Renamed"
    reviewer.save()
    again = client.get(f"/fact-checks/{verdict.claim_id}/", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 200 and "Renamed" in again.content.decode()
    assert client.get(f"/fact-checks/{verdict.claim_id}/", headers={"if-none-match": again["ETag"]}).status_code == 304


# --- the feed ------------------------------------------------------------------------------------------------------


def test_the_feed_is_atom_with_the_published_fact_checks_only(client, editor, reviewer, scale, settings):
    settings.SITE_URL = "https://checks.example.net"
    published = factcheck(editor, reviewer, scale["true"], explanation="Third. <script>alert(1)</script>")
    factcheck(editor, reviewer, scale["false"], publish=False, claim_reviewed="Approved, not published")
    withdrawn = factcheck(editor, reviewer, scale["false"], claim_reviewed="Taken down")
    services.verdict_unpublish(actor=reviewer, verdict=withdrawn, reason="Legal review.")

    response = client.get("/fact-checks/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "True: Russia is among the top five arms exporters"
    ]
    entry = entries[0]
    url = f"https://checks.example.net/fact-checks/{published.claim_id}/"
    assert entry.find(f"{ATOM}link").get("href") == url and entry.findtext(f"{ATOM}id") == url
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "ed"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # The summary is HTML once unescaped from the XML: the explanation's markup is escaped in that HTML.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary.text and "<script>" not in summary.text
    assert "Checked by ed, reviewed by rev" in summary.text
    self_link = [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link == ["https://checks.example.net/fact-checks/feed.atom"]


def test_the_feed_answers_304_until_something_changes(client, editor, reviewer, scale):
    verdict = factcheck(editor, reviewer, scale["true"])
    etag = client.get("/fact-checks/feed.atom")["ETag"]
    assert client.get("/fact-checks/feed.atom", headers={"if-none-match": etag}).status_code == 304
    services.verdict_unpublish(actor=reviewer, verdict=verdict, reason="Legal review.")
    response = client.get("/fact-checks/feed.atom", headers={"if-none-match": etag})
    assert response.status_code == 200 and ET.fromstring(response.content).findall(f"{ATOM}entry") == []


@pytest.mark.parametrize("path", ["/", "/fact-checks/", "/corrections/"])
def test_the_feed_is_linked_from_the_public_pages(client, db, path):
    page = Meta(client.get(path).content.decode())
    assert page.links[("alternate", "application/atom+xml")] == "/fact-checks/feed.atom"


# --- the public list -----------------------------------------------------------------------------------------------


@pytest.fixture
def three(editor, reviewer, scale):
    return {
        "arms": factcheck(editor, reviewer, scale["true"], claimant="Vladimir Putin"),
        "grain": factcheck(
            editor,
            reviewer,
            scale["false"],
            claim_reviewed="Grain exports doubled",
            claimant="A minister",
            explanation="Customs data show a fall.",
        ),
        "gas": factcheck(
            editor, reviewer, scale["false"], claim_reviewed="Gas is cheaper", explanation="Prices rose by half."
        ),
    }


def listed(client, query: str = "") -> list[int]:
    response = client.get(f"/fact-checks/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    return sorted(int(part.split("/", 1)[0]) for part in html.split('<a href="/fact-checks/')[1:] if part[0].isdigit())


def test_search_matches_statement_claimant_and_explanation_with_every_word(client, three):
    ids = {name: verdict.claim_id for name, verdict in three.items()}
    assert listed(client, "?q=grain") == [ids["grain"]]
    assert listed(client, "?q=putin") == [ids["arms"]]
    assert listed(client, "?q=customs+FALL") == [ids["grain"]]
    assert listed(client, "?q=grain+prices") == []  # every word must match
    assert listed(client, "?q=100%25") == []  # LIKE wildcards are literal


def test_the_rating_filter_and_search_combine(client, three, scale):
    ids = {name: verdict.claim_id for name, verdict in three.items()}
    assert listed(client, f"?rating={scale['false'].pk}") == sorted([ids["grain"], ids["gas"]])
    assert listed(client, f"?rating={scale['false'].pk}&q=gas") == [ids["gas"]]
    html = client.get("/fact-checks/").content.decode()
    assert f'<option value="{scale["false"].pk}">False</option>' in html
    assert f'value="{scale["unproven"].pk}"' not in html  # no published fact-check has it


def test_an_unpublished_fact_check_is_not_found_by_search(client, editor, reviewer, scale, three):
    factcheck(editor, reviewer, scale["false"], publish=False, claim_reviewed="Grain secret")
    assert listed(client, "?q=grain") == [three["grain"].claim_id]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?rating=abc", "Rating: choose one of the ratings in the list."),
        ("?rating=99999999999999999999999", "Rating: choose one of the ratings in the list."),
        ("?q=" + "x" * 201, "Search is at most 200 characters (201 given)."),
        ("?q=" + "+".join("w" * 11), "Search takes at most 10 words (11 given)."),
    ],
)
def test_bad_filters_say_which_field_and_show_the_list(client, three, query, message):
    response = client.get(f"/fact-checks/{query}")
    assert response.status_code == 200 and message in response.content.decode()
    assert len(listed(client, query)) == 3  # the invalid field is ignored, the rest of the page works


@pytest.mark.parametrize("query", ["?page=abc", "?page=-1", "?page=999999999999999999999", "?rating=", "?q=+++"])
def test_odd_paging_and_empty_filters_show_the_list(client, three, query):
    assert len(listed(client, query)) == 3


def test_a_nul_character_in_the_search_is_refused_naming_the_field(client, three):
    response = client.get("/fact-checks/?q=%00")
    assert response.status_code == 400 and "<strong>q</strong>: This value contains a NUL" in response.content.decode()


def test_pagination_keeps_the_search(client, editor, reviewer, scale, settings):
    revision = RevisionFactory()
    for _ in range(26):
        factcheck(editor, reviewer, scale["true"], revision=revision, claim_reviewed="Arms again")
    html = client.get(f"/fact-checks/?q=arms&rating={scale['true'].pk}").content.decode()
    assert f'href="?q=arms&amp;rating={scale["true"].pk}&amp;page=2"' in html
    assert "26 fact-checks found." in html and '<meta name="robots" content="noindex, follow">' in html


def test_the_list_has_share_metadata(client, three, settings):
    settings.SITE_URL = "https://checks.example.net"
    page = Meta(client.get("/fact-checks/?page=1").content.decode())
    assert page.links[("canonical", None)] == "https://checks.example.net/fact-checks/"
    assert page.meta["og:url"] == "https://checks.example.net/fact-checks/"
    assert page.meta["og:title"].startswith("Published fact-checks") and page.meta["og:description"]
    assert page.meta["og:type"] == "website" and page.meta["twitter:card"] == "summary"


# --- what they cost ------------------------------------------------------------------------------------------------


def test_the_list_costs_the_same_whatever_the_number_of_fact_checks(
    client, editor, reviewer, scale, django_assert_max_num_queries
):
    revision = RevisionFactory()
    for _ in range(30):
        factcheck(editor, reviewer, scale["true"], revision=revision)
    # The chosen rating's lookup, the rating choices, the count and the page of verdicts (with claim, article, outlet
    # and rating).
    with django_assert_max_num_queries(4):
        assert client.get(f"/fact-checks/?q=russia&rating={scale['true'].pk}").status_code == 200


def test_the_page_costs_the_same_whatever_the_number_of_sources(
    client, editor, reviewer, scale, django_assert_num_queries, settings
):
    SourceFactory(name="SIPRI", domain="sipri.org")
    urls = [f"https://www.sipri.org/{n}" for n in range(6)]
    for url in urls:
        done_capture(url=url)
    few = factcheck(editor, reviewer, scale["true"], evidence=[(urls[0], "")])
    many = factcheck(editor, reviewer, scale["true"], evidence=[(url, "") for url in urls])
    database_cache = settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    # The published version and the stamp (public_cache); the verdict (claim, revision, article, outlet, rating,
    # scale, checker, reviewer); its evidence (source, capture), corrections and scale. The database cache adds its
    # read, and its write (a count, a savepoint, a lookup, the insert, the release).
    for verdict in (few, many):
        with django_assert_num_queries(12 if database_cache else 6):
            assert client.get(f"/fact-checks/{verdict.claim_id}/").status_code == 200


def test_the_feed_costs_one_query(client, editor, reviewer, scale, django_assert_num_queries):
    revision = RevisionFactory()
    for _ in range(5):
        factcheck(editor, reviewer, scale["true"], revision=revision)
    with django_assert_num_queries(1):
        assert client.get("/fact-checks/feed.atom").status_code == 200
