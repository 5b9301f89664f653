"""Every form and API call that changes an existing verdict must say which version it read (the conflict check)."""

import pytest

from annotations import services
from annotations.models import Verdict

from .api_support import client_for, make_claim, make_published

pytestmark = pytest.mark.django_db
MISSING = "version: this form came without the version of the verdict you read"


@pytest.fixture
def draft(editor, revision, rating):
    claim = make_claim(editor, revision, claim_reviewed="Russia is a top-five arms exporter")
    services.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/x", stance="supports", quote="q")
    return services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="First.")


def test_a_verdict_save_without_version_no_longer_overwrites_a_newer_edit(client, editor, editor2, draft, rating):
    services.verdict_save(actor=editor2, claim=draft.claim, rating=rating, explanation="Newer.", version=1)
    client.force_login(editor)
    response = client.post(f"/claims/{draft.claim_id}/verdict/", {"rating": rating.pk, "explanation": "Older."})
    assert response.status_code == 400
    assert MISSING in response.content.decode()
    assert Verdict.objects.get().explanation == "Newer."


def test_the_first_verdict_save_needs_no_version(client, editor, revision, rating):
    claim = make_claim(editor, revision)
    client.force_login(editor)
    response = client.post(f"/claims/{claim.pk}/verdict/", {"rating": rating.pk, "explanation": "First."})
    assert response.status_code == 302
    assert Verdict.objects.get().version == 1


@pytest.mark.parametrize("action", ["submit", "approve", "request-changes", "publish"])
def test_transitions_without_version_are_refused(client, editor, reviewer, draft, action):
    if action != "submit":
        draft = services.verdict_submit(actor=editor, verdict=draft)
    if action == "publish":
        draft = services.verdict_approve(actor=reviewer, verdict=draft)
    client.force_login(editor if action == "submit" else reviewer)
    response = client.post(f"/verdicts/{draft.pk}/{action}/", {"comment": "c", "confirm": "on"})
    assert response.status_code == 400
    assert MISSING in response.content.decode()
    assert Verdict.objects.get().status == draft.status


@pytest.mark.parametrize(
    ("action", "data"), [("unpublish", {"reason": "Retracted."}), ("correct", {"note": "Russia had 7.8%."})]
)
def test_lifecycle_forms_without_version_are_refused(client, editor, reviewer, revision, rating, action, data):
    verdict = make_published(editor, reviewer, revision, rating)
    client.force_login(reviewer)
    response = client.post(f"/verdicts/{verdict.pk}/{action}/", data)
    assert response.status_code == 400
    assert MISSING in response.content.decode()
    after = Verdict.objects.get()
    assert after.version == verdict.version and after.status == Verdict.Status.PUBLISHED


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("unpublish", {"reason": "Retracted."}),
        ("correct", {"note": "Russia had 7.8%."}),
    ],
)
def test_api_lifecycle_actions_without_version_are_400_naming_it(editor, reviewer, revision, rating, action, data):
    verdict = make_published(editor, reviewer, revision, rating)
    response = client_for(reviewer).post(f"/api/verdicts/{verdict.pk}/{action}/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {"version": ["This field is required."]}
    assert Verdict.objects.get().status == Verdict.Status.PUBLISHED


def test_api_edit_without_version_is_400(editor, draft, rating):
    response = client_for(editor).patch(
        f"/api/verdicts/{draft.pk}/", {"rating": rating.pk, "explanation": "x"}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["version"]
