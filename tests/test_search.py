"""Claim and article search (stored vectors kept by triggers, in the article's language), filters and exports."""

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse

from annotations import services
from annotations.models import Article, Claim, ClaimSearch, Source

from .api_support import client_for, make_published
from .factories import QUOTE, make_claim

pytestmark = pytest.mark.django_db

RUSSIAN = "Президент заявил, что Россия остаётся среди пяти крупнейших экспортёров оружия в мире."
ARABIC = "قال الرئيس إن روسيا لا تزال من بين أكبر خمسة مصدرين للأسلحة في العالم."


def import_article(actor, title, text, **fields):
    return services.article_import(actor=actor, title=title, text=text, origin="pasted", **fields)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [claim["id"] for claim in response.json()["results"]]


def search(user, **params) -> list[int]:
    return ids(client_for(user).get("/api/claims/", params))


@pytest.fixture
def desk(editor, reviewer, revision, rating):
    """A published English claim with evidence, a draft, and claims on a Russian and an Arabic article."""
    tass = Source.objects.create(name="TASS", domain="tass.com", kind="state_media")
    Article.objects.filter(pk=revision.article_id).update(outlet=tass, byline="Staff writer")
    published = make_published(editor, reviewer, revision, rating).claim
    draft = make_claim(revision, editor, "Putin underscored", claimant="Kremlin aide", claim_reviewed="Orders grow")
    russian_article = import_article(editor, "Экспорт оружия", RUSSIAN, url="https://ria.example/1").revision
    russian = make_claim(russian_article, editor, "крупнейших экспортёров оружия", claim_reviewed="")
    arabic_article = import_article(editor, "صادرات الأسلحة", ARABIC).revision
    arabic = make_claim(arabic_article, editor, "أكبر خمسة مصدرين للأسلحة", claim_reviewed="")
    return {"published": published, "draft": draft, "russian": russian, "arabic": arabic, "tass": tass}


# --- Stored vectors --------------------------------------------------------------------------------------------------


def test_documents_use_the_article_language_configuration(desk):
    configs = dict(ClaimSearch.objects.values_list("claim_id", "config"))
    assert configs[desk["published"].pk] == "english"
    assert configs[desk["russian"].pk] == "russian"
    assert configs[desk["arabic"].pk] == "arabic"


def test_russian_claim_is_found_by_another_form_of_the_word(editor, desk):
    # The quote says "экспортёров" (genitive plural); the Russian stemmer finds it from "экспортёры" (nominative).
    assert search(editor, q="экспортёры") == [desk["russian"].pk]
    assert search(editor, q="оружие") == [desk["russian"].pk]  # "оружия" in the text


def test_arabic_claim_is_found_by_its_stem(editor, desk):
    # "الأسلحة" (the weapons) in the quote; the Arabic stemmer takes the article and the plural off "أسلحة".
    assert search(editor, q="أسلحة") == [desk["arabic"].pk]


def test_search_covers_statement_claimant_evidence_and_verdict(editor, desk):
    published, draft = desk["published"].pk, desk["draft"].pk
    assert search(editor, q="exporter") == [published]  # statement / quote, stemmed
    assert set(search(editor, q="Putin")) == {published, draft}  # claimant of one, quote of the other
    assert search(editor, q="Kremlin aide") == [draft]  # claimant
    assert search(editor, q="third") == [published]  # evidence quote "Russia was third"
    assert search(editor, q="sipri") == [published]  # evidence URL https://www.sipri.org/x, by its words
    assert search(editor, q="context") == [published]  # verdict explanation "True, with context."
    assert search(editor, q='"five arms"') == [published]  # phrase
    assert search(editor, q="nothing-like-this") == []


def test_documents_follow_every_write(editor, desk):
    draft = desk["draft"]
    assert search(editor, q="nuclear") == []
    services.evidence_add(actor=editor, claim=draft, url="https://iaea.example/r", stance="context", note="nuclear")
    assert search(editor, q="nuclear") == [draft.pk]
    services.claim_update(actor=editor, claim=draft, claimant="Spokesman", claim_reviewed="Orders grow")
    assert search(editor, q="spokesman") == [draft.pk] and search(editor, q="aide") == []
    verdict = services.verdict_save(actor=editor, claim=draft, rating=desk["published"].verdict.rating,
                                    explanation="Backlog figures unverifiable.")  # fmt: skip
    assert search(editor, q="backlog") == [draft.pk]
    services.verdict_save(
        actor=editor, claim=draft, rating=verdict.rating, explanation="Other.", version=verdict.version
    )
    assert search(editor, q="backlog") == []


def test_changing_an_articles_language_rebuilds_its_claims_documents(editor, desk):
    Article.objects.filter(pk=desk["russian"].article_id).update(language="en")
    assert ClaimSearch.objects.get(pk=desk["russian"].pk).config == "english"
    assert search(editor, q="экспортёры") == []  # the English configuration does not stem Russian


def test_deleting_a_claim_takes_its_document(editor, desk):
    # Django deletes the evidence first (whose trigger writes the document again), then the claim: the database's
    # ON DELETE CASCADE takes the document last.
    services.evidence_add(actor=editor, claim=desk["arabic"], url="https://e.example/a", stance="context")
    Claim.objects.filter(pk=desk["arabic"].pk).delete()
    assert not ClaimSearch.objects.filter(pk=desk["arabic"].pk).exists()
    assert ClaimSearch.objects.count() == Claim.objects.count() == 3


# --- Filters ---------------------------------------------------------------------------------------------------------


def test_filters_status_rating_author_outlet_and_dates(editor, editor2, rating, desk):
    published, draft = desk["published"].pk, desk["draft"].pk
    assert search(editor, status="published") == [published]
    assert search(editor, rating=rating.pk) == [published]
    assert search(editor, q="Putin", status="draft") == [draft]
    assert search(editor, author="ed2") == []
    assert set(search(editor, author="ed")) == set(Claim.objects.values_list("pk", flat=True))
    assert set(search(editor, outlet=desk["tass"].pk)) == {published, draft}
    assert set(search(editor, outlet="tass.com")) == {published, draft}  # the registry entry's domain
    assert search(editor, outlet="ria.example") == [desk["russian"].pk]  # no registry entry: the URL's host
    today = desk["draft"].created_at.date().isoformat()
    assert len(search(editor, created_after=today, created_before=today)) == 4
    assert search(editor, created_after="2999-01-01") == []
    assert search(editor, published_after=today, published_before=today) == [published]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "bogus"}, "status"),
        ({"created_after": "2025-13-45"}, "created_after"),
        ({"published_before": "yesterday"}, "published_before"),
        ({"rating": "999999"}, "rating"),
        ({"outlet": "not a domain!"}, "outlet"),
        ({"q": "x" * 201}, "q"),
        ({"created_after": "2025-05-02", "created_before": "2025-05-01"}, "created_before"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(editor, desk, client, params, field):
    response = client_for(editor).get("/api/claims/", params)
    assert response.status_code == 400 and field in response.json(), response.content
    client.force_login(editor)
    page = client.get("/claims/", params)
    assert page.status_code == 400 and field in page.context["form"].errors
    export = client.get("/claims/export.csv", params)
    assert export.status_code == 400 and field in export.json()


def test_search_results_come_best_first_unless_ordered(editor, revision, desk):
    draft = desk["draft"]
    # "grow": the draft's statement ("Orders grow": weight A); the other claim's evidence note only (weight C).
    other = make_claim(revision, editor, "Friday", claim_reviewed="")
    services.evidence_add(actor=editor, claim=other, url="https://e.example/", stance="context", note="growing")
    assert search(editor, q="grow") == [draft.pk, other.pk]
    assert search(editor, q="grow", ordering="id") == sorted([draft.pk, other.pk])


def test_article_search_matches_outlet_and_byline(client, editor, desk):
    client.force_login(editor)
    title = desk["published"].article.title

    def titles(q):
        return [article.title for article in client.get("/articles/", {"q": q}).context["page"].object_list]

    assert titles("TASS") == [title]  # outlet name
    assert titles("tass.com") == [title]  # outlet domain
    assert titles("staff writer") == [title]  # byline
    assert titles("экспортёры") == ["Экспорт оружия"]  # the Russian text, stemmed
    api = client_for(editor).get("/api/articles/", {"q": "TASS"}).json()
    assert [article["title"] for article in api["results"]] == [title]


def test_renaming_an_outlet_updates_article_search(client, editor, admin_user, desk):
    services.source_save(actor=admin_user, source=desk["tass"], name="Tass Agency Renamed")
    client.force_login(editor)
    assert client.get("/articles/", {"q": "renamed"}).context["page"].paginator.count == 1


# --- The search page -------------------------------------------------------------------------------------------------


def test_claim_search_page_lists_matches_with_lang_and_dir(client, editor, desk):
    client.force_login(editor)
    page = client.get("/claims/", {"q": "أسلحة"})
    assert page.status_code == 200
    body = page.content.decode()
    assert [claim.pk for claim in page.context["page"].object_list] == [desk["arabic"].pk]
    assert 'lang="ar" dir="rtl"' in body
    assert 'href="/claims/export.csv?q=' in body and 'href="/claims/export.json?q=' in body
    assert '<a href="/claims/">Claims</a>' in body  # in the nav


def test_claim_search_page_query_count_does_not_grow(client, editor, rating, desk, django_assert_max_num_queries):
    client.force_login(editor)
    client.get("/claims/")
    for index in range(20):
        revision = import_article(editor, f"Filler {index}", f"Filler text number {index} about arms.").revision
        claim = make_claim(revision, editor, "arms")
        services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")
    # session, user, permissions (2), the authors, outlets and ratings offered, count, the page's claims with their
    # verdicts (one join), the user's role, nav counts: none of them per claim
    with django_assert_max_num_queries(11):
        page = client.get("/claims/", {"q": "arms", "status": "draft"})
    assert page.status_code == 200 and len(page.context["page"].object_list) == 20


def test_claim_search_needs_a_role(client, django_user_model):
    assert client.get("/claims/").status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("norole", password="x"))
    assert client.get("/claims/").status_code == 403
    assert client.get("/claims/export.csv").status_code == 403


# --- Exports ---------------------------------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_json(response) -> list[dict]:
    return json.loads(b"".join(response.streaming_content))


def test_csv_export_streams_one_row_per_claim_with_evidence_and_capture_links(client, editor, desk):
    services.evidence_add(
        actor=editor, claim=desk["draft"], url="https://two.example/b", stance="refutes", quote="=SUM(A1)\nline 2"
    )
    services.evidence_add(actor=editor, claim=desk["draft"], url="https://three.example/c", stance="context")
    client.force_login(editor)
    response = client.get("/claims/export.csv", {"status": "draft"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="claims.csv"'
    rows = {int(row["claim_id"]): row for row in read_csv(response)}
    assert set(rows) == {desk["draft"].pk, desk["russian"].pk, desk["arabic"].pk}
    draft = rows[desk["draft"].pk]
    assert draft["evidence_count"] == "2"
    assert draft["evidence_urls"] == "[1] https://two.example/b\n[2] https://three.example/c"
    assert draft["evidence_quotes"] == "[1] =SUM(A1)\nline 2\n[2]"
    assert draft["evidence_quote_statuses"] == "[1] unchecked\n[2] unchecked"
    capture_ids = desk["draft"].evidence.order_by("created_at").values_list("capture_id", flat=True)
    assert draft["evidence_capture_urls"].splitlines() == [f"[{n}] http://127.0.0.1:8000/captures/{pk}/" for n, pk in
                                                           enumerate(capture_ids, 1)]  # fmt: skip
    assert draft["evidence_snapshot_urls"] == "[1]\n[2]"  # nothing fetched yet
    assert draft["outlet"] == "TASS" and draft["article_language"] == "en"
    assert rows[desk["arabic"].pk]["exact"] == "أكبر خمسة مصدرين للأسلحة"
    assert rows[desk["arabic"].pk]["article_language"] == "ar"


def test_csv_export_neutralises_formulas(client, editor, desk):
    services.claim_update(actor=editor, claim=desk["draft"], claimant="@cmd|'/c calc'!A0", claim_reviewed="=1+1")
    client.force_login(editor)
    row = next(r for r in read_csv(client.get("/claims/export.csv")) if int(r["claim_id"]) == desk["draft"].pk)
    assert row["claimant"] == "'@cmd|'/c calc'!A0" and row["claim_reviewed"] == "'=1+1"


def test_json_export_has_the_verdict_and_evidence(client, editor, desk):
    client.force_login(editor)
    response = client.get("/claims/export.json", {"q": "exporters", "status": "published"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    [claim] = read_json(response)
    assert claim["claim_id"] == desk["published"].pk and claim["verdict_status"] == "published"
    assert claim["public_url"].endswith(f"/fact-checks/{desk['published'].pk}/")
    assert claim["evidence"] == [
        {
            "url": "https://www.sipri.org/x",
            "stance": "supports",
            "quote": "Russia was third",
            "quote_status": "unchecked",
            "capture_url": claim["evidence"][0]["capture_url"],
            "snapshot_url": None,
        }
    ]
    assert claim["evidence"][0]["capture_url"].startswith("http://127.0.0.1:8000/captures/")
    assert read_json(client.get("/claims/export.json", {"q": "no-such-word"})) == []


def test_article_list_export_applies_the_list_filters(client, editor, desk):
    client.force_login(editor)
    rows = read_csv(client.get("/articles/export.csv", {"q": "TASS"}))
    assert {int(row["claim_id"]) for row in rows} == {desk["published"].pk, desk["draft"].pk}
    rows = read_json(client.get("/articles/export.json", {"q": "TASS", "status": "published"}))
    assert [row["claim_id"] for row in rows] == [desk["published"].pk]
    body = client.get("/articles/", {"q": "TASS"}).content.decode()
    assert 'href="/articles/export.csv?q=TASS"' in body
    bad = client.get("/articles/export.csv", {"status": "bogus"})
    assert bad.status_code == 400 and "status" in bad.json()


def test_api_exports_take_the_search_and_filters(editor, desk):
    api = client_for(editor)
    response = api.get("/api/exports/claims.csv", {"q": "экспортёры"})
    assert isinstance(response, StreamingHttpResponse)
    assert [int(row["claim_id"]) for row in read_csv(response)] == [desk["russian"].pk]
    response = api.get("/api/exports/claims.json", {"outlet": "tass.com", "status": "draft"})
    assert [row["claim_id"] for row in read_json(response)] == [desk["draft"].pk]
    assert api.get("/api/exports/claims.json", {"created_before": "soon"}).status_code == 400


def test_export_query_count_does_not_grow_with_claims(client, editor, rating, desk, django_assert_max_num_queries):
    client.force_login(editor)
    for index in range(30):
        revision = import_article(editor, f"Filler {index}", f"Filler text number {index} about arms.").revision
        claim = make_claim(revision, editor, "arms")
        services.evidence_add(actor=editor, claim=claim, url=f"https://e.example/{index}", stance="context")
    # session, user, permissions (2), then the claims with their verdicts (one join) and their evidence (one chunk
    # of 500)
    with django_assert_max_num_queries(6):
        rows = read_csv(client.get("/claims/export.csv"))
    assert len(rows) == 34


def test_exports_leave_withdrawn_claims_out(client, editor, desk):
    services.claim_withdraw(actor=editor, claim=desk["draft"], reason="Duplicate.")
    client.force_login(editor)
    assert desk["draft"].pk not in {int(row["claim_id"]) for row in read_csv(client.get("/claims/export.csv"))}


def test_quote_is_exported_exactly(client, editor, desk):
    client.force_login(editor)
    rows = read_csv(client.get("/claims/export.csv", {"q": "exporters"}))
    assert rows[0]["exact"] == QUOTE


@pytest.mark.django_db(transaction=True)
def test_concurrent_evidence_writers_both_reach_the_document(editor, revision):
    """Two transactions adding evidence to one claim without the services' lock (raw SQL): the trigger queues the
    second behind the first, so that its document has both, not only what it saw before the first committed."""
    import threading

    import psycopg
    from django.db import connection

    claim = make_claim(revision, editor, "Putin underscored", claim_reviewed="")
    dsn = connection.get_connection_params()
    dsn.pop("cursor_factory", None)
    dsn.pop("context", None)
    insert = (
        "INSERT INTO annotations_evidence (claim_id, url, quote, stance, note, quote_status, quote_differences, "
        "author_id, created_at, updated_at) VALUES (%s, %s, '', 'context', %s, 'unchecked', '[]', %s, now(), now())"
    )
    first, second = psycopg.connect(**dsn), psycopg.connect(**dsn)
    try:
        first.execute(insert, [claim.pk, "https://a.example/", "aardvark", editor.pk])
        thread = threading.Thread(
            target=lambda: (
                second.execute(insert, [claim.pk, "https://b.example/", "bison", editor.pk]),
                second.commit(),
            )
        )
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive()  # it cannot finish before the first writer commits (it waits for the claim's lock)
        first.commit()
        thread.join(timeout=10)
        assert not thread.is_alive()
    finally:
        first.close()
        second.close()
    assert search(editor, q="aardvark") == search(editor, q="bison") == [claim.pk]
