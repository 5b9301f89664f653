"""Blind second review in the services and the panel: who may ask for it and rate, the approval that waits for the
rating, the two ratings side by side, and the notifications."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations import services
from annotations.models import Activity, DeskSettings, Notification, SecondReview, Verdict

from .conftest import make_user
from .second_review_support import blind_claim, claim_in_review, other_rating

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def panel(client, claim) -> str:
    return client.get(f"/articles/{claim.article_id}/?claim={claim.pk}").content.decode()


def test_approval_waits_for_the_second_rating_then_the_reviewer_sees_both(
    client, revision, editor, editor2, reviewer, rating
):
    claim = blind_claim(revision, editor, reviewer, editor2, rating)
    verdict = claim.verdict
    with pytest.raises(ValidationError) as refused:
        services.verdict_approve(actor=reviewer, verdict=verdict)
    assert "ed2 has not rated it yet" in str(refused.value)
    second = other_rating(rating)
    services.second_rating_save(actor=editor2, claim=claim, rating=second, explanation="SIPRI says fourth.")
    review = SecondReview.objects.get(claim=claim)
    assert review.rating == second and review.rated_at is not None
    client.force_login(reviewer)
    page = panel(client, claim)
    assert 'id="rating-comparison"' in page and "The two ratings differ" in page
    assert rating.label in page and "Mostly false" in page and "SIPRI says fourth." in page
    approved = services.verdict_approve(actor=reviewer, verdict=verdict)
    assert approved.status == Verdict.Status.APPROVED


def test_the_desk_setting_asks_it_of_every_claim_and_the_claim_switch_overrides_it(
    revision, editor, reviewer, admin_user, rating
):
    with pytest.raises(PermissionDenied):
        services.desk_settings_save(actor=reviewer, blind_second_review=True)
    services.desk_settings_save(actor=admin_user, blind_second_review=True)
    assert DeskSettings.current().blind_second_review is True
    assert Activity.objects.filter(action="desk_settings_changed").count() == 1
    claim = claim_in_review(revision, editor, rating)
    with pytest.raises(ValidationError, match="chooses its second checker"):
        services.verdict_approve(actor=reviewer, verdict=claim.verdict)
    services.second_review_switch(actor=reviewer, claim=claim, required=False)  # waived for this one
    assert services.verdict_approve(actor=reviewer, verdict=claim.verdict).status == Verdict.Status.APPROVED


def test_without_the_setting_nothing_waits(revision, editor, reviewer, rating):
    claim = claim_in_review(revision, editor, rating)
    assert services.verdict_approve(actor=reviewer, verdict=claim.verdict).status == Verdict.Status.APPROVED


def test_who_may_be_the_second_checker(revision, editor, editor2, reviewer, reviewer2, rating):
    claim = claim_in_review(revision, editor, rating)
    services.assign(actor=reviewer, claim=claim, reviewer=reviewer2)
    roleless = make_user("nobody", None)
    for person, words in [
        (editor, "highlighted this claim"),
        (reviewer2, "reviews this claim"),
        (roleless, "their role does not write verdicts"),
        ("ghost", "There is no active user 'ghost'"),
    ]:
        with pytest.raises(ValidationError, match=words):
            services.second_checker_assign(actor=reviewer, claim=claim, checker=person)
    with pytest.raises(PermissionDenied, match="Only reviewers and admins"):
        services.second_checker_assign(actor=editor2, claim=claim, checker=editor2)
    review = services.second_checker_assign(actor=reviewer, claim=claim, checker="ed2")
    assert review.checker == editor2


def test_the_verdicts_editor_cannot_be_the_second_checker(revision, editor, editor2, reviewer, rating):
    claim = claim_in_review(revision, editor, rating)
    services.verdict_request_changes(actor=reviewer, verdict=claim.verdict, comment="Cite SIPRI.")
    services.verdict_save(actor=editor2, claim=claim, rating=rating, explanation="SIPRI ranks it third.", version=None)
    with pytest.raises(ValidationError, match="wrote or edited the first verdict"):
        services.second_checker_assign(actor=reviewer, claim=claim, checker=editor2)


def test_only_the_second_checker_rates_once_and_does_not_approve(
    revision, editor, editor2, reviewer, reviewer2, rating
):
    claim = blind_claim(revision, editor, reviewer, reviewer2, rating)
    with pytest.raises(PermissionDenied, match="Only the second checker"):
        services.second_rating_save(actor=editor2, claim=claim, rating=rating)
    with pytest.raises(ValidationError, match="Choose a rating"):
        services.second_rating_save(actor=reviewer2, claim=claim, rating=None)
    services.second_rating_save(actor=reviewer2, claim=claim, rating=rating)
    with pytest.raises(ValidationError, match="given already"):
        services.second_rating_save(actor=reviewer2, claim=claim, rating=other_rating(rating))
    with pytest.raises(ValidationError, match="given already"):
        services.second_checker_assign(actor=reviewer, claim=claim, checker=editor2)
    with pytest.raises(PermissionDenied, match="another reviewer compares"):
        services.verdict_approve(actor=reviewer2, verdict=claim.verdict)
    assert SecondReview.objects.get(claim=claim).rating == rating


def test_a_rating_off_the_verdicts_scale_is_refused(revision, editor, editor2, reviewer, rating):
    from .factories import RatingFactory, RatingScaleFactory

    claim = blind_claim(revision, editor, reviewer, editor2, rating)
    foreign = RatingFactory(scale=RatingScaleFactory(name="Another scale"))
    with pytest.raises(ValidationError, match="verdict's scale"):
        services.second_rating_save(actor=editor2, claim=claim, rating=foreign)


def test_the_second_checker_and_then_the_reviewer_are_told(revision, editor, editor2, reviewer, rating):
    claim = blind_claim(revision, editor, reviewer, editor2, rating)
    asked = Notification.objects.get(recipient=editor2, kind="second_review")
    assert "asks you for an independent rating" in asked.message and asked.claim == claim
    services.second_rating_save(actor=editor2, claim=claim, rating=rating)
    told = Notification.objects.get(recipient=reviewer, kind="second_review")
    assert "gave the second rating" in told.message
    # The history says that it was rated, never what: the author may still be working on the first verdict.
    given = Activity.objects.get(action="second_rating_given", claim=claim)
    assert rating.label not in given.comment


def test_the_panel_hides_the_first_verdict_from_the_unrated_second_checker(
    client, revision, editor, editor2, reviewer, rating
):
    claim = blind_claim(revision, editor, reviewer, editor2, rating)
    from discussion import services as discussion

    discussion.comment_add(actor=editor, claim=claim, body="I rated it as Rating-in-comment")
    client.force_login(editor2)
    page = panel(client, claim)
    assert 'id="second-rating-form"' in page and 'id="verdict-hidden"' in page
    for leak in ("SIPRI ranks it third.", "Rating-in-comment", "drafted the verdict", "submitted it for review"):
        assert leak not in page
    assert f">{rating.label}</span>" not in page and 'class="verdict"' not in page
    response = client.post(
        f"/claims/{claim.pk}/second-rating/", {"rating": rating.pk, "explanation": "Third, says SIPRI."}, **FETCH
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["message"].startswith("Your rating is saved") and 'id="rating-comparison"' in data["panel"]
    assert "SIPRI ranks it third." in data["panel"] and "The two ratings agree." in data["panel"]
    assert "Rating-in-comment" in panel(client, claim)


def test_a_refused_rating_comes_back_in_the_panel(client, revision, editor, editor2, reviewer, rating):
    claim = blind_claim(revision, editor, reviewer, editor2, rating)
    client.force_login(editor2)
    response = client.post(f"/claims/{claim.pk}/second-rating/", {"rating": "", "explanation": "x"}, **FETCH)
    assert response.status_code == 400
    data = json.loads(response.content)
    assert "This field is required." in data["panel"] and "SIPRI ranks it third." not in data["panel"]
    assert SecondReview.objects.get(claim=claim).rated_at is None


def test_a_reviewer_asks_for_it_and_chooses_the_checker_in_the_panel(
    client, revision, editor, editor2, reviewer, rating
):
    claim = claim_in_review(revision, editor, rating)
    client.force_login(reviewer)
    page = panel(client, claim)
    assert 'id="second-review-form"' in page and '<option value="ed2">ed2</option>' in page
    response = client.post(f"/claims/{claim.pk}/second-review/", {"required": "yes", "checker": "ed2"}, **FETCH)
    data = json.loads(response.content)
    assert response.status_code == 200 and data["message"] == "Second rating settings saved."
    assert "Second checker: <strong>ed2</strong>, not rated yet" in data["panel"]
    review = SecondReview.objects.get(claim=claim)
    assert (review.required, review.checker) == (True, editor2)
    refused = client.post(f"/claims/{claim.pk}/second-review/", {"required": "maybe", "checker": ""}, **FETCH)
    assert refused.status_code == 400 and "'maybe' is not one of" in json.loads(refused.content)["message"]
    wrong = client.post(f"/claims/{claim.pk}/second-review/", {"required": "yes", "checker": "ed"}, **FETCH)
    assert wrong.status_code == 400 and "highlighted this claim" in json.loads(wrong.content)["message"]
    assert SecondReview.objects.get(claim=claim).checker == editor2


def test_editors_cannot_ask_for_second_ratings(client, revision, editor, editor2, rating):
    claim = claim_in_review(revision, editor, rating)
    client.force_login(editor2)
    assert 'id="second-review"' not in panel(client, claim)
    assert client.post(f"/claims/{claim.pk}/second-review/", {"required": "yes"}).status_code == 403
    assert not SecondReview.objects.exists()


def test_the_desk_settings_page_is_for_admins(client, admin_user, reviewer):
    client.force_login(reviewer)
    assert client.get("/desk/settings/").status_code == 403
    client.force_login(admin_user)
    page = client.get("/desk/settings/").content.decode()
    assert 'id="desk-blind"' in page and "checked" not in page.split('id="desk-blind"')[1][:20]
    response = client.post("/desk/settings/", {"blind": "on"})
    assert response.status_code == 302 and DeskSettings.current().blind_second_review is True
    assert 'id="desk-blind" checked' in client.get("/desk/settings/").content.decode()


def test_the_second_checker_cannot_waive_or_hand_on_their_own_rating(
    client, revision, editor, editor2, reviewer, reviewer2, rating
):
    claim = blind_claim(revision, editor, reviewer, reviewer2, rating)
    with pytest.raises(PermissionDenied, match="another reviewer changes"):
        services.second_review_switch(actor=reviewer2, claim=claim, required=False)
    with pytest.raises(PermissionDenied, match="another reviewer changes"):
        services.second_checker_assign(actor=reviewer2, claim=claim, checker=editor2)
    client.force_login(reviewer2)
    page = panel(client, claim)
    assert 'id="second-rating-form"' in page and 'id="second-review-form"' not in page
    response = client.post(f"/claims/{claim.pk}/second-review/", {"required": "no", "checker": ""}, **FETCH)
    assert response.status_code == 400 and "second checker" in json.loads(response.content)["message"]
    assert SecondReview.objects.get(claim=claim).required is True


def test_my_work_lists_the_second_ratings_asked_of_me(client, revision, editor, editor2, reviewer, rating):
    claim = blind_claim(revision, editor, reviewer, editor2, rating)
    client.force_login(editor2)
    page = client.get("/my-work/").content.decode()
    assert 'id="second-ratings"' in page and f"?claim={claim.pk}#panel" in page
    services.second_rating_save(actor=editor2, claim=claim, rating=rating)
    assert 'id="second-ratings"' not in client.get("/my-work/").content.decode()


def test_the_claims_page_and_the_review_queue_keep_the_rating_from_the_second_checker(
    client, revision, editor, editor2, reviewer, reviewer2, rating
):
    claim = blind_claim(revision, editor, reviewer, reviewer2, rating)
    client.force_login(reviewer2)
    claims_page = client.get("/claims/").content.decode()
    assert f"?claim={claim.pk}" in claims_page and "Hidden until you give your second rating" in claims_page
    assert rating.label not in claims_page.split("<tbody>")[1]
    assert f"?claim={claim.pk}" not in client.get(f"/claims/?rating={rating.pk}").content.decode()
    assert f"?claim={claim.pk}" not in client.get("/review/").content.decode()
    exported = json.loads(b"".join(client.get("/claims/export.json").streaming_content))
    assert [row["claim_id"] for row in exported] == [claim.pk] and exported[0]["rating"] is None
    assert "SIPRI ranks it third." not in json.dumps(exported)
    client.force_login(reviewer)
    assert rating.label in client.get("/claims/").content.decode().split("<tbody>")[1]


def test_the_dashboards_agreement_reads_the_ratings_given_here(revision, editor, editor2, reviewer, rating):
    from dashboard.metrics import rating_pairs
    from dashboard.period import Period

    claim = blind_claim(revision, editor, reviewer, editor2, rating)
    assert rating_pairs(Period.last()) == []  # asked, not rated: no pair yet
    second = other_rating(rating)
    services.second_rating_save(actor=editor2, claim=claim, rating=second)
    [pair] = rating_pairs(Period.last())
    assert (pair["first_checker"], pair["second_checker"]) == ("ed", "ed2")
    assert (pair["first"], pair["second"], pair["n"]) == (rating.value, second.value, 1)
