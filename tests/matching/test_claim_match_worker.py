"""A real Celery worker (a separate process on the extract queue) matches a claim once it is made or edited."""

import os
import uuid

import pytest

from annotations import services
from factcheck.celery import app
from matching.embedding import embed_pending
from matching.models import ClaimMatch
from tests.api_support import make_published
from tests.conftest import make_user
from tests.factories import RatingFactory, RevisionFactory, make_claim
from tests.test_capture_worker import Worker, route_tasks, wait_for, worker_database_url

from .claims_support import imported, own

pytestmark = [
    pytest.mark.worker,
    # serialized_rollback as the corpus's other worker tests: a serialized test after one without it would restore
    # the role groups over those the flush's post_migrate made again.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
REPEAT = "Russia is one of the five biggest arms exporters in the world"


@pytest.fixture
def extractor(settings, tmp_path):
    """A worker on a queue of this test's own (so nothing else on the broker reaches it), and this process's
    messages routed to it."""
    queue = f"test-{uuid.uuid4().hex[:8]}-extract"
    configured = app.conf.task_routes
    route_tasks({name: {**route, "queue": queue} for name, route in configured.items()})
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": worker_database_url(), "EXTRACT_QUEUE": queue}
    worker = Worker("matcher", env, tmp_path / "matcher.log", queue, "prefork", 1)
    try:
        worker.wait_ready()
        yield worker
    finally:
        worker.stop()
        route_tasks(configured)


def test_the_worker_flags_a_repeat_and_matches_an_edited_statement_again(extractor, client):
    editor, reviewer = make_user("ed", "Editors"), make_user("rev", "Reviewers")
    ours = own(make_published(editor, reviewer, RevisionFactory(), RatingFactory(label="Mostly true")))
    imported(("Vaccines cause autism in children.", "There is no link between vaccines and autism"))
    embed_pending()
    elsewhere = RevisionFactory(text=f"The minister said on Monday that {REPEAT}. Bananas are radioactive.")

    claim = make_claim(elsewhere, editor, REPEAT)  # committed at once: the message goes to the worker
    assert wait_for(lambda: ClaimMatch.objects.filter(claim=claim).exists(), timeout=90), extractor.output()
    match = ClaimMatch.objects.get(claim=claim)
    assert match.fact_check_id == ours.pk and match.is_repeat, (match.score, extractor.output())
    client.force_login(editor)
    html = client.get(f"/articles/{elsewhere.article_id}/").content.decode()
    assert "Already checked: Mostly true by Factcheck Desk" in html

    services.claim_update(actor=editor, claim=claim, claimant="", claim_reviewed="Bananas are radioactive")
    assert wait_for(lambda: ClaimMatch.objects.get(claim=claim).text == "Bananas are radioactive"), extractor.output()
    assert not ClaimMatch.objects.get(claim=claim).is_repeat
    assert "Already checked" not in client.get(f"/articles/{elsewhere.article_id}/").content.decode()
