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


def test_worked_example_is_waiting_for_review():
    call_command("load_demo", stdout=StringIO())
    claim = Claim.objects.get()
    assert claim.exact == CLAIM_TEXT == claim.revision.text[claim.start : claim.end]
    assert claim.article.outlet.kind == Source.Kind.STATE_MEDIA
    evidence = claim.evidence.get()
    assert evidence.source.domain == "sipri.org" and evidence.source.kind == Source.Kind.RESEARCH
    verdict = claim.verdicts.get()
    assert verdict.rating.label == "True" and verdict.status == Verdict.Status.IN_REVIEW
    assert "64%" in verdict.explanation


def test_the_demo_evidence_quote_is_found_in_the_sipri_fact_sheet():
    # The demo quotes with an en dash; the fact sheet's extracted text has a hyphen.
    from annotations.demo import EVIDENCE_QUOTE
    from annotations.quotecheck import check_quote
    from tests.local_server import SOURCE_TEXT

    result = check_quote(SOURCE_TEXT, EVIDENCE_QUOTE)
    assert (result.status, result.differences) == ("found", ())
    assert SOURCE_TEXT[result.start : result.end] == EVIDENCE_QUOTE.replace("–", "-")
