"""Capture pages: who sees them, the snapshot download's headers, escaped extracted text, retry for editors."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from annotations.models import Capture
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

HOSTILE = b"<html><body><script>alert(document.cookie)</script><p>Evidence text</p></body></html>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def capture(db):
    capture = Capture(
        url="https://source.example/report",
        status="done",
        final_url="https://source.example/report",
        http_status=200,
        content_type="text/html",
        sniffed_type="text/html",
        size=len(HOSTILE),
        sha256=hashlib.sha256(HOSTILE).hexdigest(),
        title="Report",
        text="Evidence text <script>alert(1)</script>",
        extractor="trafilatura",
        finished_at=timezone.now(),
        fetched_at=timezone.now(),
    )
    capture.body.save("x.bin", ContentFile(HOSTILE), save=False)
    capture.save()
    return capture


def test_the_snapshot_is_a_download_that_is_never_rendered(client, editor, capture):
    client.force_login(editor)
    response = client.get(f"/captures/{capture.pk}/snapshot")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == HOSTILE
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_the_page_shows_status_and_escaped_text(client, editor, capture):
    client.force_login(editor)
    body = client.get(f"/captures/{capture.pk}/").content.decode()
    assert "Evidence text &lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    assert capture.sha256 in body and f"/captures/{capture.pk}/snapshot" in body


def test_failed_capture_shows_its_reason_and_a_retry_button_for_editors(client, editor, db):
    failed = Capture.objects.create(
        url="https://gone.example/",
        status="failed",
        error_code="http_client_error",
        error_message="The server answered 404 Not Found",
    )
    client.force_login(editor)
    body = client.get(f"/captures/{failed.pk}/").content.decode()
    assert "The server answered 404 Not Found" in body and f"/captures/{failed.pk}/retry" in body
    response = client.post(f"/captures/{failed.pk}/retry")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "pending" and failed.attempts == 0


def test_retry_needs_post_and_an_editor(client, db):
    failed = Capture.objects.create(url="https://gone.example/", status="failed", error_code="x", error_message="y")
    viewer = make_user("viewer", None)
    client.force_login(viewer)
    assert client.get(f"/captures/{failed.pk}/retry").status_code == 405
    assert client.post(f"/captures/{failed.pk}/retry").status_code == 403
    assert Capture.objects.get(pk=failed.pk).status == "failed"


def test_retry_of_a_capture_that_is_not_failed_says_why(client, editor, capture):
    client.force_login(editor)
    response = client.post(f"/captures/{capture.pk}/retry", follow=True)
    assert "Only a failed capture can be retried" in response.content.decode()


def test_anonymous_users_are_sent_to_log_in_and_users_without_the_permission_refused(client, capture):
    for path in (f"/captures/{capture.pk}/", f"/captures/{capture.pk}/snapshot"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user("viewer", None))
    assert client.get(f"/captures/{capture.pk}/snapshot").status_code == 403
    assert client.get(f"/captures/{capture.pk}/").status_code == 403


def test_retry_is_csrf_protected(editor, db):
    from django.test import Client

    failed = Capture.objects.create(url="https://gone.example/", status="failed", error_code="x", error_message="y")
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(f"/captures/{failed.pk}/retry").status_code == 403
