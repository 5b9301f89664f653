"""What the pages editors live in cost: a fixed number of queries, and no large column read for nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.models import Evidence
from tests.factories import make_claim

pytestmark = pytest.mark.django_db
WORDS = ("Russia", "Putin", "Friday", "orders", "military", "interest")


def claims_with_evidence(editor, revision, rating, words=WORDS):
    for word in words:
        claim = make_claim(revision, editor, word)
        services.evidence_add(actor=editor, claim=claim, url=f"https://www.sipri.org/{word}", stance="context")
        services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")


def page_queries(client, url: str) -> list[str]:
    client.get(url)  # warm up (content types are cached per process)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


def first_view_queries(client, url: str, change) -> list[str]:
    """The queries of the first view after `change` (the reader's cache keeps nothing across a change)."""
    change()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


def test_reader_costs_a_fixed_number_of_queries_whatever_the_number_of_claims(client, editor, revision, rating):
    client.force_login(editor)
    url = f"/articles/{revision.article_id}/"
    one = first_view_queries(client, url, lambda: claims_with_evidence(editor, revision, rating, WORDS[:1]))
    six = first_view_queries(client, url, lambda: claims_with_evidence(editor, revision, rating, WORDS[1:]))
    # session, user, permissions and role groups (one query: auth_backend), the article's stamp (row_versions),
    # article, current revision, claims with their verdicts (one join), revision count, nav counts; no evidence
    # while no claim is open
    assert len(one) == len(six) == 9
    assert not any('FROM "annotations_evidence"' in sql for sql in six)
    # Seen again with nothing changed: the article column and the claim list come from the worker's cache.
    # session, user, permissions and role groups, the stamp, nav counts
    assert len(page_queries(client, url)) == 5


def test_reader_reads_neither_old_revision_texts_nor_capture_texts_nor_search_vectors(
    client, editor, revision, rating
):
    client.force_login(editor)
    url = f"/articles/{revision.article_id}/"
    queries = first_view_queries(client, url, lambda: claims_with_evidence(editor, revision, rating))
    assert sum('"annotations_articlerevision"."text"' in sql for sql in queries) == 1  # the current revision's
    assert not any('"annotations_capture"."text"' in sql for sql in queries)
    assert not any('"search_vector"' in sql for sql in queries)


def test_article_list_reads_no_search_vector(client, editor, revision):
    client.force_login(editor)
    queries = page_queries(client, "/articles/")
    assert not any('"annotations_article"."search_vector"' in sql for sql in queries)


def test_claim_panel_costs_the_same_whatever_the_number_of_evidence(client, editor, reviewer, revision, rating):
    """The open panel (evidence with their controls, captures, the approve dialog's checklist, history) adds no
    query per evidence, for the author editing a draft and for a reviewer deciding."""
    claim = make_claim(revision, editor, "Russia")
    services.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/a", stance="supports", quote="a")
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")
    url = f"/articles/{revision.article_id}/?claim={claim.pk}"
    client.force_login(editor)
    draft_one = page_queries(client, url)
    for n in range(4):
        services.evidence_add(actor=editor, claim=claim, url=f"https://www.sipri.org/{n}", stance="refutes", quote="b")
    draft_five = page_queries(client, url)
    services.verdict_submit(actor=editor, verdict=verdict)
    client.force_login(reviewer)
    review_five = page_queries(client, url)
    Evidence.objects.filter(claim=claim).exclude(url="https://www.sipri.org/a").delete()
    review_one = page_queries(client, url)
    assert len(draft_one) == len(draft_five)
    assert len(review_one) == len(review_five)
