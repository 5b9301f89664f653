"""The reader's article column and claim list, kept per worker by the article's row versions (row_versions.py):
whatever writes a row the page shows, by whichever path, the next view shows it."""

import hashlib

import pytest
from django.contrib.auth.models import Group

from annotations import roles, row_versions, services
from annotations.models import Article, ArticleRevision, Claim, Rating, Source
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor, revision):
    return make_claim(revision, editor, "Russia")


def page(client, revision) -> str:
    response = client.get(f"/articles/{revision.article_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_claim_changed_behind_the_services_back_shows_at_once(client, editor, revision, claim):
    client.force_login(editor)
    assert "Arms exports" not in page(client, revision)
    Claim.objects.filter(pk=claim.pk).update(claim_reviewed="Arms exports")  # no signal, no updated_at
    assert "Arms exports" in page(client, revision)


def test_a_new_claim_a_verdict_and_a_withdrawal_each_show_at_once(client, editor, revision, rating, claim):
    client.force_login(editor)
    before = page(client, revision)
    other = make_claim(revision, editor, "Putin")
    assert f"?claim={other.pk}#panel" in page(client, revision) and f"?claim={other.pk}#panel" not in before
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")
    services.verdict_submit(actor=editor, verdict=verdict)
    assert "status-in_review" in page(client, revision)
    services.claim_withdraw(actor=editor, claim=other, reason="Duplicate of the first claim.")
    assert "Duplicate of the first claim." in page(client, revision)


def test_reference_data_the_page_shows_is_part_of_the_stamp(client, editor, reviewer, revision, rating, claim):
    client.force_login(editor)
    outlet = Source.objects.create(name="The Daily Example", domain="daily.example")
    Article.objects.filter(pk=revision.article_id).update(outlet=outlet)
    assert "The Daily Example" in page(client, revision)
    Source.objects.filter(pk=outlet.pk).update(name="The Renamed Example")
    assert "The Renamed Example" in page(client, revision)
    Article.objects.filter(pk=revision.article_id).update(title="A retitled story")
    assert "A retitled story" in page(client, revision)
    stamp = row_versions.reader_stamp(revision.article_id)
    Rating.objects.filter(pk=rating.pk).update(label="Renamed")
    services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")
    assert row_versions.reader_stamp(revision.article_id) != stamp


def test_a_new_revision_is_shown_with_its_number(client, editor, revision):
    client.force_login(editor)
    assert "revision 1 of 1" in page(client, revision)
    text = revision.text + " More."
    ArticleRevision.objects.create(
        article_id=revision.article_id, number=2, text=text, sha256=hashlib.sha256(text.encode()).hexdigest()
    )
    assert "revision 2 of 2" in page(client, revision)


def test_the_toolbar_follows_the_visitors_permissions_not_the_cache(client, editor, revision, claim):
    from django.contrib.auth import get_user_model

    client.force_login(editor)
    assert 'id="claim-button"' in page(client, revision)
    viewer = get_user_model().objects.create_user("viewer", password="x")
    viewer.groups.add(Group.objects.get(name=roles.EDITORS))
    viewer.groups.clear()
    viewer.user_permissions.add(*Group.objects.get(name=roles.EDITORS).permissions.filter(codename="view_article"))
    client.force_login(viewer)
    html = page(client, revision)
    assert 'id="claim-button"' not in html and 'id="claim-form"' not in html
    assert f"?claim={claim.pk}#panel" in html


def test_an_article_that_does_not_exist_is_a_404(client, editor):
    client.force_login(editor)
    assert client.get("/articles/987654/").status_code == 404
    assert row_versions.reader_stamp(987654) is None


def test_permissions_and_role_come_from_one_query_and_follow_group_changes(editor, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    fresh = get_user_model().objects.get(pk=editor.pk)
    with django_assert_num_queries(1):
        assert fresh.has_perm("annotations.add_claim") and not fresh.has_perm("annotations.publish_verdict")
        assert roles.role_of(fresh) == roles.EDITORS
    fresh.groups.add(Group.objects.get(name=roles.REVIEWERS))
    again = get_user_model().objects.get(pk=editor.pk)
    assert again.has_perm("annotations.publish_verdict") and roles.role_of(again) == roles.REVIEWERS
    perm = Group.objects.get(name=roles.ADMINS).permissions.exclude(group__name=roles.REVIEWERS).first()
    again.user_permissions.add(perm)  # a permission of the user's own, as ModelBackend reads them
    assert get_user_model().objects.get(pk=editor.pk).has_perm(f"{perm.content_type.app_label}.{perm.codename}")
