"""Suggestions and dismissals: the API, the role checks, the flags, and the desk-version coverage of the tables."""

import pytest
from django.db import connection

from annotations import desk_version, services
from checkworthiness.models import Dismissal
from checkworthiness.sentences import split

from .api_support import token_for
from .conftest import make_user
from .factories import ArticleFactory, RevisionFactory, make_claim

pytestmark = pytest.mark.django_db

# An emoji and a combining accent before the sentences: offsets are code points, so they count once or twice as
# Python sees them, not as UTF-16 does.
TEXT = (
    "Cafe\u0301 owners 👍🏽 met on Friday. Thank you all for coming. "
    "Unemployment fell to 4.1 percent in 2019, the lowest rate in 50 years, the mayor said. "
    "What do you think? The city spent $3 million more on roads than in 2018."
)
STATISTIC = "Unemployment fell to 4.1 percent in 2019, the lowest rate in 50 years, the mayor said."
ROADS = "The city spent $3 million more on roads than in 2018."


@pytest.fixture
def article_revision(db):
    return RevisionFactory(text=TEXT, article=ArticleFactory())


def url(revision_id, tail=""):
    return f"/api/revisions/{revision_id}/suggestions/{tail}"


def get(client, user, path):
    return client.get(path, headers={"Authorization": f"Token {token_for(user)}"} if user else {})


def post(client, user, path, data):
    headers = {"Authorization": f"Token {token_for(user)}"} if user else {}
    return client.post(path, data, content_type="application/json", headers=headers)


def span(sentence):
    start = TEXT.index(sentence)
    return {"start": start, "end": start + len(sentence)}


def test_every_sentence_ranked_best_first_with_code_point_offsets(client, editor, article_revision):
    response = get(client, editor, url(article_revision.pk))
    assert response.status_code == 200
    results = response.json()["results"]
    assert {r["text"] for r in results} == {s.text for s in split(TEXT)} and len(results) == 5
    assert {r["text"] for r in results[:2]} == {STATISTIC, ROADS}  # the figures first, the small talk last
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert all(TEXT[r["start"] : r["end"]] == r["text"] for r in results)
    first = next(r for r in results if r["text"].startswith("Cafe"))
    assert first == {**first, "start": 0, "end": len("Cafe\u0301 owners 👍🏽 met on Friday.")}
    assert not any(r["claimed"] or r["dismissed"] for r in results)
    assert get(client, editor, url(article_revision.pk) + "?limit=2").json()["results"] == results[:2]


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "2.5", "10001", "9" * 5000])
def test_a_bad_limit_is_a_400_that_says_why(client, editor, article_revision, limit):
    response = get(client, editor, url(article_revision.pk) + f"?limit={limit}")
    assert response.status_code == 400
    (message,) = response.json()["limit"]
    assert message == "limit must be a whole number from 1 to 10000."


def test_who_may_read_suggestions(client, article_revision):
    assert get(client, None, url(article_revision.pk)).status_code == 401
    assert get(client, make_user("nobody", None), url(article_revision.pk)).status_code == 403
    reviewer = make_user("rev", "Reviewers")
    assert get(client, reviewer, url(article_revision.pk)).status_code == 200
    assert get(client, reviewer, url(article_revision.pk + 1000)).status_code == 404
    client.force_login(reviewer)  # a session, as the reader's script uses
    assert client.get(url(article_revision.pk)).status_code == 200


def test_claimed_sentences_are_flagged_and_can_be_filtered_out(client, editor, article_revision):
    make_claim(article_revision, editor, "fell to 4.1 percent")
    results = get(client, editor, url(article_revision.pk)).json()["results"]
    assert [r["text"] for r in results if r["claimed"]] == [STATISTIC]
    undecided = get(client, editor, url(article_revision.pk) + "?claimed=false&limit=10").json()["results"]
    assert STATISTIC not in [r["text"] for r in undecided] and undecided[0]["text"] == ROADS
    only = get(client, editor, url(article_revision.pk) + "?claimed=true").json()["results"]
    assert [r["text"] for r in only] == [STATISTIC]


def test_an_editor_dismisses_a_sentence_once_and_it_is_flagged(client, editor, article_revision):
    response = post(client, editor, url(article_revision.pk, "dismissals/"), span(ROADS))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {**body, **span(ROADS), "text": ROADS, "dismissed_by": "ed", "revision": article_revision.pk}
    again = post(client, make_user("rev", "Reviewers"), url(article_revision.pk, "dismissals/"), span(ROADS))
    assert again.status_code == 200 and again.json()["dismissed_by"] == "ed"
    assert Dismissal.objects.count() == 1
    results = get(client, editor, url(article_revision.pk)).json()["results"]
    assert [r["text"] for r in results if r["dismissed"]] == [ROADS]
    undecided = get(client, editor, url(article_revision.pk) + "?dismissed=false").json()["results"]
    assert ROADS not in [r["text"] for r in undecided] and len(undecided) == 4


def test_dismissals_need_a_role_that_claims_and_a_sentence_span(client, editor, article_revision):
    path = url(article_revision.pk, "dismissals/")
    assert post(client, None, path, span(ROADS)).status_code == 401
    refused = post(client, make_user("nobody", None), path, span(ROADS))
    assert refused.status_code == 403
    assert Dismissal.objects.count() == 0
    assert post(client, editor, url(article_revision.pk + 1000, "dismissals/"), span(ROADS)).status_code == 404
    part = span(ROADS)
    response = post(client, editor, path, {"start": part["start"] + 1, "end": part["end"]})
    assert response.status_code == 400 and "is not a sentence of revision" in response.json()["start"][0]
    for bad in ({"start": -1, "end": 3}, {"start": "x", "end": 3}, {"end": 3}, {**part, "extra": 1}):
        assert post(client, editor, path, bad).status_code == 400, bad
    assert Dismissal.objects.count() == 0


def test_the_service_refuses_a_role_without_claims(article_revision):
    from django.core.exceptions import PermissionDenied

    from checkworthiness import services as checkworthiness

    with pytest.raises(PermissionDenied, match="Only editors and reviewers dismiss"):
        checkworthiness.dismiss(actor=make_user("nobody", None), revision=article_revision, **span(ROADS))


def test_a_sentence_dismissed_on_one_revision_stays_dismissed_on_the_next(client, editor, article_revision):
    assert post(client, editor, url(article_revision.pk, "dismissals/"), span(ROADS)).status_code == 201
    article = article_revision.article
    newer, _ = services.revision_add(actor=editor, article=article, text="New lead. " + TEXT, origin="pasted")
    results = get(client, editor, url(newer.pk)).json()["results"]
    assert [r["text"] for r in results if r["dismissed"]] == [ROADS]


def test_the_tables_move_the_desk_version_so_cached_pages_see_the_writes(editor, article_revision):
    tables = desk_version.tables()
    assert {"checkworthiness_dismissal", "checkworthiness_scorermodel"} <= set(tables)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'annotations_desk_changed' "
            "AND tgrelid IN ('checkworthiness_dismissal'::regclass, 'checkworthiness_scorermodel'::regclass)"
        )
        assert cursor.fetchone()[0] == 2
        cursor.execute("SELECT last_value FROM annotations_desk_version_seq")
        before = cursor.fetchone()[0]
        Dismissal.objects.create(revision=article_revision, text=ROADS, dismissed_by=editor, **span(ROADS))
        cursor.execute("SELECT last_value FROM annotations_desk_version_seq")
        assert cursor.fetchone()[0] > before


def test_the_schema_documents_both_operations(client):
    schema = client.get("/api/schema/?format=json").json()
    listing = schema["paths"]["/api/revisions/{id}/suggestions/"]["get"]
    assert {"200", "400", "401", "403", "404"} <= set(listing["responses"])
    assert {p["name"] for p in listing["parameters"]} >= {"id", "limit", "claimed", "dismissed"}
    dismissing = schema["paths"]["/api/revisions/{id}/suggestions/dismissals/"]["post"]
    assert {"200", "201", "400", "401", "403", "404"} <= set(dismissing["responses"])
