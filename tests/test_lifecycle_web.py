"""The lifecycle in the web UI: reader panel controls, the public page after unpublishing or correcting, the
corrections list, the review queue's "Article changed" tab, the banner and the inbox."""

import json
import re

import pytest
from django.utils import timezone

from annotations import services
from annotations.models import Activity, Claim, Correction, Evidence, Notification, Verdict

from .factories import ARTICLE_TEXT, make_claim
from .test_lifecycle import published

pytestmark = pytest.mark.django_db

DELETED = ARTICLE_TEXT.replace("Russia continues to be among the top five arms exporters in the world, ", "Russia ")


def reader(client, claim, *, panel=False):
    """The reader of the claim's article, with the claim's panel open if `panel`."""
    return client.get(f"/articles/{claim.article_id}/" + (f"?claim={claim.pk}" if panel else ""))


def ld_json(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


# --- Withdrawn claims ------------------------------------------------------------------------------------------------


def test_withdrawn_claim_leaves_the_highlights_and_the_list_for_its_own_section(client, editor, revision):
    kept = make_claim(revision, editor, "Putin underscored")
    gone = make_claim(revision, editor)
    client.force_login(editor)
    response = client.post(f"/claims/{gone.pk}/withdraw/", {"reason": "Duplicate of the other claim"})
    assert response.status_code == 302
    html = reader(client, gone).content.decode()
    assert f'data-claims="{gone.pk}"' not in html and f'data-claims="{kept.pk}"' in html
    assert 'Claims <span class="muted">(1)</span>' in html
    assert "Withdrawn (1)" in html and "Duplicate of the other claim" in html
    # Its panel still opens, saying who withdrew it and why.
    panel = reader(client, gone, panel=True).content.decode()
    assert 'id="withdrawn-note"' in panel and "Duplicate of the other claim" in panel and "ed" in panel


def test_withdraw_without_a_reason_is_refused_in_the_panel(client, editor, revision):
    claim = make_claim(revision, editor)
    client.force_login(editor)
    response = client.post(f"/claims/{claim.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not Claim.objects.get(pk=claim.pk).is_withdrawn


def test_editor_cannot_withdraw_anothers_claim_on_the_web(client, editor, editor2, revision):
    claim = make_claim(revision, editor)
    client.force_login(editor2)
    assert 'id="withdraw-form"' not in reader(client, claim, panel=True).content.decode()
    response = client.post(f"/claims/{claim.pk}/withdraw/", {"reason": "mine now"})
    assert response.status_code == 403
    assert not Claim.objects.get(pk=claim.pk).is_withdrawn


def test_withdrawn_claims_leave_the_review_queue(client, editor, reviewer, revision, rating):
    claim = make_claim(revision, editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="x")
    services.verdict_submit(actor=editor, verdict=verdict)
    client.force_login(reviewer)
    assert f"?claim={claim.pk}#panel" in client.get("/review/").content.decode()
    services.claim_withdraw(actor=reviewer, claim=claim, reason="Duplicate")
    assert f"?claim={claim.pk}#panel" not in client.get("/review/").content.decode()


def test_reviewer_restores_a_withdrawn_claim(client, editor, reviewer, revision):
    claim = make_claim(revision, editor)
    services.claim_withdraw(actor=editor, claim=claim, reason="Oops")
    client.force_login(reviewer)
    assert 'id="restore-button"' in reader(client, claim, panel=True).content.decode()
    assert client.post(f"/claims/{claim.pk}/restore/").status_code == 302
    assert not Claim.objects.get(pk=claim.pk).is_withdrawn


# --- Evidence --------------------------------------------------------------------------------------------------------


def test_evidence_is_edited_and_removed_from_the_panel(client, editor, revision):
    claim = make_claim(revision, editor)
    evidence = services.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/a", stance="supports")
    client.force_login(editor)
    html = reader(client, claim, panel=True).content.decode()
    assert f'id="evidence-edit-{evidence.pk}"' in html and f'id="evidence-remove-{evidence.pk}"' in html
    prefix = f"evidence-{evidence.pk}-"
    response = client.post(
        f"/evidence/{evidence.pk}/edit/",
        {prefix + "url": "https://www.sipri.org/b", prefix + "stance": "refutes", prefix + "quote": "Third."},
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.url, evidence.stance, evidence.quote) == ("https://www.sipri.org/b", "refutes", "Third.")

    response = client.post(f"/evidence/{evidence.pk}/edit/", {prefix + "url": "ftp://x", prefix + "stance": "refutes"})
    assert response.status_code == 400 and "Enter a valid URL" in response.content.decode()

    assert client.post(f"/evidence/{evidence.pk}/remove/").status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert "https://www.sipri.org/b" in Activity.objects.get(action="evidence_removed").comment


def test_evidence_of_a_submitted_claim_offers_no_controls_and_refuses_with_the_reason(
    client, editor, revision, rating
):
    claim = make_claim(revision, editor)
    evidence = services.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/a", stance="supports")
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="x")
    services.verdict_submit(actor=editor, verdict=verdict)
    client.force_login(editor)
    assert f'id="evidence-edit-{evidence.pk}"' not in reader(client, claim, panel=True).content.decode()
    response = client.post(f"/evidence/{evidence.pk}/remove/", follow=True)
    assert "in review with this evidence" in response.content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


# --- Unpublishing and correcting -------------------------------------------------------------------------------------


def test_unpublished_fact_check_answers_410_with_the_reason_and_leaves_lists_and_feed(
    client, editor, reviewer, reviewer2, revision, rating
):
    verdict = published(editor, reviewer, revision, rating)
    client.force_login(reviewer2)
    response = client.post(
        f"/verdicts/{verdict.pk}/unpublish/", {"reason": "The claim was misattributed.", "version": verdict.version}
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(f"/fact-checks/{verdict.claim_id}/")
    html = page.content.decode()
    assert page.status_code == 410
    assert "This fact-check was withdrawn on" in html and "The claim was misattributed." in html
    assert "SIPRI ranks Russia third" not in html and "application/ld+json" not in html
    assert f"/fact-checks/{verdict.claim_id}/" not in client.get("/fact-checks/").content.decode()
    assert client.get("/api/claimreviews/").json()["count"] == 0
    assert client.get(f"/api/claimreviews/{verdict.claim_id}/").status_code == 404
    # A claim that was never published is still just not found.
    assert client.get(f"/fact-checks/{make_claim(revision, editor, 'Putin underscored').pk}/").status_code == 404


def test_unpublish_form_is_for_non_author_reviewers_only(client, reviewer, reviewer2, editor, revision, rating):
    verdict = published(reviewer, reviewer2, revision, rating)  # written by `reviewer`
    client.force_login(reviewer)
    html = reader(client, verdict.claim, panel=True).content.decode()
    assert 'id="unpublish-form"' not in html and "Two-person rule" in html
    mine = {"reason": "mine", "version": verdict.version}
    assert client.post(f"/verdicts/{verdict.pk}/unpublish/", mine).status_code == 403
    client.force_login(editor)
    assert client.post(f"/verdicts/{verdict.pk}/correct/", {"note": "x"}).status_code == 403
    client.force_login(reviewer2)
    html = reader(client, verdict.claim, panel=True).content.decode()
    assert 'id="unpublish-form"' in html and 'id="correct-form"' in html
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.PUBLISHED


def test_correction_is_shown_on_the_public_page_with_its_date_and_date_modified(
    client, editor, reviewer, revision, rating
):
    verdict = published(editor, reviewer, revision, rating)
    client.force_login(reviewer)
    response = client.post(
        f"/verdicts/{verdict.pk}/correct/",
        {"note": "We misread the share: Russia had 7.8%.", "version": verdict.version, "explanation": "Third, 7.8%."},
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    client.logout()
    html = client.get(f"/fact-checks/{verdict.claim_id}/").content.decode()
    assert "Corrected on" in html and "We misread the share: Russia had 7.8%." in html
    assert correction.created_at.strftime("%-d %B %Y") in html and "Third, 7.8%." in html
    document = ld_json(html)
    assert document["dateModified"] == correction.created_at.isoformat()
    feed = client.get(f"/api/claimreviews/{verdict.claim_id}/").json()
    assert feed["dateModified"] == document["dateModified"]


def test_correction_form_errors_stay_in_the_panel(client, editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    client.force_login(reviewer)
    response = client.post(f"/verdicts/{verdict.pk}/correct/", {"note": "x" * 5001, "version": verdict.version})
    html = response.content.decode()
    assert response.status_code == 400 and "Correction note is at most 5000 characters (5001 given)" in html
    assert 'id="correct-details" open' in html
    stale = client.post(f"/verdicts/{verdict.pk}/correct/", {"note": "late", "version": verdict.version - 1})
    assert stale.status_code == 409 and "late" in stale.content.decode()
    assert not Correction.objects.exists()


def test_public_corrections_list_is_newest_first_and_linked_from_the_index(client, editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    services.verdict_correct(actor=reviewer, verdict=verdict, note="First correction.")
    services.verdict_correct(actor=reviewer, verdict=verdict, note="Second correction.")
    assert 'href="/corrections/"' in client.get("/fact-checks/").content.decode()
    html = client.get("/corrections/").content.decode()
    assert html.index("Second correction.") < html.index("First correction.")
    assert f"/fact-checks/{verdict.claim_id}/#corrections" in html
    services.verdict_unpublish(actor=reviewer, verdict=verdict, reason="Taken down")
    assert "First correction." not in client.get("/corrections/").content.decode()


# --- Article changed: queue tab, banner, decisions, inbox ----------------------------------------------------------


@pytest.fixture
def flagged(editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    services.revision_add(actor=editor, article=revision.article, text=DELETED, origin="pasted")
    services.reanchor_article(article_id=revision.article_id)
    return Verdict.objects.get(pk=verdict.pk)


def test_queue_has_an_article_changed_tab(client, flagged, reviewer2):
    client.force_login(reviewer2)
    html = client.get("/review/").content.decode()
    assert "Article changed" in html
    tab = client.get("/review/?state=article_changed").content.decode()
    assert f"?claim={flagged.claim_id}#panel" in tab
    assert f"?claim={flagged.claim_id}#panel" not in client.get("/review/?state=approved").content.decode()


def test_banner_offers_the_three_decisions_and_keep_clears_the_flag(client, flagged, reviewer2):
    client.force_login(reviewer2)
    html = reader(client, flagged.claim, panel=True).content.decode()
    assert "The article changed since publication" in html and "the claimed sentence is gone" in html
    assert 'id="keep-form"' in html and 'href="#correct-form"' in html and 'href="#unpublish-form"' in html
    response = client.post(
        f"/verdicts/{flagged.pk}/keep/", {"comment": "Only the lead changed.", "version": flagged.version}
    )
    assert response.status_code == 302
    assert Verdict.objects.get(pk=flagged.pk).article_changed_at is None
    assert "The article changed since publication" not in reader(client, flagged.claim, panel=True).content.decode()


def test_the_author_sees_the_banner_but_cannot_decide(client, flagged, editor):
    client.force_login(editor)
    html = reader(client, flagged.claim, panel=True).content.decode()
    assert "The article changed since publication" in html and 'id="keep-form"' not in html
    assert client.post(f"/verdicts/{flagged.pk}/keep/", {"comment": "fine"}).status_code == 403


@pytest.mark.parametrize(
    ("action", "data"),
    [("correct", {"note": "The quote is no longer in the article."}), ("unpublish", {"reason": "Retracted."})],
)
def test_correct_and_unpublish_from_the_banner_clear_the_flag(client, flagged, reviewer2, action, data):
    client.force_login(reviewer2)
    assert client.post(f"/verdicts/{flagged.pk}/{action}/", {**data, "version": flagged.version}).status_code == 302
    assert Verdict.objects.get(pk=flagged.pk).article_changed_at is None


def test_article_changes_are_in_the_inbox_counted_in_the_nav_and_marked_read(client, flagged, editor, reviewer):
    changed = Notification.objects.filter(kind=Notification.Kind.ARTICLE_CHANGED)
    Notification.objects.exclude(pk__in=changed).update(read_at=timezone.now())  # approved, published: not these
    client.force_login(editor)
    home = client.get("/my-verdicts/").content.decode()
    assert re.search(r'id="inbox-link">Inbox <span class="count"[^>]*>1</span>', home)
    assert client.get("/notices/").headers["Location"] == "/inbox/"  # the old page's links land in the inbox
    page = client.get("/inbox/").content.decode()
    assert "A published check&#x27;s article changed" in page
    assert "The article of your published fact-check changed" in page
    mine = changed.get(recipient=editor)
    assert client.post(f"/inbox/{mine.pk}/read/").status_code == 302
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert changed.get(recipient=reviewer).read_at is None  # another user's notification is untouched
    assert client.post(f"/inbox/{changed.get(recipient=reviewer).pk}/read/").status_code in (302, 404)
    assert changed.get(recipient=reviewer).read_at is None
    assert '<span class="count"' not in client.get("/my-verdicts/").content.decode().split("</nav>")[0]


def test_the_django_admin_cannot_rewrite_a_published_verdict_or_a_correction(
    client, editor, reviewer, revision, rating, django_user_model
):
    verdict = published(editor, reviewer, revision, rating)
    correction = services.verdict_correct(actor=reviewer, verdict=verdict, note="Fixed the share.")
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    url = f"/admin/annotations/verdict/{verdict.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"rating": rating.pk, "explanation": "Silently rewritten."})
    assert Verdict.objects.get(pk=verdict.pk).explanation == "SIPRI ranks Russia third."
    assert client.post(f"/admin/annotations/correction/{correction.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Correction.objects.filter(pk=correction.pk).exists()
