"""Notification email through a real Celery worker and a real local SMTP server: one email per event, when the
task runs twice, when the SMTP server refuses the first attempt (the task retries with backoff), and when the
worker is killed in the middle of a send (the message is redelivered to the next worker)."""

import os

import pytest

from annotations import jobs, services
from annotations.models import Notification
from tests.conftest import make_user
from tests.factories import RevisionFactory, make_claim
from tests.test_api_tokens import smtp_server, wait_for_mail  # noqa: F401 (fixture)
from tests.test_capture_worker import server, wait_for, workers  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def mail_worker(smtp_server, monkeypatch, request):
    """A worker on the queue the email task is routed to, mailing through this test's SMTP server."""
    from django.conf import settings

    options = settings.MAILERS["default"]["OPTIONS"]
    # The workers fixture hands the worker this process's environment (as it is when the fixture starts).
    monkeypatch.setitem(os.environ, "EMAIL_HOST", options["host"])
    monkeypatch.setitem(os.environ, "EMAIL_PORT", str(options["port"]))
    running = request.getfixturevalue("workers")
    running.first = running.start("mailer", "fetch")
    running.first.wait_ready()
    return running


def assigned_by_email(editor_name="ed"):
    editor = make_user(editor_name, "Editors")
    editor.email = f"{editor_name}@desk.example"
    editor.save()
    reviewer = make_user("rev", "Reviewers")
    revision = RevisionFactory()
    claim = make_claim(revision, editor)
    services.assign(actor=reviewer, claim=claim, checker=editor)  # commits: the email task is sent
    return Notification.objects.get(recipient=editor)


def test_one_email_per_event_even_when_the_task_runs_twice(mail_worker, smtp_server):
    notification = assigned_by_email()
    ((recipients, message),) = wait_for_mail(smtp_server, timeout=30)
    assert recipients == ["ed@desk.example"] and "rev asked you to check" in message
    assert wait_for(lambda: Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists())
    # The same message again (a redelivery, a retry after the send): the row is emailed, nothing is sent.
    assert jobs.send(jobs.SEND_NOTIFICATION_EMAIL, notification.pk)
    assert jobs.send(jobs.SEND_NOTIFICATION_EMAIL, notification.pk)
    assert wait_for(lambda: mail_worker.output().count("succeeded") >= 3, timeout=30), mail_worker.output()
    assert mail_worker.output().count("'skipped'") == 2
    assert len(smtp_server.messages) == 1


def test_a_refused_send_is_retried_and_delivered_once(mail_worker, smtp_server):
    accept = smtp_server.handle_DATA
    refused = []

    async def refuse_first(server, session, envelope):
        if not refused:
            refused.append(envelope)
            return "451 Try again later"
        return await accept(server, session, envelope)

    smtp_server.handle_DATA = refuse_first
    notification = assigned_by_email()
    assert wait_for(lambda: len(smtp_server.messages) == 1, timeout=60), mail_worker.output()
    assert len(refused) == 1 and "Retry in" in mail_worker.output()
    assert wait_for(lambda: Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists())
    assert wait_for_mail(smtp_server, count=2, timeout=3) == smtp_server.messages and len(smtp_server.messages) == 1


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"), reason="redelivery needs Redis")
def test_a_worker_killed_mid_send_loses_nothing_and_the_next_sends_once(mail_worker, smtp_server):
    import asyncio

    stalled = []

    async def stall_first(server, session, envelope, address, rcpt_options):
        if not stalled:
            stalled.append(address)
            await asyncio.sleep(5)  # the worker is killed while it waits here, before the message is sent
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handle_RCPT = stall_first
    notification = assigned_by_email()
    assert wait_for(lambda: stalled, timeout=30), mail_worker.output()
    mail_worker.first.kill()
    assert smtp_server.messages == []
    mail_worker.start("mailer-again", "fetch").wait_ready()
    # Redis hands the unacknowledged message out again (the fixture's short visibility timeout).
    assert wait_for(lambda: len(smtp_server.messages) == 1, timeout=60), mail_worker.output()
    assert wait_for(lambda: Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists())
    assert wait_for_mail(smtp_server, count=2, timeout=4) == smtp_server.messages and len(smtp_server.messages) == 1
