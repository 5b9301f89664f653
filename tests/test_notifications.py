"""Notifications: who the services tell of which event, once; the inbox and settings pages; email sent once
through a real local SMTP server (the worker's side is in test_notification_worker.py)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from annotations import services
from annotations.models import Notification, NotificationPreference
from annotations.services import notifications

from .factories import RevisionFactory, add_evidence, make_claim
from .test_api_tokens import smtp_server, wait_for_mail  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def claims_on(editor, count: int):
    words = [f"w{i:03d}" for i in range(count)]
    revision = RevisionFactory(text=" ".join(words))
    return [make_claim(revision, editor, word) for word in words]


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_assigning_tells_the_new_checker_and_reviewer_once_and_never_the_assigner(editor, reviewer, reviewer2):
    (claim,) = claims_on(editor, 1)
    services.assign(actor=reviewer, claim=claim, checker=editor, reviewer=reviewer2)
    services.assign(actor=reviewer, claim=claim, checker=editor, reviewer=reviewer2)  # nothing changes: no event
    assert kinds_of(editor) == [Kind.ASSIGNED] and kinds_of(reviewer2) == [Kind.ASSIGNED]
    assert kinds_of(reviewer) == []
    told = Notification.objects.get(recipient=editor)
    assert told.message.startswith("rev asked you to check the claim") and told.claim == claim
    assert told.actor == reviewer and told.article == claim.article
    services.assign(actor=reviewer, claim=claim, reviewer=None)
    assert Notification.objects.count() == 2  # taking someone off tells nobody
    services.take(actor=reviewer2, claim=claims_on(editor, 1)[0])
    assert kinds_of(reviewer2) == [Kind.ASSIGNED]  # nobody is told of what they did


def test_the_verdict_lifecycle_tells_the_reviewer_and_the_checker(editor, editor2, reviewer, admin_user, rating):
    (claim,) = claims_on(editor, 1)
    add_evidence(claim, editor)
    services.assign(actor=admin_user, claim=claim, checker=editor2, reviewer=reviewer)
    Notification.objects.all().delete()
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Because.")
    services.verdict_submit(actor=editor, verdict=verdict)
    assert kinds_of(reviewer) == [Kind.REVIEW_REQUESTED]
    assert "ed submitted the verdict on" in Notification.objects.get(recipient=reviewer).message
    services.verdict_request_changes(actor=reviewer, verdict=verdict, comment="Add a source.")
    assert kinds_of(editor) == [Kind.SENT_BACK] and kinds_of(editor2) == [Kind.SENT_BACK]
    assert "Add a source." in Notification.objects.get(recipient=editor).message
    services.verdict_submit(actor=editor, verdict=verdict)
    assert kinds_of(reviewer) == [Kind.REVIEW_REQUESTED, Kind.REVIEW_REQUESTED]  # each submission is an event
    services.verdict_approve(actor=reviewer, verdict=verdict)
    services.verdict_publish(actor=reviewer, verdict=verdict)
    assert kinds_of(editor) == [Kind.APPROVED, Kind.PUBLISHED, Kind.SENT_BACK]
    assert kinds_of(editor2) == [Kind.APPROVED, Kind.PUBLISHED, Kind.SENT_BACK]
    services.verdict_unpublish(actor=reviewer, verdict=verdict, reason="A source moved.")  # a send-back too
    assert kinds_of(editor).count(Kind.SENT_BACK) == 2


def test_a_kind_turned_off_is_not_notified(editor, reviewer):
    services.notification_preference_save(actor=editor, muted_kinds=[Kind.ASSIGNED], email="off")
    (claim,) = claims_on(editor, 1)
    services.assign(actor=reviewer, claim=claim, checker=editor)
    assert kinds_of(editor) == []


def test_due_reminders_come_once_per_assignment_and_due_date(editor, reviewer):
    today = timezone.localdate()
    tomorrow, soon, today_claim, late = claims_on(editor, 4)
    services.assign(actor=reviewer, claim=tomorrow, checker=editor, due=today + datetime.timedelta(days=1))
    services.assign(actor=reviewer, claim=soon, checker=editor, due=today + datetime.timedelta(days=5))
    services.assign(actor=reviewer, claim=today_claim, checker=editor, due=today)
    services.assign(actor=reviewer, claim=late, checker=editor, reviewer=reviewer)
    from annotations.models import Assignment

    Assignment.objects.filter(claim=late).update(due=today - datetime.timedelta(days=1))
    Notification.objects.all().delete()
    assert notifications.remind_due() == 3  # the checker twice, the late one's reviewer once
    assert notifications.remind_due() == 0
    assert kinds_of(editor) == [Kind.DUE_SOON, Kind.OVERDUE] and kinds_of(reviewer) == [Kind.OVERDUE]


# --- Pages ---------------------------------------------------------------------------------------------------------


def test_the_inbox_badge_list_and_marking_read(client, editor, reviewer):
    first, second = claims_on(editor, 2)
    services.assign(actor=reviewer, claim=first, checker=editor)
    services.assign(actor=reviewer, claim=second, checker=editor)
    client.force_login(editor)
    page = client.get("/inbox/").content.decode()
    assert 'id="inbox-link">Inbox <span class="count" title="2 unread">2</span>' in page
    assert page.count("rev asked you to check") == 2
    one = Notification.objects.filter(recipient=editor).first()
    opened = client.post(f"/inbox/{one.pk}/read/", {"open": "1"})
    assert opened.status_code == 302 and f"claim={one.claim_id}" in opened["Location"]
    assert 'title="1 unread">1</span>' in client.get("/inbox/").content.decode()
    client.post("/inbox/read/")
    assert not Notification.objects.filter(recipient=editor, read_at__isnull=True).exists()
    assert 'title="1 unread"' not in client.get("/inbox/").content.decode()


def test_nobody_marks_someone_else_s_notifications_read(client, editor, editor2, reviewer):
    (claim,) = claims_on(editor, 1)
    services.assign(actor=reviewer, claim=claim, checker=editor)
    client.force_login(editor2)
    client.post(f"/inbox/{Notification.objects.get().pk}/read/")
    client.post("/inbox/read/")
    assert Notification.objects.get().read_at is None


def test_marking_read_needs_the_csrf_token(editor, reviewer):
    (claim,) = claims_on(editor, 1)
    services.assign(actor=reviewer, claim=claim, checker=editor)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post("/inbox/read/").status_code == 403
    assert Notification.objects.get().read_at is None


def test_the_settings_page_turns_kinds_off_and_chooses_the_digest(client, editor):
    client.force_login(editor)
    page = client.get("/inbox/settings/").content.decode()
    assert page.count('name="kinds"') == len(Kind.values) and page.count("checked") == len(Kind.values) + 1
    on = [kind for kind in Kind.values if kind != Kind.APPROVED]
    assert client.post("/inbox/settings/", {"kinds": on, "email": "digest"}).status_code == 302
    preference = NotificationPreference.objects.get(user=editor)
    assert preference.muted_kinds == [Kind.APPROVED] and preference.email == "digest"


# --- Email (the service, through a real SMTP server) -----------------------------------------------------------------


def email_notification(editor, reviewer):
    editor.email = "ed@desk.example"
    editor.save()
    (claim,) = claims_on(editor, 1)
    services.assign(actor=reviewer, claim=claim, checker=editor)
    return Notification.objects.get(recipient=editor)


def test_an_email_is_sent_once_however_often_the_send_runs(editor, reviewer, smtp_server):
    notification = email_notification(editor, reviewer)
    assert notifications.notification_email_send(notification.pk) == "sent"
    assert notifications.notification_email_send(notification.pk) == "skipped"
    (recipients, message), *others = wait_for_mail(smtp_server)
    assert recipients == ["ed@desk.example"] and others == []
    assert "Subject: [Factcheck] Assigned to you" in message and "rev asked you to check" in message
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_refused_send_leaves_the_notification_for_the_retry(editor, reviewer, smtp_server):
    import smtplib

    notification = email_notification(editor, reviewer)
    handle = smtp_server.handle_DATA

    async def refuse(server, session, envelope):
        return "451 Try again later"

    smtp_server.handle_DATA = refuse
    with pytest.raises(smtplib.SMTPDataError):
        notifications.notification_email_send(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    smtp_server.handle_DATA = handle
    assert notifications.notification_email_send(notification.pk) == "sent"
    assert len(wait_for_mail(smtp_server)) == 1


def test_the_daily_digest_sends_one_email_with_everything_not_yet_emailed(editor, reviewer, smtp_server):
    editor.email = "ed@desk.example"
    editor.save()
    services.notification_preference_save(actor=editor, muted_kinds=[], email="digest")
    for claim in claims_on(editor, 2):
        services.assign(actor=reviewer, claim=claim, checker=editor)
    assert notifications.digests_send() == 1
    assert notifications.digests_send() == 0
    ((_recipients, message),) = wait_for_mail(smtp_server)
    assert "2 notifications today" in message and message.count("rev asked you to check") == 2


def test_the_reminders_and_digests_are_periodic_tasks_and_email_waits_on_the_fetch_queue(settings):
    from annotations import jobs, tasks
    from factcheck.celery import app

    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {jobs.REMIND_DUE, jobs.SEND_DIGESTS} <= schedule
    assert tasks.send_notification_email.name == jobs.SEND_NOTIFICATION_EMAIL
    assert app.amqp.router.route({}, jobs.SEND_NOTIFICATION_EMAIL)["queue"].name == settings.FETCH_QUEUE
    assert tasks.send_notification_email.autoretry_for and tasks.send_notification_email.retry_backoff
