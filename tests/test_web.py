from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest

pytestmark = pytest.mark.django_db


def test_home_lists_the_seed_article_for_editors(client):
    call_command("load_demo", stdout=StringIO())
    # The sign-in lockout (django-axes) checks every authentication against a request.
    assert client.login(request=HttpRequest(), username="editor", password="editor-demo-2025")
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Russia Remains Among Top 5 Arms Exporters Worldwide - Putin" in body
    assert "Sputnik" in body
    assert "<!doctype html>" in body.lower() and "Editors" in body and "Log out" in body


def test_home_shows_visitors_only_published_fact_checks(client):
    call_command("load_demo", stdout=StringIO())
    body = client.get("/").content.decode()
    assert "Published fact-checks" in body and "Log in" in body
    assert "Russia is among the top five arms exporters" in body  # the demo publishes its worked example


def test_pages_have_a_strict_csp(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    # The nonce appears only on pages that use it; no page may allow inline script without one.
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp


def test_admin_is_served(client):
    assert client.get("/admin/login/").status_code == 200


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_assign_role_command(django_user_model):
    user = django_user_model.objects.create_user("maria")
    out = StringIO()
    call_command("assign_role", "maria", "reviewer", stdout=out)
    assert "Reviewers" in out.getvalue()
    call_command("assign_role", "maria", "Editors", stdout=out)
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    with pytest.raises(CommandError, match="unknown role"):
        call_command("assign_role", "maria", "overlord")
    with pytest.raises(CommandError, match="no user"):
        call_command("assign_role", "ghost", "Editors")
