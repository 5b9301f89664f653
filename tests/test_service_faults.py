"""A database or broker that is down gives quick 503s with Retry-After, and /healthz says which one is down.

The app runs in a subprocess (its settings are read once per process) with production settings and the database or
the broker pointed at a closed port on loopback. How quickly it answers is not timed here (the machine is shared);
the timeouts that bound it are asserted instead.
"""

import json
import os
import socket

import pytest
from django.conf import settings

from tests.test_settings import PRODUCTION, run_python

REQUESTS = """
import json, os, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
out = {}
for path in os.environ["PATHS"].split():
    # A token or a session cookie (any) makes the app look the user up: the request needs the database.
    r = client.get(path, HTTP_AUTHORIZATION="Token 0123456789abcdef", HTTP_COOKIE="sessionid=" + "k" * 32)
    out[path] = {"status": r.status_code, "retry_after": r.get("Retry-After"), "type": r["Content-Type"],
                 "body": r.content.decode()}
print("RESULT " + json.dumps(out))
"""


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_app(paths: str, **env) -> dict:
    base = {
        "PATHS": paths,
        **PRODUCTION,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "filesystem://"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DATABASE_POOL_TIMEOUT": "1",  # keeps this test short; the default is asserted below
    }
    result = run_python(REQUESTS, {**base, **env})
    line = next((line for line in result.stdout.splitlines() if line.startswith("RESULT ")), None)
    assert line, result.stderr[-3000:]
    return json.loads(line.removeprefix("RESULT "))


def test_requests_get_a_503_with_retry_after_when_the_database_is_down():
    results = run_app(
        "/fact-checks/1/ /articles/ /api/claims/ /healthz",
        DATABASE_URL=f"postgres://factcheck@127.0.0.1:{closed_port()}/factcheck",
    )

    public = results["/fact-checks/1/"]
    assert public["status"] == 503 and public["retry_after"] == "30"
    assert public["type"].startswith("text/html") and "temporarily unavailable" in public["body"]
    reader = results["/articles/"]  # a signed-in page: the session is looked up in the database
    assert reader["status"] == 503 and reader["retry_after"] == "30"
    api = results["/api/claims/"]
    assert api["status"] == 503 and api["retry_after"] == "30" and api["type"] == "application/json"
    assert "database cannot be reached" in json.loads(api["body"])["detail"]
    health = results["/healthz"]
    assert health["status"] == 503 and health["retry_after"] == "30"
    assert json.loads(health["body"]) == {"status": "unavailable", "database": "down", "broker": "ok"}


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"), reason="needs the Redis broker")
def test_healthz_names_the_broker_when_it_is_down():
    health = run_app("/healthz", CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0")["/healthz"]
    assert health["status"] == 503
    assert json.loads(health["body"]) == {"status": "unavailable", "database": "ok", "broker": "down"}


def test_healthz_is_ok_when_everything_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_waits_for_the_database_and_the_broker_are_bounded_to_a_few_seconds():
    """What makes the 503 quick: a request waits seconds, not the pool's default 30 s, for a connection."""
    options = settings.DATABASES["default"]["OPTIONS"]
    assert 2 <= options["connect_timeout"] <= 5  # libpq: seconds to connect (values below 2 count as 2)
    if "pool" in options:
        assert 0 < options["pool"]["timeout"] <= 5  # psycopg_pool: seconds to wait for a pooled connection
    assert 0 < settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 5
    policy = settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    assert policy["max_retries"] <= 3 and policy["interval_max"] <= 1
    if settings.CELERY_BROKER_URL.startswith("redis"):
        transport = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        assert 0 < transport["socket_connect_timeout"] <= 5 and 0 < transport["socket_timeout"] <= 5


def test_production_defaults_bound_the_waits():
    result = run_python(
        "import factcheck.settings as s; o = s.DATABASES['default']['OPTIONS']; "
        "print(o['connect_timeout'], o['pool']['timeout'], s.CELERY_BROKER_TRANSPORT_OPTIONS['socket_timeout'])",
        PRODUCTION,
    )
    assert result.stdout.split() == ["3", "3.0", "2.0"], result.stderr
