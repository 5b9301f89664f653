from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotations import roles
from annotations.demo import CLAIM_TEXT
from annotations.models import Activity, Article, Claim, Evidence, Rating, Source, Verdict

pytestmark = pytest.mark.django_db


def counts():
    models = [get_user_model(), Source, Article, Claim, Evidence, Verdict, Rating, Activity]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_loads_everything_once():
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first
    assert first["Article"] == 1 and first["Claim"] == 1 and first["Evidence"] == 1 and first["Rating"] == 7
    printed = out.getvalue()
    for username in ("editor", "reviewer", "admin"):
        assert f"  {username} " in printed


def test_demo_accounts_have_their_roles_and_passwords():
    call_command("load_demo", stdout=StringIO())
    User = get_user_model()
    assert User.objects.get(username="editor").groups.filter(name=roles.EDITORS).exists()
    assert User.objects.get(username="reviewer").has_perm("annotations.review_verdict")
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.has_perm("annotations.manage_sources")
    assert User.objects.get(username="reviewer").check_password("reviewer-demo-2025")


def test_worked_example_is_published_by_the_reviewer():
    call_command("load_demo", stdout=StringIO())
    claim = Claim.objects.get()
    assert claim.exact == CLAIM_TEXT == claim.revision.text[claim.start : claim.end]
    assert claim.article.outlet.kind == Source.Kind.STATE_MEDIA
    evidence = claim.evidence.get()
    assert evidence.source.domain == "sipri.org" and evidence.source.kind == Source.Kind.RESEARCH
    verdict = claim.verdict
    assert verdict.rating.label == "True" and verdict.status == Verdict.Status.PUBLISHED
    assert claim.status == Claim.Status.PUBLISHED and verdict.published_at is not None
    assert "64%" in verdict.explanation
    # Two people, as the workflow wants: the editor wrote it, the reviewer approved and published it.
    assert (verdict.author.username, verdict.reviewer.username) == ("editor", "reviewer")
    steps = list(Activity.objects.filter(verdict=verdict).order_by("pk").values_list("action", "actor__username"))
    assert [s for s in steps if s[0] in ("verdict_submitted", "verdict_approved", "verdict_published")] == [
        ("verdict_submitted", "editor"),
        ("verdict_approved", "reviewer"),
        ("verdict_published", "reviewer"),
    ]


def test_the_public_home_shows_the_worked_example(client):
    call_command("load_demo", stdout=StringIO())
    claim = Claim.objects.get()
    body = client.get("/").content.decode()
    assert "Nothing has been published yet" not in body
    assert "Russia is among the top five arms exporters in the world" in body
    assert f"/fact-checks/{claim.pk}/" in body
    page = client.get(f"/fact-checks/{claim.pk}/")
    assert page.status_code == 200 and "ClaimReview" in page.content.decode()


def test_load_demo_brings_an_older_demo_up_to_date_once(monkeypatch):
    """Data left by the older demo (the example in review) gets published; a second run changes nothing."""
    from annotations import demo

    monkeypatch.setattr(demo, "_publish_worked_example", lambda claim, reviewer: 0)  # what the older demo did
    call_command("load_demo", stdout=StringIO())
    monkeypatch.undo()
    assert Verdict.objects.get().status == Verdict.Status.IN_REVIEW
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert Verdict.objects.get().status == Verdict.Status.PUBLISHED and "1 published" in out.getvalue()
    before = counts()
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert counts() == before and "0 published" in again.getvalue()


def test_load_demo_leaves_a_sent_back_example_as_the_newcomer_left_it():
    from annotations import services

    call_command("load_demo", stdout=StringIO())
    verdict = Verdict.objects.get()
    reviewer = get_user_model().objects.get(username="reviewer")
    services.verdict_unpublish(actor=reviewer, verdict=verdict, reason="Trying the unpublish button.")
    services.verdict_submit(actor=get_user_model().objects.get(username="editor"), verdict=Verdict.objects.get())
    call_command("load_demo", stdout=StringIO())
    assert Verdict.objects.get().status == Verdict.Status.IN_REVIEW  # resubmitted by the newcomer: theirs to review


def test_the_demo_evidence_quote_is_found_in_the_sipri_fact_sheet():
    # The demo quotes with an en dash; the fact sheet's extracted text has a hyphen.
    from annotations.demo import EVIDENCE_QUOTE
    from annotations.quotecheck import check_quote
    from tests.local_server import SOURCE_TEXT

    result = check_quote(SOURCE_TEXT, EVIDENCE_QUOTE)
    assert (result.status, result.differences) == ("found", ())
    assert SOURCE_TEXT[result.start : result.end] == EVIDENCE_QUOTE.replace("–", "-")
