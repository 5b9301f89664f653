"""A claim linked as the same claim lends its wording (its quote) to the fact-check: paraphrases of the wording find
the fact-check, and the wording leaves it when the link changes or goes."""

import pytest

from matching import search
from matching import services as matching
from matching.embedding import embed_pending
from matching.encoder import MODEL_NAME, encoder
from matching.models import SameClaim
from tests.factories import RevisionFactory, make_claim

from .claims_support import imported

pytestmark = pytest.mark.django_db
URL = "/api/fact-checks/similar/"
TEXT = "Officials said the smoke turned the sky over Sydney orange for a week. Other news follows."
QUOTE = "the smoke turned the sky over Sydney orange for a week"
ASKED = "Sydney's skies went orange from bushfire smoke for seven days"


@pytest.fixture
def checks():
    search.VECTORS.forget()
    rows = imported(
        ("Russia is one of the five largest arms exporters", "Yes, third after the US and France"),
        ("The Eiffel Tower was built for the 1889 World's Fair.", "Yes, for the Exposition"),
        ("A photo shows a koala drinking from a cyclist's bottle.", "Real, from 2009"),
    )
    embed_pending()
    return rows


@pytest.fixture
def claim(editor):
    return make_claim(RevisionFactory(text=TEXT), editor, QUOTE, claim_reviewed="Smoke made Sydney's sky orange")


def scores(client) -> dict[str, float]:
    return {r["url"]: r["score"] for r in client.get(URL, {"text": ASKED, "limit": 10}).json()["results"]}


def test_a_linked_wording_finds_its_fact_check_and_leaves_it_when_unlinked(client, editor, checks, claim):
    tower = checks[1]
    client.force_login(editor)
    before = scores(client)
    assert before.get(tower.url, 0.0) < 0.5

    matching.same_claim_link(actor=editor, claim=claim, fact_check=tower)
    assert embed_pending() == 1  # the wording, not the fact-checks again
    link = SameClaim.objects.get(claim=claim)
    assert (link.wording, link.embedding_model) == (QUOTE, MODEL_NAME) and len(link.embedding) == 768
    wording_cosine = float(encoder().encode([ASKED])[0] @ encoder().encode([QUOTE])[0])
    after = scores(client)
    assert next(iter(after)) == tower.url  # best first
    assert after[tower.url] == pytest.approx(wording_cosine, abs=2e-3)  # shares no word: its cosine, by the wording
    assert after[tower.url] > 0.6

    matching.same_claim_unlink(actor=editor, claim=claim)
    assert scores(client).get(tower.url, 0.0) == pytest.approx(before.get(tower.url, 0.0), abs=1e-3)


def test_a_changed_link_takes_the_wording_along_without_embedding_it_again(client, editor, checks, claim):
    _, tower, koala = checks
    client.force_login(editor)
    matching.same_claim_link(actor=editor, claim=claim, fact_check=tower)
    embed_pending()
    assert next(iter(scores(client))) == tower.url
    matching.same_claim_link(actor=editor, claim=claim, fact_check=koala)
    assert embed_pending() == 0
    after = scores(client)
    assert next(iter(after)) == koala.url and after.get(tower.url, 0.0) < 0.5


def test_a_deleted_claim_takes_its_wording_out_of_the_search(client, editor, checks, claim):
    tower = checks[1]
    client.force_login(editor)
    matching.same_claim_link(actor=editor, claim=claim, fact_check=tower)
    embed_pending()
    assert next(iter(scores(client))) == tower.url
    claim.delete()  # the link goes by cascade; its post_delete tells the kept vectors
    assert scores(client).get(tower.url, 0.0) < 0.5


def test_a_wording_that_is_no_longer_the_quote_is_embedded_again(editor, checks, claim):
    matching.same_claim_link(actor=editor, claim=claim, fact_check=checks[1])
    embed_pending()
    # As after an edit of the stored quote in the admin (no service changes it): the sweep compares the two.
    SameClaim.objects.filter(claim=claim).update(wording="an older quote", embedding=b"\0" * 768)
    assert embed_pending() == 1
    link = SameClaim.objects.get(claim=claim)
    assert link.wording == QUOTE and bytes(link.embedding) != b"\0" * 768


def test_wordings_cost_a_search_no_query_more(client, editor, checks, claim, django_assert_num_queries):
    matching.same_claim_link(actor=editor, claim=claim, fact_check=checks[1])
    embed_pending()
    client.force_login(editor)
    client.get(URL, {"text": "warm-up"})
    with django_assert_num_queries(6):  # as tests/matching/test_similar.py counts them, without links
        response = client.get(URL, {"text": ASKED})
    assert response.json()["results"][0]["url"] == checks[1].url


def test_a_fact_check_with_many_wordings_is_one_result(client, editor, checks):
    # Its rows may fill the best places: the search still lists other fact-checks after it.
    tower = checks[1]
    revision = RevisionFactory(text=" ".join(f"The smoke turned the sky orange on day {n}." for n in range(8)))
    for n in range(8):
        quote = f"The smoke turned the sky orange on day {n}."
        claim = make_claim(revision, editor, quote, claim_reviewed=f"Orange sky, day {n}")
        matching.same_claim_link(actor=editor, claim=claim, fact_check=tower)
    embed_pending()
    client.force_login(editor)
    results = client.get(URL, {"text": "The smoke turned the sky orange", "limit": 3}).json()["results"]
    assert results[0]["url"] == tower.url and len({r["url"] for r in results}) == 3
