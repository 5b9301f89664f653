"""API tokens (django-rest-knox): stored as digests, expiring, revoked by sign-out (one or all) and by any password
change, including a password reset by email sent through a real SMTP server."""

import datetime
import re
import socket
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from knox.models import AuthToken

from .api_support import client_for

pytestmark = pytest.mark.django_db


def issue(username="ed", password="pw-ed") -> str:
    response = client_for().post("/api/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def works(token: str) -> bool:
    status = client_for().get("/api/claims/", HTTP_AUTHORIZATION=f"Token {token}").status_code
    assert status in (200, 401)
    return status == 200


def test_a_token_is_stored_as_a_digest_only_and_expires(editor):
    response = client_for().post("/api/token/", {"username": "ed", "password": "pw-ed"}, format="json")
    body = response.json()
    token = body["token"]
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    assert datetime.timedelta(hours=9, minutes=59) < expiry - timezone.now() <= datetime.timedelta(hours=10)
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest, token_key FROM knox_authtoken")
        (digest, key), *others = cursor.fetchall()
    assert not others and token not in digest and len(digest) == 128 and key == token[:15]
    assert works(token)
    AuthToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert not works(token)
    assert not AuthToken.objects.exists()  # an expired token is deleted when it is used


def test_logout_revokes_that_token_only(editor):
    first, second = issue(), issue()
    response = client_for().post("/api/token/logout/", HTTP_AUTHORIZATION=f"Token {first}")
    assert response.status_code == 204
    assert not works(first) and works(second)


def test_logout_all_revokes_every_token_of_the_user_only(editor, reviewer):
    mine, also_mine, theirs = issue(), issue(), issue("rev", "pw-rev")
    response = client_for().post("/api/token/logout-all/", HTTP_AUTHORIZATION=f"Token {mine}")
    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert not works(mine) and not works(also_mine) and works(theirs)


def test_logout_all_from_a_web_session_needs_the_csrf_token(editor):
    token = issue()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    assert browser.post("/api/token/logout-all/").status_code == 403
    assert works(token)
    browser.get("/accounts/password_change/")
    csrf = browser.cookies["csrftoken"].value
    assert browser.post("/api/token/logout-all/", HTTP_X_CSRFTOKEN=csrf).status_code == 200
    assert not works(token)


def test_changing_the_password_on_the_web_revokes_the_tokens(client, editor):
    token = issue()
    client.force_login(editor)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "pw-ed",
            "new_password1": "a-Long-new-passphrase-42",
            "new_password2": "a-Long-new-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert not works(token)
    assert works(issue(password="a-Long-new-passphrase-42"))


def test_set_password_anywhere_revokes_the_tokens_and_other_saves_do_not(editor):
    token = issue()
    user = get_user_model().objects.get(pk=editor.pk)
    user.first_name = "Ed"
    user.save()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert works(token)
    user.set_password("another-Long-passphrase-7")
    user.save()
    assert not works(token)


def test_schema_documents_the_token_endpoints(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    create = paths["/api/token/"]["post"]
    assert {"200", "400", "429"} <= set(create["responses"])
    assert "requestBody" in create
    assert "post" in paths["/api/token/logout/"] and "post" in paths["/api/token/logout-all/"]


def test_the_admin_shows_no_token_keys(client, editor):
    token = issue()
    get_user_model().objects.create_superuser("root", "root@example.org", "pw-root")
    client.force_login(get_user_model().objects.get(username="root"))
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404  # DRF's plain-text tokens are gone
    page = client.get("/admin/knox/authtoken/").content.decode()
    assert AuthToken.objects.get().digest in page and token not in page and token[:15] not in page


# --- Password reset by email -----------------------------------------------------------------------------------------


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler interface
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    try:
        with override_settings(MAILERS=mailers, PASSWORD_RESET_BY_EMAIL=True):
            yield inbox
    finally:
        controller.stop()


def wait_for_mail(inbox, count=1, timeout=10.0):
    deadline = time.monotonic() + timeout
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox.messages


def test_password_reset_sends_mail_through_smtp_and_the_new_password_revokes_tokens(client, editor, smtp_server):
    get_user_model().objects.filter(pk=editor.pk).update(email="ed@example.org")
    token = issue()
    assert 'id="forgot-password"' in client.get("/accounts/login/").content.decode()
    response = client.post("/accounts/password_reset/", {"email": "ed@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    (recipients, message), *others = wait_for_mail(smtp_server)
    assert recipients == ["ed@example.org"] and not others
    link = re.search(r"http://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)", message)
    assert link, message
    form = client.get(link[1], follow=True)
    assert 'id="password-confirm-form"' in form.content.decode()
    new = "reset-Long-passphrase-9"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert not works(token)
    assert Client().post("/accounts/login/", {"username": "ed", "password": new}).status_code == 302


def test_password_reset_for_an_unknown_address_sends_nothing(client, editor, smtp_server):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302  # the same answer: it does not tell which addresses have accounts
    assert wait_for_mail(smtp_server, timeout=0.5) == []


@override_settings(PASSWORD_RESET_BY_EMAIL=False, MAILERS={})
def test_without_mail_the_reset_page_says_who_resets_passwords(client, editor):
    response = client.get("/accounts/password_reset/")
    assert response.status_code == 404
    assert "ask an admin to set a new password" in response.content.decode()
    assert client.post("/accounts/password_reset/", {"email": "ed@example.org"}).status_code == 404
    assert 'id="forgot-password"' not in client.get("/accounts/login/").content.decode()
