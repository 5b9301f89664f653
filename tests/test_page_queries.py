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


def test_reader_costs_twelve_queries_whatever_the_number_of_claims(client, editor, revision, rating):
    client.force_login(editor)
    url = f"/articles/{revision.article_id}/"
    claims_with_evidence(editor, revision, rating, WORDS[:1])
    one = page_queries(client, url)
    claims_with_evidence(editor, revision, rating, WORDS[1:])
    six = page_queries(client, url)
    # session, user, permissions (2), article, current revision, claims, evidence, verdicts, revision count,
    # the user's groups (role), unread notices
    assert len(one) == len(six) == 12


def test_reader_reads_neither_old_revision_texts_nor_capture_texts_nor_search_vectors(
    client, editor, revision, rating
):
    client.force_login(editor)
    claims_with_evidence(editor, revision, rating)
    queries = page_queries(client, f"/articles/{revision.article_id}/")
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
