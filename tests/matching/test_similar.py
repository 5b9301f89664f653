"""Has this been checked already? `GET /api/fact-checks/similar/` over the corpus, on real PostgreSQL."""

import datetime

import pytest

from matching import search, services
from matching.claimreview_parse import parse
from matching.embedding import embed_pending
from matching.models import FactCheck

from .support import claim_review, data_feed, dumps

pytestmark = pytest.mark.django_db
URL = "/api/fact-checks/similar/"

STATEMENTS = [
    ("Spain's unemployment rate fell to its lowest level since 2008.", "No, joblessness has not hit a record low"),
    ("The Eiffel Tower was built for the 1889 World's Fair.", "Yes, the tower opened for the Exposition"),
    ("Vaccines cause autism in children.", "There is no link between vaccines and autism"),
    ("Drinking hot water cures the coronavirus.", "Hot water does not cure COVID-19"),
    ("The Great Wall of China is visible from space with the naked eye.", "The wall is not visible from orbit"),
]


@pytest.fixture
def corpus():
    reviews = [
        claim_review(i, claimReviewed=statement, headline=headline)
        for i, (statement, headline) in enumerate(STATEMENTS)
    ]
    services.factchecks_import(actor=None, items=parse(dumps(data_feed(*reviews))).items)
    assert embed_pending() == len(STATEMENTS)
    search.VECTORS.forget()  # each test starts from an empty process memory, as a new worker does
    return {row.claim_reviewed: row for row in FactCheck.objects.all()}


def test_a_paraphrase_finds_its_fact_check_first(client, editor, corpus):
    client.force_login(editor)
    response = client.get(URL, {"text": "Does hot water kill the corona virus?", "limit": 3})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    best = results[0]
    assert best["claim_reviewed"] == "Drinking hot water cures the coronavirus."
    assert best["url"] == "https://checker.example/fact-checks/3"
    assert (best["publisher"], best["rating"], best["date_published"], best["claim"]) == (
        "Checker",
        "False",
        "2024-03-05",
        None,
    )
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert results[0]["score"] > results[1]["score"] + 0.1


@pytest.mark.parametrize("by_id", [search.UNEMBEDDED_BY_ID, 0], ids=["by id", "by the partial index"])
def test_a_new_import_is_found_by_the_next_search_in_the_same_process(client, editor, corpus, monkeypatch, by_id):
    monkeypatch.setattr(search, "UNEMBEDDED_BY_ID", by_id)  # 0: as when a large import waits for the worker
    client.force_login(editor)
    client.get(URL, {"text": "tower"})
    assert search.VECTORS.unembedded == frozenset()
    review = claim_review(99, claimReviewed="Bananas are radioactive.", headline="A little, yes")
    services.factchecks_import(actor=None, items=parse(dumps(review)).items)
    # Not embedded yet: its words alone find it.
    results = client.get(URL, {"text": "Bananas are radioactive"}).json()["results"]
    assert results[0]["claim_reviewed"] == "Bananas are radioactive."
    assert search.VECTORS.unembedded == {FactCheck.objects.get(url__endswith="/99").pk}
    embed_pending()
    results = client.get(URL, {"text": "Is the banana fruit radioactive?"}).json()["results"]
    assert results[0]["claim_reviewed"] == "Bananas are radioactive."
    assert search.VECTORS.unembedded == frozenset()


def test_a_deleted_fact_check_is_not_returned(client, editor, corpus):
    client.force_login(editor)
    assert client.get(URL, {"text": "vaccines autism"}).json()["results"][0]["claim_reviewed"].startswith("Vaccines")
    corpus["Vaccines cause autism in children."].delete()
    results = client.get(URL, {"text": "vaccines autism"}).json()["results"]
    assert all(not r["claim_reviewed"].startswith("Vaccines") for r in results)


def test_words_that_tsquery_would_misread_are_searched_safely(client, editor, corpus):
    client.force_login(editor)
    for text in ["AT&T's 'profits' | rose !", "\\'; DROP TABLE x; --", "::tsquery & | ! ( )", "ça coûte 10 €"]:
        response = client.get(URL, {"text": text})
        assert response.status_code == 200, text
    assert FactCheck.objects.count() == len(STATEMENTS)


def test_bad_queries_get_a_clear_400(client, editor, corpus):
    client.force_login(editor)
    for params, field in [
        ({}, "text"),
        ({"text": "  "}, "text"),
        ({"text": "x", "limit": "0"}, "limit"),
        ({"text": "x", "limit": "many"}, "limit"),
        ({"text": "x" * 5001}, "text"),
    ]:
        response = client.get(URL, params)
        assert response.status_code == 400, params
        assert field in response.json(), response.json()


def test_signed_in_users_only(client, corpus):
    assert client.get(URL, {"text": "tower"}).status_code in (401, 403)


def test_an_empty_corpus_answers_no_results(client, editor):
    search.VECTORS.forget()
    client.force_login(editor)
    assert client.get(URL, {"text": "anything at all"}).json() == {"results": []}


def test_a_search_costs_a_fixed_number_of_queries(client, editor, corpus, django_assert_num_queries):
    client.force_login(editor)
    client.get(URL, {"text": "warm-up"})
    # Inside a test's transaction the desk version is unknown, so nothing is reused: the session, the user, the
    # version, the kept vectors' catch-up; then the search's own two: the words with every candidate's counts and
    # text, and the results' rows (with a version, as in production, the first four are one).
    with django_assert_num_queries(6):
        client.get(URL, {"text": "Is the Great Wall visible from space?"})
    with django_assert_num_queries(6):  # as many for a limit of 50: no query per result
        client.get(URL, {"text": "Is the Great Wall visible from space?", "limit": 50})


def test_a_row_that_commits_after_a_newer_one_was_read_is_still_found(client, editor, corpus):
    # updated_at is set before commit: a slow writer's row can carry an older time than rows already read.
    client.force_login(editor)
    client.get(URL, {"text": "tower"})
    newest = FactCheck.objects.latest("updated_at").updated_at
    review = claim_review(77, claimReviewed="Bananas are radioactive.", headline="A little, yes")
    services.factchecks_import(actor=None, items=parse(dumps(review)).items)
    embed_pending()
    FactCheck.objects.filter(url__endswith="/77").update(updated_at=newest - datetime.timedelta(seconds=30))
    results = client.get(URL, {"text": "Is the banana fruit radioactive?"}).json()["results"]
    assert results[0]["claim_reviewed"] == "Bananas are radioactive."


def _import(*reviews):
    services.factchecks_import(actor=None, items=parse(dumps(data_feed(*reviews))).items)
    embed_pending()
    search.VECTORS.forget()


def test_one_fact_check_listed_twice_is_one_result_the_copy_imported_first(client, editor, corpus):
    # A feed re-lists an article under a second url, with curly quotes: the desk wants it once, as the first url.
    statement = 'The mayor said "no new taxes" at the 2023 budget hearing.'
    _import(claim_review(50, claimReviewed=statement, headline="Did the mayor promise 'no new taxes'?"))
    _import(
        claim_review(
            51,
            claimReviewed="The mayor said \u201cno new taxes\u201d at the 2023 budget hearing.",
            headline="Did the Mayor Promise \u2018No New Taxes\u2019?",
        )
    )
    client.force_login(editor)
    results = client.get(URL, {"text": "Mayor promised no new taxes at the budget hearing", "limit": 10}).json()
    urls = [r["url"] for r in results["results"]]
    assert urls[0] == "https://checker.example/fact-checks/50"
    assert "https://checker.example/fact-checks/51" not in urls
    assert len(urls) == len(STATEMENTS) + 1  # every other fact-check still listed: the copy took no place


def test_the_same_statement_from_two_publishers_is_two_results(client, editor, corpus):
    statement = "The mayor said no new taxes at the 2023 budget hearing."
    other = {"@type": "Organization", "name": "Other Desk", "url": "https://other.example/"}
    _import(claim_review(50, claimReviewed=statement, headline="No new taxes?"))
    _import(claim_review(51, claimReviewed=statement, headline="No new taxes?", author=other))
    client.force_login(editor)
    results = client.get(URL, {"text": "Mayor promised no new taxes", "limit": 2}).json()["results"]
    assert {r["publisher"] for r in results} == {"Checker", "Other Desk"}


def test_a_rare_shared_word_weighs_more_than_a_common_one(editor, corpus):
    # BM25's idf: "eiffel" is in one fact-check, "tower" in three.
    _import(
        claim_review(60, claimReviewed="The leaning tower of Pisa is straightening.", headline="Pisa's tower"),
        claim_review(61, claimReviewed="A tower in Dubai is a mile high.", headline="No mile-high tower"),
    )
    search.VECTORS.refresh()
    terms = search.VECTORS.terms
    assert terms.documents == len(STATEMENTS) + 2
    assert terms.idf("eiffel") > terms.idf("tower") > 0
    eiffel = corpus["The Eiffel Tower was built for the 1889 World's Fair."]
    pisa = FactCheck.objects.get(url__endswith="/60")
    scores, texts = search._lexical("Eiffel tower", [eiffel.pk, pisa.pk], terms)
    assert texts[pisa.pk] == ("Checker", "The leaning tower of Pisa is straightening.", "Pisa's tower")
    # Pisa's says "tower" twice, the Eiffel Tower's says both words once: the rare one decides.
    assert scores[eiffel.pk] > scores[pisa.pk] > 0
    scores, texts = search._lexical("!!", [eiffel.pk], terms)
    assert scores == {} and list(texts) == [eiffel.pk]  # no words: no lexical score, its row found all the same


def test_a_large_corpus_is_scanned_through_its_principal_directions(client, editor, corpus, monkeypatch):
    # As past COARSE_FROM rows, shrunk to this corpus: a shortlist of 2 of the 5 by the projection, then exact.
    monkeypatch.setattr(search, "COARSE_FROM", 1)
    monkeypatch.setattr(search, "CANDIDATES", 1)
    monkeypatch.setattr(search, "SHORTLIST", 2)
    client.force_login(editor)
    best = client.get(URL, {"text": "Does hot water kill the corona virus?"}).json()["results"][0]
    assert best["claim_reviewed"] == "Drinking hot water cures the coronavirus."
    assert search.VECTORS.basis is not None and search.VECTORS.coarse.shape[0] == len(STATEMENTS)
    text_vector = search.encoder().encode(["Does hot water kill the corona virus?"])[0]
    exact = float(search.VECTORS.matrix[search.VECTORS.ids.tolist().index(best["fact_check"])] @ text_vector)
    assert best["score"] >= exact - 1e-3  # its exact cosine (plus its share of the words), not the projection's
    # A row embedded after the full load is projected on the directions of that load.
    review = claim_review(99, claimReviewed="Bananas are radioactive.", headline="A little, yes")
    services.factchecks_import(actor=None, items=parse(dumps(review)).items)
    embed_pending()
    client.get(URL, {"text": "Is the banana fruit radioactive?"})
    vectors = search.VECTORS
    row = vectors.ids.tolist().index(FactCheck.objects.get(url__endswith="/99").pk)
    assert vectors.coarse.shape[0] == len(STATEMENTS) + 1
    assert vectors.coarse[row] == pytest.approx(vectors.matrix[row] @ vectors.basis, abs=1e-5)
