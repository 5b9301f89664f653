"""Vectors are filled by a real Celery worker after an import commits, and the next search ranks by them."""

import pytest

from matching import search, services
from matching.claimreview_parse import parse
from matching.embedding import embed_pending
from matching.encoder import MODEL_NAME
from matching.models import FactCheck
from tests.test_capture_worker import server, wait_for, workers  # noqa: F401 (fixtures)

from .support import claim_review, data_feed, dumps

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_worker_embeds_what_an_import_wrote_and_a_search_then_finds_paraphrases(workers, client, editor):
    worker = workers.start("extractor", "extract")
    worker.wait_ready()
    reviews = [
        claim_review(1, claimReviewed="Drinking hot water cures the coronavirus.", headline="It does not"),
        claim_review(2, claimReviewed="The Eiffel Tower was built for the 1889 World's Fair.", headline="True"),
    ]
    # Outside a transaction the import commits at once, and the embedding message goes to the worker.
    result = services.factchecks_import(actor=None, items=parse(dumps(data_feed(*reviews))).items)
    assert result.created == 2
    embedded = FactCheck.objects.filter(embedding__isnull=False, embedding_model=MODEL_NAME)
    assert wait_for(lambda: embedded.count() == 2), workers.output()
    assert embed_pending() == 0  # nothing left for the sweep

    search.VECTORS.forget()
    client.force_login(editor)
    results = client.get("/api/fact-checks/similar/", {"text": "Can hot drinks kill COVID?"}).json()["results"]
    assert results[0]["url"] == "https://checker.example/fact-checks/1"

    # A changed statement loses its vector and the worker makes a new one.
    services.factchecks_import(
        actor=None,
        items=parse(dumps(claim_review(2, claimReviewed="Bananas are radioactive.", headline="A bit"))).items,
    )
    assert embedded.count() == 1  # the import emptied the changed row's vector
    assert wait_for(lambda: embedded.count() == 2), workers.output()
    results = client.get("/api/fact-checks/similar/", {"text": "Is the banana fruit radioactive?"}).json()["results"]
    assert results[0]["url"] == "https://checker.example/fact-checks/2"


def test_a_worker_embeds_the_wording_of_a_claim_linked_as_the_same_claim(workers, client, editor):
    from matching import services as matching
    from matching.models import SameClaim
    from tests.factories import RevisionFactory, make_claim

    worker = workers.start("extractor", "extract")
    worker.wait_ready()
    review = claim_review(3, claimReviewed="The Eiffel Tower was built for the 1889 World's Fair.", headline="True")
    services.factchecks_import(actor=None, items=parse(dumps(review)).items)
    tower = FactCheck.objects.get(url__endswith="/3")
    quote = "the smoke turned the sky over Sydney orange for a week"
    claim = make_claim(RevisionFactory(text=f"Officials said {quote}."), editor, quote, claim_reviewed="Orange sky")
    # Committed at once (no transaction here): the link's message goes to the worker after its commit.
    matching.same_claim_link(actor=editor, claim=claim, fact_check=tower)
    linked = SameClaim.objects.filter(claim=claim, embedding__isnull=False, embedding_model=MODEL_NAME)
    assert wait_for(linked.exists), workers.output()
    assert linked.get().wording == quote

    search.VECTORS.forget()
    client.force_login(editor)
    results = client.get("/api/fact-checks/similar/", {"text": "Sydney's skies went orange from smoke"}).json()
    assert results["results"][0]["url"] == tower.url
