"""Articles that change under a published fact-check: the flag, the inbox notifications, and the desk's three
decisions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.models import Activity, Notification, NotificationPreference, Verdict

from .factories import ARTICLE_TEXT, add_evidence, make_claim
from .test_lifecycle import published

pytestmark = pytest.mark.django_db

DELETED = ARTICLE_TEXT.replace("Russia continues to be among the top five arms exporters in the world, ", "Russia ")
EDITED = ARTICLE_TEXT.replace("top five", "top three")


def told(verdict=None):
    notifications = Notification.objects.filter(kind=Notification.Kind.ARTICLE_CHANGED)
    return notifications.filter(claim_id=verdict.claim_id) if verdict else notifications


def new_text(actor, article, text):
    services.revision_add(actor=actor, article=article, text=text, origin="pasted")
    return services.reanchor_article(article_id=article.pk)


def test_orphaned_published_claim_is_flagged_and_author_and_reviewer_are_told(editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    result = new_text(editor, revision.article, DELETED)
    assert result.flagged == 1
    verdict.refresh_from_db()
    assert verdict.article_change == "orphaned" and verdict.article_changed_at is not None
    assert verdict.status == Verdict.Status.PUBLISHED  # nothing changes for readers until a reviewer decides
    notices = told(verdict)
    assert {n.recipient for n in notices} == {editor, reviewer}
    assert all(n.message.startswith("The article of your published fact-check changed") for n in notices)
    assert all("the claimed sentence is gone" in n.message and n.read_at is None for n in notices)
    assert Activity.objects.get(verdict=verdict, action="article_changed").to_state == "orphaned"


def test_changed_published_claim_is_flagged_with_the_new_wording(editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    new_text(editor, revision.article, EDITED)
    verdict.refresh_from_db()
    assert verdict.article_change == "changed"
    assert "top three" in told(verdict).first().message


def test_unpublished_claims_are_not_flagged(editor, reviewer, revision, rating):
    claim = make_claim(revision, editor)
    add_evidence(claim, editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="x")
    verdict = services.verdict_approve(actor=reviewer, verdict=services.verdict_submit(actor=editor, verdict=verdict))
    assert new_text(editor, revision.article, DELETED).flagged == 0
    verdict.refresh_from_db()
    assert verdict.article_changed_at is None and not told().exists()


def test_a_moved_published_claim_is_not_flagged(editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    assert new_text(editor, revision.article, "MOSCOW, May 12. " + ARTICLE_TEXT).flagged == 0
    verdict.refresh_from_db()
    assert verdict.article_changed_at is None and not told().exists()


def test_flagging_is_idempotent(editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    new_text(editor, revision.article, DELETED)
    counts = (told().count(), Activity.objects.count())
    flagged_at = Verdict.objects.get(pk=verdict.pk).article_changed_at
    assert services.reanchor_article(article_id=revision.article_id).flagged == 0
    assert (told().count(), Activity.objects.count()) == counts
    # A later revision that leaves it as it was flags nothing new either.
    assert new_text(editor, revision.article, DELETED + "\n\nUpdated.").flagged == 0
    assert told().count() == counts[0]
    assert Verdict.objects.get(pk=verdict.pk).article_changed_at == flagged_at


def test_flagging_costs_the_same_queries_for_one_and_three_published_claims(editor, reviewer, rating):
    def article_with_published(n, url):
        sentences = [f"Statement number {i} concerns topic {i * 7919 % 1000} in detail." for i in range(n)]
        result = services.article_import(actor=editor, title="T", text=" ".join(sentences), origin="pasted", url=url)
        for sentence in sentences:
            published(editor, reviewer, result.revision, rating, quote=sentence[:-1])
        services.revision_add(actor=editor, article=result.article, text="Everything was retracted.", origin="pasted")
        return result.article

    def queries(article):
        with CaptureQueriesContext(connection) as captured:
            assert services.reanchor_article(article_id=article.pk).flagged == article.claims.count()
        return len(captured)

    one, three = article_with_published(1, "https://a.example/1"), article_with_published(3, "https://a.example/3")
    assert queries(one) == queries(three)


# --- The desk's decisions --------------------------------------------------------------------------------------------


@pytest.fixture
def flagged(editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    new_text(editor, revision.article, DELETED)
    return Verdict.objects.get(pk=verdict.pk)


def test_keep_clears_the_flag_with_a_comment(flagged, reviewer2):
    verdict = services.verdict_keep(actor=reviewer2, verdict=flagged, comment="Only the lead was rewritten.")
    verdict.refresh_from_db()
    assert verdict.article_changed_at is None and verdict.article_change == ""
    assert verdict.status == Verdict.Status.PUBLISHED
    entry = Activity.objects.get(verdict=verdict, action="article_change_kept")
    assert (entry.actor, entry.from_state, entry.comment) == (reviewer2, "orphaned", "Only the lead was rewritten.")


def test_keep_needs_a_comment_and_a_flag(flagged, reviewer2):
    with pytest.raises(ValidationError) as error:
        services.verdict_keep(actor=reviewer2, verdict=flagged, comment="")
    assert "comment" in error.value.message_dict
    services.verdict_keep(actor=reviewer2, verdict=flagged, comment="Fine.")
    with pytest.raises(ValidationError, match="has not changed"):
        services.verdict_keep(actor=reviewer2, verdict=flagged, comment="Fine.")


def test_the_author_cannot_decide_and_editors_cannot_either(flagged, editor, editor2):
    for actor in (editor, editor2):
        with pytest.raises(PermissionDenied):
            services.verdict_keep(actor=actor, verdict=flagged, comment="Fine.")
    assert Verdict.objects.get(pk=flagged.pk).article_changed_at is not None


def test_a_kept_fact_check_is_not_flagged_again_until_its_anchoring_changes(flagged, editor, reviewer2, revision):
    services.verdict_keep(actor=reviewer2, verdict=flagged, comment="The outlet only trimmed the lead.")
    notices = told().count()
    assert new_text(editor, revision.article, DELETED + "\n\nUpdated.").flagged == 0
    assert Verdict.objects.get(pk=flagged.pk).article_changed_at is None and told().count() == notices
    # The quote comes back, then goes again: that is a new change.
    new_text(editor, revision.article, ARTICLE_TEXT + "\n\nRestored.")
    assert new_text(editor, revision.article, DELETED + "\n\nGone again.").flagged == 1
    assert told().count() == notices + 2


def test_correct_clears_the_flag(flagged, reviewer2):
    services.verdict_correct(actor=reviewer2, verdict=flagged, note="The article no longer carries the quote.")
    assert Verdict.objects.get(pk=flagged.pk).article_changed_at is None


def test_unpublish_clears_the_flag(flagged, reviewer2):
    services.verdict_unpublish(actor=reviewer2, verdict=flagged, reason="The outlet retracted the claim.")
    verdict = Verdict.objects.get(pk=flagged.pk)
    assert verdict.article_changed_at is None and verdict.status == Verdict.Status.CHANGES_REQUESTED


def test_article_changed_notifications_are_read_only_by_their_owner(flagged, editor, reviewer):
    mine = told(flagged).get(recipient=editor)
    assert services.notification_read(actor=reviewer, notification_id=mine.pk) == 0
    assert Notification.objects.get(pk=mine.pk).read_at is None
    assert services.notification_read(actor=editor, notification_id=mine.pk) == 1
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert services.notification_read(actor=reviewer) == 1


def test_who_muted_article_changes_is_not_told(editor, reviewer, revision, rating):
    verdict = published(editor, reviewer, revision, rating)
    muted = [Notification.Kind.ARTICLE_CHANGED]
    services.notification_preference_save(actor=reviewer, muted_kinds=muted, email="immediate")
    new_text(editor, revision.article, DELETED)
    assert [n.recipient for n in told(verdict)] == [editor]
    assert NotificationPreference.objects.get(user=reviewer).muted_kinds == ["article_changed"]
