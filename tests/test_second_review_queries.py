"""What blind second review costs: a fixed number of queries in the panel and the claims list, whatever the
number of claims the user is to rate blind, and nothing at all once the desk's version is known."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services

from .api_support import client_for
from .factories import add_evidence, make_claim
from .second_review_support import blind_claim
from .test_page_queries import page_queries

pytestmark = pytest.mark.django_db


def test_the_second_checkers_panel_and_claims_list_cost_the_same_however_many_they_rate(
    client, revision, editor, editor2, reviewer, rating
):
    first = blind_claim(revision, editor, reviewer, editor2, rating)
    client.force_login(editor2)
    url = f"/articles/{revision.article_id}/?claim={first.pk}"
    panel_one = page_queries(client, url)
    api = client_for(editor2)
    api.get("/api/claims/")
    with CaptureQueriesContext(connection) as list_one:
        api.get("/api/claims/")
    for word in ("Russia", "Putin", "Friday"):
        blind_claim_on(revision, editor, reviewer, editor2, rating, word)
    panel_four = page_queries(client, url)
    api.get("/api/claims/")  # the new claims' documents into the worker's memory, as for the one before
    with CaptureQueriesContext(connection) as list_four:
        assert len(api.get("/api/claims/").json()["results"]) == 4
    assert len(panel_one) == len(panel_four)
    assert len(list_one) == len(list_four)
    # The hidden claims are read in one query of their own (remembered by the desk's version outside tests).
    assert sum("annotations_secondreview" in q and "rated_at" in q for q in panel_four) >= 1


def blind_claim_on(revision, editor, reviewer, second, rating, word):
    claim = make_claim(revision, editor, word)
    add_evidence(claim, editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")
    services.verdict_submit(actor=editor, verdict=verdict)
    services.second_review_switch(actor=reviewer, claim=claim, required=True)
    services.second_checker_assign(actor=reviewer, claim=claim, checker=second)
    return claim
