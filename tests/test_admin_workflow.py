"""The Django admin cannot go around the workflow: each bypass of issue 11, tried through the admin's own views.

The admin here is an account with the Admins role (staff through that role), and for the flags a superuser too.
Every post answers 403 (or a form error) with nothing changed, never a 500.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

from annotations import services
from annotations.limits import MAX_NOTE
from annotations.models import Activity, Claim, Evidence, Rating, RoleChange, Source, Verdict

from .conftest import make_user
from .factories import RatingFactory, add_evidence, make_claim

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a-long-Passphrase-42"


def in_review(author, revision, rating, quote="among the top five arms exporters in the world"):
    claim = make_claim(revision, author, quote, claimant="Vladimir Putin")
    add_evidence(claim, author)
    verdict = services.verdict_save(actor=author, claim=claim, rating=rating, explanation="SIPRI ranks it third.")
    return services.verdict_submit(actor=author, verdict=verdict)


def published(author, reviewer, revision, rating):
    verdict = services.verdict_approve(actor=reviewer, verdict=in_review(author, revision, rating))
    return services.verdict_publish(actor=reviewer, verdict=verdict)


@pytest.fixture
def admin_client(client, admin_user):
    assert admin_user.is_staff  # the Admins role opens the Django admin
    client.force_login(admin_user)
    return client


def snapshot(model, pk):
    return {k: v for k, v in model.objects.filter(pk=pk).values()[0].items() if k != "updated_at"}


def test_an_in_review_verdict_cannot_be_edited_in_the_admin_and_the_admin_still_cannot_approve_it(
    admin_client, admin_user, editor, revision, rating
):
    verdict = in_review(admin_user, revision, rating)
    before = snapshot(Verdict, verdict.pk)
    url = f"/admin/annotations/verdict/{verdict.pk}/change/"
    assert admin_client.get(url).status_code == 200  # shown, read-only
    edited = admin_client.post(url, {"rating": rating.pk, "explanation": "Edited in the admin.", "_save": "Save"})
    assert edited.status_code == 403
    assert snapshot(Verdict, verdict.pk) == before
    with pytest.raises(PermissionDenied, match="Two-person rule"):
        services.verdict_approve(actor=admin_user, verdict=verdict)


def test_a_published_verdict_and_claim_cannot_be_rewritten_in_the_admin(
    client, editor, reviewer, revision, rating, django_user_model
):
    verdict = published(editor, reviewer, revision, rating)
    client.force_login(django_user_model.objects.create_superuser("root", password=PASSWORD))
    verdict_before, claim_before = snapshot(Verdict, verdict.pk), snapshot(Claim, verdict.claim_id)
    data = {"rating": rating.pk, "explanation": "Silently rewritten.", "status": "draft", "_save": "Save"}
    assert client.post(f"/admin/annotations/verdict/{verdict.pk}/change/", data).status_code == 403
    data = {"claim_reviewed": "Something else", "claimant": "Someone else", "_save": "Save"}
    assert client.post(f"/admin/annotations/claim/{verdict.claim_id}/change/", data).status_code == 403
    assert client.post(f"/admin/annotations/verdict/{verdict.pk}/delete/", {"post": "yes"}).status_code == 403
    assert snapshot(Verdict, verdict.pk) == verdict_before
    assert snapshot(Claim, verdict.claim_id) == claim_before


def test_anchor_offsets_cannot_be_set_in_the_admin(admin_client, editor, revision):
    claim = make_claim(revision, editor)
    data = {"anchor_start": 0, "anchor_end": 99999999, "anchor_state": "moved", "_save": "Save"}
    assert admin_client.post(f"/admin/annotations/claim/{claim.pk}/change/", data).status_code == 403
    assert Claim.objects.get(pk=claim.pk).anchor_end == claim.anchor_end


def test_evidence_added_through_the_claim_inline_is_refused_not_a_500(admin_client, editor, revision):
    claim = make_claim(revision, editor)
    data = {
        "claimant": "x",
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-0-url": "https://www.sipri.org/inline",
        "evidence-0-stance": "supports",
        "evidence-0-claim": claim.pk,
        "_save": "Save",
    }
    assert admin_client.post(f"/admin/annotations/claim/{claim.pk}/change/", data).status_code == 403
    assert not Evidence.objects.filter(claim=claim).exists()
    assert admin_client.get(f"/admin/annotations/claim/{claim.pk}/change/").status_code == 200


@pytest.mark.parametrize(
    "path", ["activity", "correction", "notification", "capture", "article", "articlerevision", "claim", "verdict"]
)
def test_workflow_records_cannot_be_added_in_the_admin(admin_client, path):
    assert admin_client.post(f"/admin/annotations/{path}/add/", {"_save": "Save"}).status_code == 403


def test_nobody_grants_themselves_superuser_staff_groups_or_a_role_in_the_admin(admin_client, admin_user, editor):
    url = f"/admin/auth/user/{admin_user.pk}/change/"
    editor_group = Group.objects.get(name="Editors")
    data = {
        "username": admin_user.username,
        "email": "adm@example.org",
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [editor_group.pk],
        "user_permissions": [Permission.objects.get(codename="delete_activity").pk],
        "role": "Admins",  # unchanged: the names and e-mail may change
        "_save": "Save",
    }
    assert admin_client.post(url, data).status_code == 302
    me = User.objects.get(pk=admin_user.pk)
    assert me.email == "adm@example.org"
    assert not me.is_superuser and not me.user_permissions.exists()
    assert list(me.groups.values_list("name", flat=True)) == ["Admins"]
    # Their own role is not theirs to change.
    refused = admin_client.post(url, {**data, "role": "Reviewers"})
    assert refused.status_code == 200 and "Nobody changes their own role" in refused.content.decode()
    assert list(User.objects.get(pk=admin_user.pk).groups.values_list("name", flat=True)) == ["Admins"]
    # Nor the groups' permissions.
    data = {"name": "Editors", "permissions": [p.pk for p in Permission.objects.all()], "_save": "Save"}
    assert admin_client.post(f"/admin/auth/group/{editor_group.pk}/change/", data).status_code == 403
    assert not Group.objects.get(name="Editors").permissions.filter(codename="delete_activity").exists()
    assert not RoleChange.objects.filter(actor__isnull=False).exists()


def test_another_accounts_e_mail_cannot_be_changed_in_the_admin(admin_client, admin_user, reviewer, django_user_model):
    """The e-mail is where a password reset goes: setting another account's would take that account over."""
    url = f"/admin/auth/user/{reviewer.pk}/change/"
    before = User.objects.get(pk=reviewer.pk).email
    data = {
        "first_name": "Rita",
        "last_name": "",
        "email": "attacker@example.org",
        "role": "Reviewers",
        "_save": "Save",
    }
    assert admin_client.post(url, data).status_code == 302
    after = User.objects.get(pk=reviewer.pk)
    assert after.email == before and after.first_name == "Rita"
    assert 'name="email"' not in admin_client.get(url).content.decode()
    root = django_user_model.objects.create_superuser("root2", password=PASSWORD, email="root@example.org")
    admin_client.post(f"/admin/auth/user/{root.pk}/change/", {**data, "role": ""})
    root.refresh_from_db()
    assert root.email == "root@example.org" and root.first_name == ""


def test_a_superuser_is_not_managed_through_the_web(admin_client, django_user_model):
    root = django_user_model.objects.create_superuser("root", password=PASSWORD)
    data = {"first_name": "", "last_name": "", "email": "", "role": "Editors", "_save": "Save"}
    refused = admin_client.post(f"/admin/auth/user/{root.pk}/change/", data)
    assert "Superusers are managed from the command line" in refused.content.decode()
    assert not User.objects.get(pk=root.pk).groups.exists()


def test_another_users_password_cannot_be_reset_in_the_admin(admin_client, reviewer):
    url = f"/admin/auth/user/{reviewer.pk}/password/"
    response = admin_client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code in (302, 404)  # no such page: the admin's catch-all sends it elsewhere
    assert not User.objects.get(pk=reviewer.pk).check_password(PASSWORD)
    assert User.objects.get(pk=reviewer.pk).check_password("pw-rev")
    page = admin_client.get(f"/admin/auth/user/{reviewer.pk}/change/").content.decode()
    assert "/password/" not in page and 'name="password' not in page


def create_account(client, username, role):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD, "role": role, "_save": "Save"}
    response = client.post("/admin/auth/user/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(username=username)


def test_a_reviewer_an_admin_creates_cannot_approve_or_publish_that_admins_verdict(
    admin_client, admin_user, reviewer, revision, rating
):
    puppet = create_account(admin_client, "puppet", "Reviewers")
    assert puppet.check_password(PASSWORD) and puppet.has_perm("annotations.review_verdict")
    assert not puppet.is_staff and not puppet.is_superuser
    verdict = in_review(admin_user, revision, rating)
    with pytest.raises(PermissionDenied, match="Two-person rule: adm wrote or edited this verdict and made your"):
        services.verdict_approve(actor=puppet, verdict=verdict)
    # Through the web too, and the panel says why instead of offering the button.
    client = type(admin_client)()
    client.force_login(puppet)
    posted = client.post(f"/verdicts/{verdict.pk}/approve/", {"confirm": "on", "version": verdict.version})
    assert posted.status_code == 403
    panel = client.get(f"/articles/{verdict.claim.article_id}/?claim={verdict.claim_id}").content.decode()
    assert 'id="approve-form"' not in panel and "made your account or gave it its role" in panel
    # Another reviewer approves; the puppet may not publish it either.
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    with pytest.raises(PermissionDenied, match="Two-person rule"):
        services.verdict_publish(actor=puppet, verdict=verdict)
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.APPROVED
    verdict = services.verdict_publish(actor=reviewer, verdict=verdict)
    for refused in (services.verdict_unpublish, services.verdict_correct):
        reason = {"reason": "No."} if refused is services.verdict_unpublish else {"note": "No."}
        with pytest.raises(PermissionDenied, match="Two-person rule"):
            refused(actor=puppet, verdict=verdict, **reason)


def test_a_role_given_later_and_an_account_made_by_the_admins_second_account_count_too(
    admin_client, admin_user, editor, revision, rating
):
    # The admin promotes an existing editor, and makes a second admin who makes a third account.
    url = f"/admin/auth/user/{editor.pk}/change/"
    data = {"first_name": "", "last_name": "", "email": "", "role": "Admins", "_save": "Save"}
    assert admin_client.post(url, data).status_code == 302
    promoted = User.objects.get(pk=editor.pk)
    assert promoted.is_staff and promoted.groups.get().name == "Admins"
    second = type(admin_client)()
    second.force_login(promoted)
    third = create_account(second, "third", "Reviewers")
    verdict = in_review(admin_user, revision, rating)
    for account in (promoted, third):
        with pytest.raises(PermissionDenied, match="Two-person rule: adm wrote"):
            services.verdict_approve(actor=account, verdict=verdict)


def test_an_unrelated_reviewer_still_reviews_and_the_created_reviewer_reviews_others(
    admin_client, admin_user, editor, reviewer, revision, rating
):
    puppet = create_account(admin_client, "puppet", "Reviewers")
    editors_verdict = in_review(editor, revision, rating)
    assert services.verdict_approve(actor=puppet, verdict=editors_verdict).status == Verdict.Status.APPROVED
    admins_verdict = in_review(admin_user, revision, rating, quote="military products")
    assert services.verdict_approve(actor=reviewer, verdict=admins_verdict).status == Verdict.Status.APPROVED


def test_every_role_change_is_logged_with_its_subject_and_listed_for_the_other_admins(
    admin_client, admin_user, editor
):
    puppet = create_account(admin_client, "puppet", "Reviewers")
    url = f"/admin/auth/user/{editor.pk}/change/"
    base = {"first_name": "", "last_name": "", "email": "", "_save": "Save"}
    assert admin_client.post(url, {**base, "role": "Reviewers"}).status_code == 302
    assert admin_client.post(url, {**base, "role": ""}).status_code == 302
    assert not User.objects.get(pk=editor.pk).groups.exists()
    logged = Activity.objects.filter(subject__isnull=False, actor__isnull=False).order_by("id")
    assert [(a.actor_id, a.action, a.subject_id, a.from_state, a.to_state) for a in logged] == [
        (admin_user.pk, "account_created", puppet.pk, "", "Reviewers"),
        (admin_user.pk, "role_granted", puppet.pk, "", "Reviewers"),
        (admin_user.pk, "role_granted", editor.pk, "Editors", "Reviewers"),
        (admin_user.pk, "role_removed", editor.pk, "Reviewers", ""),
    ]
    other_admin = make_user("adm2", "Admins")
    client = type(admin_client)()
    client.force_login(other_admin)
    listing = client.get("/admin/annotations/rolechange/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert '<td class="field-subject nowrap">ed</td>' in page and "role_removed" in page and ">puppet<" in page
    # The log itself cannot be edited, there or in SQL.
    entry = logged.last()
    assert client.post(f"/admin/annotations/rolechange/{entry.pk}/change/", {"comment": "x"}).status_code == 403
    with pytest.raises(Exception, match="append-only"):
        Activity.objects.filter(pk=entry.pk).update(subject=other_admin)


def test_editors_and_reviewers_do_not_get_into_the_admin(client, editor, reviewer):
    for user in (editor, reviewer):
        assert not user.is_staff
        client.force_login(user)
        assert client.get("/admin/auth/user/").status_code == 302  # to the admin's login


def test_sources_stay_editable_in_the_admin_through_the_registrys_rules(admin_client, admin_user):
    data = {"name": "SIPRI", "domain": "https://www.SIPRI.org/x", "kind": "research", "reliability": "high"}
    assert admin_client.post("/admin/annotations/source/add/", {**data, "_save": "Save"}).status_code == 302
    source = Source.objects.get()
    assert source.domain == "sipri.org"
    assert Activity.objects.filter(action="source_created", actor=admin_user).exists()
    bad = admin_client.post("/admin/annotations/source/add/", {**data, "domain": "not a domain", "_save": "Save"})
    assert bad.status_code == 200 and "is not a domain name" in bad.content.decode()


def test_role_changes_from_the_command_line_are_logged_without_an_actor(db):
    user = make_user("newcomer", None)
    services.role_assign(user=user, role="Reviewers")
    entry = Activity.objects.get(action="role_granted", subject=user)
    assert entry.actor is None and entry.comment == "from the command line" and entry.to_state == "Reviewers"
    assert services.sponsors_of(user) == set()


def test_the_account_pages_render_and_bad_input_is_a_form_error(admin_client, editor):
    for url in ("/admin/", "/admin/auth/user/", "/admin/auth/user/add/", f"/admin/auth/user/{editor.pk}/change/"):
        assert admin_client.get(url).status_code == 200, url
    data = {"username": "ed", "password1": "short", "password2": "short", "role": "Reviewers", "_save": "Save"}
    refused = admin_client.post("/admin/auth/user/add/", data)
    page = refused.content.decode()
    assert refused.status_code == 200 and "A user with that username already exists." in page
    assert "This password is too short." in page
    data = {**data, "username": "new", "password1": PASSWORD, "password2": PASSWORD + "x"}
    assert "The two passwords differ." in admin_client.post("/admin/auth/user/add/", data).content.decode()
    data = {**data, "password2": PASSWORD, "role": "Superusers"}
    assert "Select a valid choice." in admin_client.post("/admin/auth/user/add/", data).content.decode()
    assert not User.objects.filter(username="new").exists()


def test_a_superuser_cannot_mint_an_api_token_for_someone_else_in_the_admin(client, editor):
    from knox.models import AuthToken

    root = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    response = client.post(
        "/admin/knox/authtoken/add/", {"user": editor.pk, "expiry_0": "2030-01-01", "expiry_1": "00:00:00"}
    )
    assert response.status_code == 403
    assert not AuthToken.objects.filter(user=editor).exists()
    _instance, token = AuthToken.objects.create(user=editor)
    assert token not in client.get("/admin/knox/authtoken/").content.decode()  # digests only, never the token
    digest = AuthToken.objects.get(user=editor).digest
    revoked = client.post(f"/admin/knox/authtoken/{digest}/delete/", {"post": "yes"})
    assert revoked.status_code == 302 and not AuthToken.objects.filter(user=editor).exists()


def test_evidence_has_no_admin_page_of_its_own_and_a_claims_deletion_is_refused(admin_client, editor, revision):
    claim = make_claim(revision, editor)
    evidence = add_evidence(claim, editor)
    assert admin_client.get("/admin/annotations/evidence/").status_code == 404
    assert admin_client.get(f"/admin/annotations/evidence/{evidence.pk}/change/").status_code == 404
    assert admin_client.post(f"/admin/annotations/claim/{claim.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_source_that_evidence_cites_cannot_be_deleted_in_the_admin(admin_client, admin_user, editor, revision):
    source = services.source_save(actor=admin_user, name="SIPRI", domain="sipri.org")
    evidence = add_evidence(make_claim(revision, editor), editor, url="https://www.sipri.org/x")
    assert evidence.source == source
    assert admin_client.post(f"/admin/annotations/source/{source.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Evidence.objects.get(pk=evidence.pk).source == source
    unused = services.source_save(actor=admin_user, name="Other", domain="other.org")
    assert admin_client.post(f"/admin/annotations/source/{unused.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Source.objects.filter(pk=unused.pk).exists()


def test_a_sources_notes_are_limited_in_the_admin_as_by_the_registry(admin_client):
    data = {"name": "SIPRI", "domain": "sipri.org", "kind": "research", "reliability": "high", "_save": "Save"}
    long_notes = admin_client.post("/admin/annotations/source/add/", {**data, "notes": "n" * (MAX_NOTE + 1)})
    assert long_notes.status_code == 200 and not Source.objects.exists()


def test_the_label_of_a_rating_that_a_verdict_carries_cannot_be_changed_in_the_admin(
    admin_client, admin_user, revision, rating
):
    in_review(admin_user, revision, rating)
    unused = RatingFactory(scale=rating.scale)
    data = {"name": rating.scale.name, "ratings-TOTAL_FORMS": "2", "ratings-INITIAL_FORMS": "2", "_save": "Save"}
    for index, row in enumerate((rating, unused)):
        prefix = f"ratings-{index}-"
        data |= {prefix + "id": row.pk, prefix + "scale": rating.scale.pk, prefix + "position": row.position}
        data |= {prefix + "label": f"{row.label} (renamed)", prefix + "value": row.value, prefix + "description": ""}
    url = f"/admin/annotations/ratingscale/{rating.scale.pk}/change/"
    refused = admin_client.post(url, data)
    assert refused.status_code == 200 and "cannot change" in refused.content.decode()
    assert Rating.objects.get(pk=rating.pk).label == rating.label
    data["ratings-0-label"] = rating.label  # only the unused rating renamed
    assert admin_client.post(url, data).status_code == 302
    assert Rating.objects.get(pk=unused.pk).label == f"{unused.label} (renamed)"
