"""Brute force: repeated failed sign-ins lock out the account and the address (web login, admin login, /api/token/),
with a message, Retry-After and a log line; the token view is throttled per address."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from .api_support import client_for

pytestmark = pytest.mark.django_db
LIMIT = 5  # settings.AXES_FAILURE_LIMIT (LOGIN_FAILURE_LIMIT)


def web_login(username, password, address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})


def token(username, password, address="10.0.0.1"):
    return client_for().post(
        "/api/token/", {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def test_web_login_locks_the_account_out_after_repeated_failures(editor, caplog):
    for _ in range(LIMIT - 1):
        assert web_login("ed", "wrong").status_code == 200  # the form again, with its error
    with caplog.at_level(logging.WARNING):
        locked = web_login("ed", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins for this account or from this address" in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60
    assert any("Sign-in refused (locked out): account='ed'" in r.getMessage() for r in caplog.records)
    # Locked: even the right password, and from another address, is refused without being checked.
    assert web_login("ed", "pw-ed", address="10.9.9.9").status_code == 429


def test_web_login_locks_an_address_out_whatever_the_account(editor, reviewer):
    for number in range(LIMIT):
        web_login(f"nobody{number}", "wrong", address="10.0.0.7")
    assert web_login("rev", "pw-rev", address="10.0.0.7").status_code == 429
    assert web_login("rev", "pw-rev", address="10.0.0.8").status_code == 302  # another address signs in


def test_a_success_before_the_limit_starts_the_count_again(editor):
    for _ in range(LIMIT - 1):
        web_login("ed", "wrong")
    assert web_login("ed", "pw-ed").status_code == 302
    for _ in range(LIMIT - 1):
        assert web_login("ed", "wrong").status_code == 200


def test_the_lockout_ends_after_the_cool_off(editor):
    for _ in range(LIMIT):
        web_login("ed", "wrong")
    assert web_login("ed", "pw-ed").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert web_login("ed", "pw-ed").status_code == 302


def test_the_admin_login_is_protected_too(admin_user):
    admin = Client(REMOTE_ADDR="10.0.0.3")
    for _ in range(LIMIT):
        response = admin.post("/admin/login/?next=/admin/", {"username": "adm", "password": "wrong"})
    assert response.status_code == 429


def test_token_endpoint_locks_out_with_a_json_message(editor, caplog):
    for _ in range(LIMIT - 1):
        wrong = token("ed", "wrong")
        assert wrong.status_code == 400 and "non_field_errors" in wrong.json()
    with caplog.at_level(logging.WARNING):
        locked = token("ed", "wrong")
    assert locked.status_code == 429
    assert locked.json()["detail"].startswith("Too many failed sign-ins")
    assert locked["Retry-After"] == str(15 * 60)
    assert any("path=/api/token/" in r.getMessage() for r in caplog.records)
    assert token("ed", "pw-ed", address="10.1.1.1").status_code == 429


def test_token_failures_and_web_failures_count_together(editor):
    for _ in range(LIMIT - 1):
        web_login("ed", "wrong")
    assert token("ed", "wrong").status_code == 429


@pytest.mark.parametrize("cache_url", ["database", "redis"], ids=["database cache", "redis cache"])
def test_token_view_is_throttled_per_address(editor, cache_url, settings):
    import os

    if cache_url == "redis":
        broker = os.environ.get("CELERY_BROKER_URL", "")
        if not broker.startswith("redis://"):
            pytest.skip("CELERY_BROKER_URL is not a Redis server")
        caches = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": broker,
                "KEY_PREFIX": f"throttle-test-{os.getpid()}-{timezone.now().timestamp()}",
            }
        }
    else:
        caches = settings.CACHES
    with override_settings(CACHES=caches):
        cache.delete_many([f"throttle_token_{address}" for address in ("10.2.2.2", "10.2.2.3")])
        answers = [token("ed", "pw-ed", address="10.2.2.2").status_code for _ in range(21)]
        assert answers == [200] * 20 + [429]  # API_TOKEN_RATE: 20/minute
        throttled = token("ed", "pw-ed", address="10.2.2.2")
        assert "throttled" in throttled.json()["detail"] and int(throttled["Retry-After"]) > 0
        assert token("ed", "pw-ed", address="10.2.2.3").status_code == 200


def test_an_unreachable_cache_does_not_stop_sign_in(editor, caplog):
    unreachable = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=unreachable), caplog.at_level(logging.ERROR):
        assert token("ed", "pw-ed").status_code == 200
    assert any("cache is unreachable" in r.getMessage() for r in caplog.records)


def test_the_client_address_behind_trusted_proxies(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(LIMIT):
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").post(
            "/accounts/login/", {"username": f"x{_}", "password": "wrong"}
        )
    # The proxy (REMOTE_ADDR) is not locked out, the client behind it is; a forged left-most entry changes nothing.
    other = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.post("/accounts/login/", {"username": "ed", "password": "pw-ed"}).status_code == 302
    forged = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert forged.post("/accounts/login/", {"username": "ed", "password": "pw-ed"}).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_the_lockout_holds_across_gunicorn_worker_processes(tmp_path):
    """Each request is served by another worker process (each serves one, --max-requests 1): the failures are counted
    in PostgreSQL, where every worker sees them."""
    import json
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    from django.db import connection

    from .conftest import make_user

    make_user("ed", "Editors")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = connection.settings_dict
    # The embedded server of `make test` is reached through a socket directory given in OPTIONS, CI's over TCP.
    host = database["HOST"] or database["OPTIONS"].get("host", "")
    db_port = database["PORT"] or database["OPTIONS"].get("port", 5432)
    url = f"postgres://{database['USER']}@/{database['NAME']}?host={host}&port={db_port}"
    limit = 2  # each new process takes a moment to serve its first request: few requests keep the test short
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": url,
        "DATABASE_POOL_SIZE": "2",
        "LOGIN_FAILURE_LIMIT": str(limit),
    }
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "factcheck.wsgi:application", "--bind", f"127.0.0.1:{port}"),
            *("--workers", str(limit + 1), "--max-requests", "1", "--preload"),
            *("--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s"),
        ],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def post(password: str) -> int:
        body = json.dumps({"username": "ed", "password": password}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/token/", body, {"Content-Type": "application/json"}
        )
        for _ in range(100):  # the server starting, or a worker being replaced
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer")

    try:
        answers = [post("wrong") for _ in range(limit)] + [post("pw-ed")]
    finally:
        server.terminate()
        server.wait(timeout=30)
        cache.clear()  # the database cache's rows were committed by the server's processes
    assert answers == [400] * (limit - 1) + [429, 429]
    workers = [line.split()[0] for line in log.read_text().splitlines()]
    assert len(workers) == limit + 1 and len(set(workers)) == limit + 1  # one process per request
