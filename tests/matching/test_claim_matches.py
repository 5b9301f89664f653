"""Repeated claims: each claim's best match among our own published fact-checks of other claims, stored by a worker
and shown in the reader as "Already checked" (never computed at page load)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import jobs, services
from matching import search
from matching import services as matching
from matching.claim_models import REPEAT_THRESHOLD
from matching.embedding import embed_pending
from matching.jobs import MATCH_CLAIM
from matching.models import ClaimMatch, FactCheck
from matching.services import claim_matches
from tests.api_support import make_published
from tests.factories import RevisionFactory, make_claim

from .claims_support import imported, own

pytestmark = pytest.mark.django_db
REPEAT = "Russia is one of the five biggest arms exporters in the world"
OTHER_TEXT = (
    "The minister said on Monday that Russia is one of the five biggest arms exporters in the world. "
    "He added that bananas are radioactive, which is true in a small way."
)


@pytest.fixture
def ours(editor, reviewer, revision, rating):
    """One of our fact-checks ("Russia is among the top five arms exporters", published), with other desks' beside."""
    verdict = make_published(editor, reviewer, revision, rating)
    imported(
        ("The Eiffel Tower was built for the 1889 World's Fair.", "Yes, for the Exposition"),
        ("Vaccines cause autism in children.", "There is no link between vaccines and autism"),
    )
    fact_check = own(verdict)
    embed_pending()
    search.VECTORS.forget()  # a new worker's memory
    return fact_check


@pytest.fixture
def elsewhere(db):
    return RevisionFactory(text=OTHER_TEXT)


def test_a_claim_in_another_article_repeating_one_of_ours_is_matched_to_it(editor, ours, elsewhere):
    claim = make_claim(elsewhere, editor, REPEAT)
    match = claim_matches.claim_match_compute(claim.pk)
    assert match.fact_check == ours and match.score >= REPEAT_THRESHOLD
    stored = ClaimMatch.objects.get(claim=claim)
    assert stored.is_repeat and stored.text == REPEAT and stored.fact_check_id == ours.pk


def test_an_unrelated_claim_is_no_repeat_and_other_desks_checks_are_not_ours(editor, ours, elsewhere):
    claim = make_claim(elsewhere, editor, "bananas are radioactive")
    match = claim_matches.claim_match_compute(claim.pk)
    assert match.fact_check in (None, ours)  # only ours are kept, however the others score
    assert not ClaimMatch.objects.get(claim=claim).is_repeat


def test_a_published_claim_is_not_a_repeat_of_its_own_fact_check(ours):
    match = claim_matches.claim_match_compute(ours.claim_id)
    assert match.fact_check is None and match.score is None and not match.is_repeat


def test_a_current_match_is_kept_and_a_new_statement_is_matched_again(editor, ours, elsewhere, monkeypatch):
    claim = make_claim(elsewhere, editor, REPEAT)
    first = claim_matches.claim_match_compute(claim.pk)
    monkeypatch.setattr(search, "similar", lambda *a, **k: pytest.fail("searched again for the same text"))
    assert claim_matches.claim_match_compute(claim.pk).computed_at == first.computed_at
    monkeypatch.undo()
    services.claim_update(actor=editor, claim=claim, claimant="", claim_reviewed="Bananas are radioactive")
    again = claim_matches.claim_match_compute(claim.pk)
    assert again.text == "Bananas are radioactive" and not again.is_repeat


def test_the_sweep_matches_what_was_never_matched_or_went_stale(editor, ours, elsewhere):
    repeat = make_claim(elsewhere, editor, REPEAT)
    other = make_claim(elsewhere, editor, "bananas are radioactive")
    withdrawn = make_claim(elsewhere, editor, "The minister said on Monday")
    services.claim_withdraw(actor=editor, claim=withdrawn, reason="Not a claim.")
    assert set(claim_matches.claims_to_match()) == {ours.claim_id, repeat.pk, other.pk}
    assert claim_matches.claim_matches_sweep() == 3
    assert claim_matches.claims_to_match() == []
    assert ClaimMatch.objects.get(claim=repeat).is_repeat
    # A statement edited (the message lost), and our corpus changing (a fact-check published since): stale again.
    ClaimMatch.objects.filter(claim=other).update(text="what it said before")
    assert claim_matches.claims_to_match() == [other.pk]
    ours.save()  # updated_at moves, as publishing or correcting another fact-check of ours does
    assert set(claim_matches.claims_to_match()) == {ours.claim_id, repeat.pk, other.pk}
    assert claim_matches.claims_to_match(limit=1) == [max(ours.claim_id, repeat.pk, other.pk)]  # newest first


def test_a_fact_check_leaving_the_corpus_takes_its_matches_along(editor, ours, elsewhere):
    claim = make_claim(elsewhere, editor, REPEAT)
    claim_matches.claim_match_compute(claim.pk)
    ours.delete()  # unpublished
    assert not ClaimMatch.objects.filter(claim=claim).exists()
    assert claim.pk in claim_matches.claims_to_match()


def test_making_a_claim_or_editing_its_statement_queues_its_match_after_commit(
    editor, revision, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(jobs, "send", lambda name, *args, countdown=None: sent.append((name, *args)) or True)
    with django_capture_on_commit_callbacks(execute=True):
        claim = make_claim(revision, editor, "among the top five arms exporters")
    assert sent == [(MATCH_CLAIM, claim.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_update(actor=editor, claim=claim, claimant="Putin", claim_reviewed="Russia exports arms")
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_withdraw(actor=editor, claim=claim, reason="A duplicate.")  # nothing to match again
    assert sent == [(MATCH_CLAIM, claim.pk)] * 2


def test_the_reader_flags_a_repeat_in_its_list_and_panel_at_a_fixed_cost(client, editor, reviewer, ours, elsewhere):
    claim = make_claim(elsewhere, editor, REPEAT)
    plain = make_claim(elsewhere, editor, "bananas are radioactive")
    client.force_login(editor)
    url = f"/articles/{elsewhere.article_id}/"

    def read(address) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(address).content.decode()
        return html, len(captured)

    before, unflagged = read(url)
    assert "Already checked" not in before
    claim_matches.claim_matches_sweep()
    html, flagged = read(url)
    assert flagged == unflagged  # the matches are joined to the claims: no query of their own
    assert html.count("Already checked:") == 1
    assert f"Already checked: {ours.rating_name} by Factcheck Desk" in html
    panel, _ = read(f"{url}?claim={claim.pk}")
    assert 'id="already-checked"' in panel and ours.url in panel
    assert 'id="already-checked-link"' in panel  # one click links it
    assert 'id="already-checked"' not in read(f"{url}?claim={plain.pk}")[0]
    # Linked, it says so instead (and a linked claim is flagged whatever its match).
    matching.same_claim_link(actor=editor, claim=plain, fact_check=FactCheck.objects.get(pk=ours.pk))
    html, linked = read(url)
    assert linked == flagged and "Same claim as: " in html
    assert 'id="same-as-flag"' in read(f"{url}?claim={plain.pk}")[0]


def test_the_reader_never_runs_the_encoder(client, editor, ours, elsewhere, monkeypatch):
    claim = make_claim(elsewhere, editor, REPEAT)
    claim_matches.claim_match_compute(claim.pk)
    monkeypatch.setattr(search, "similar", lambda *a, **k: pytest.fail("the page ran a search"))
    client.force_login(editor)
    assert client.get(f"/articles/{elsewhere.article_id}/?claim={claim.pk}").status_code == 200
    assert client.get(f"/articles/{elsewhere.article_id}/").status_code == 200


def test_beat_sweeps_and_both_tasks_run_on_the_extract_queue(settings):
    from factcheck.celery import app
    from matching import jobs

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule[jobs.MATCH_CLAIMS_SWEEP] == settings.MATCH_SWEEP_EVERY
    names = {jobs.MATCH_CLAIM, jobs.MATCH_CLAIMS_SWEEP}
    app.loader.import_default_modules()  # as a worker does at start: run alone, nothing else imported the tasks
    assert names <= set(app.tasks)
    assert {app.amqp.router.route({}, name)["queue"].name for name in names} == {settings.EXTRACT_QUEUE}


def test_a_wording_linked_to_one_of_ours_makes_the_sweep_find_its_repeats(editor, ours):
    # A claim that says it another way is no repeat until the desk links a claim worded like it to our fact-check:
    # the link moves our corpus, so the sweep matches the claim again, now by the wording.
    said = "Moscow sells more weapons abroad than almost any other nation"
    claim = make_claim(RevisionFactory(text=f"The senator claimed that {said}."), editor, said)
    assert claim_matches.claim_matches_sweep() == 2  # it and our own published claim
    before = ClaimMatch.objects.get(claim=claim)
    assert not before.is_repeat
    wording = "Moscow sells more weapons abroad than nearly every other country"
    linked = make_claim(RevisionFactory(text=f"A post said {wording}."), editor, wording)
    matching.same_claim_link(actor=editor, claim=linked, fact_check=ours)
    embed_pending()
    assert claim.pk in claim_matches.claims_to_match()
    claim_matches.claim_matches_sweep()
    after = ClaimMatch.objects.get(claim=claim)
    assert after.is_repeat and after.fact_check == ours and after.score > before.score
