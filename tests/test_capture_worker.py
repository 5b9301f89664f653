"""Real Celery workers (separate processes) on the configured broker and the test's PostgreSQL database.

The workers run the production layout: a threads pool on the fetch queue and a prefork pool on the extract
queue. They get queue names of their own (so nothing else on the broker interferes), a media folder of their own,
and permission to fetch from this test's loopback server only (FETCH_ALLOW_LOOPBACK and its port): the worker
process cannot be monkeypatched, so it is only ever pointed at loopback URLs of this test's server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings

from annotations import services
from annotations.models import Capture
from factcheck.celery import app
from tests.conftest import make_user
from tests.factories import RevisionFactory
from tests.local_server import LocalServer

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[1]
QUOTE = "Russia's arms exports fell by 64 per cent between 2015-19 and 2020-24."
CLAIM = "Russia continues to be among the top five arms exporters in the world"
REDIS = django_settings.CELERY_BROKER_URL.startswith("redis")


def worker_database_url() -> str:
    """DATABASE_URL with the database name replaced by pytest-django's test database."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + django_settings.DATABASES["default"]["NAME"]))


class Worker:
    def __init__(self, name: str, env: dict[str, str], log: Path, queue: str, pool: str, concurrency: int):
        self.name, self.log = name, log
        command = [
            sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--loglevel=INFO",
            "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h", "-Q", queue, "--pool", pool, "--concurrency", str(concurrency),
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b" ready." in self.log.read_bytes():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"worker {self.name} did not start:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGQUIT)  # cold shutdown: nothing is left to finish
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def server():
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def workers(settings, server, tmp_path):
    """Start workers with ``workers.start(name, stage)``; all are stopped at the end of the test."""
    run_id = uuid.uuid4().hex[:8]
    queues = {settings.FETCH_QUEUE: f"test-{run_id}-fetch", settings.EXTRACT_QUEUE: f"test-{run_id}-extract"}
    settings.FETCH_QUEUE, settings.EXTRACT_QUEUE = queues[settings.FETCH_QUEUE], queues[settings.EXTRACT_QUEUE]
    # What this process sends goes to this run's queues too (the workers read theirs from the environment).
    configured = app.conf.task_routes
    route_tasks({name: {**route, "queue": queues[route["queue"]]} for name, route in configured.items()})
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
    }
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": worker_database_url(),
        "MEDIA_ROOT": str(media),
        "FETCH_QUEUE": settings.FETCH_QUEUE,
        "EXTRACT_QUEUE": settings.EXTRACT_QUEUE,
        "FETCH_ALLOW_LOOPBACK": "1",
        "FETCH_ALLOWED_PORTS": f"80,443,{server.port}",
        "FETCH_CONNECT_TIMEOUT": "2",
        "FETCH_READ_TIMEOUT": "3",
        "FETCH_DEADLINE": "4",
        # The lease: a capture fetching for longer than this has lost its worker.
        "FETCH_TIME_LIMIT": "6",
        # Redis hands a dead worker's unacknowledged message out again after this; short here to keep the test
        # quick (production keeps an hour, longer than any task or retry countdown; see settings).
        "CELERY_VISIBILITY_TIMEOUT": "2",
    }
    # This process runs the same pipeline code (the recovery sweep, quote checks): same limits as the workers.
    settings.FETCH_TIME_LIMIT = float(env["FETCH_TIME_LIMIT"])
    settings.FETCH_DEADLINE = float(env["FETCH_DEADLINE"])
    started: list[Worker] = []

    class Workers:
        def start(self, name: str, stage: str) -> Worker:
            if stage == "fetch":
                worker = Worker(name, env, tmp_path / f"{name}.log", settings.FETCH_QUEUE, "threads", 4)
            else:
                worker = Worker(name, env, tmp_path / f"{name}.log", settings.EXTRACT_QUEUE, "prefork", 1)
            started.append(worker)
            return worker

        def output(self) -> str:
            return "\n".join(f"--- {w.name}\n{w.output()}" for w in started)

    try:
        yield Workers()
        for worker in started:
            worker.stop()
    finally:
        route_tasks(configured)


def route_tasks(routes: dict) -> None:
    """Give this process's Celery app other task routes (its router is built once, from CELERY_TASK_ROUTES)."""
    app.conf.task_routes = routes
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


def wait_for(predicate, timeout: float = 60, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def cite(url: str):
    editor = make_user("ed", "Editors")
    revision = RevisionFactory()
    claim = services.claim_create(actor=editor, revision=revision, start=0, end=len(CLAIM), exact=CLAIM)
    # evidence_add commits (autocommit outside a transaction), so the fetch is enqueued for the workers.
    return services.evidence_add(actor=editor, claim=claim, url=url, stance="supports", quote=QUOTE)


def test_a_worker_captures_the_source_and_finds_the_quote(server, workers):
    url = server.add("/sipri")
    fetcher, extractor = workers.start("fetcher", "fetch"), workers.start("extractor", "extract")
    fetcher.wait_ready()
    extractor.wait_ready()
    evidence = cite(url)

    done = wait_for(lambda: Capture.objects.get(pk=evidence.capture_id).status in ("done", "failed"))
    capture = Capture.objects.get(pk=evidence.capture_id)
    assert done and capture.status == "done", f"{capture.status} {capture.error_message}\n{workers.output()}"
    assert capture.http_status == 200 and capture.attempts == 1 and QUOTE in capture.text
    with capture.body.open("rb") as handle:  # the worker stored it where this process's storage finds it
        assert b"Trends in International Arms Transfers" in handle.read()
    evidence.refresh_from_db()
    assert evidence.quote_status == "found" and evidence.quote_score == 1.0
    assert server.count("/sipri") == 1


def test_a_worker_killed_mid_fetch_leads_to_exactly_one_successful_capture(server, workers):
    url = server.add("/sipri")
    server.hold("/sipri")  # the first request never gets an answer: the fetch is in flight when we kill
    first = workers.start("doomed", "fetch")
    extractor = workers.start("extractor", "extract")
    first.wait_ready()
    extractor.wait_ready()
    evidence = cite(url)

    assert server.wait_for("/sipri", 1), workers.output()
    capture = Capture.objects.get(pk=evidence.capture_id)
    assert capture.status == "fetching" and capture.attempts == 1
    first.kill()  # SIGKILL to the whole worker: no clean-up, no acknowledgement, no requeue by the worker itself

    workers.start("survivor", "fetch").wait_ready()
    if not REDIS:
        # The filesystem transport deletes a message when it hands it out, so nothing is redelivered; the
        # periodic recovery sweep (run here instead of beat) re-sends the work once the lease has expired.
        assert wait_for(lambda: services.captures_recover()["resent"] == 1, timeout=30)

    finished = wait_for(lambda: Capture.objects.get(pk=capture.pk).status in ("done", "failed"), timeout=90)
    capture.refresh_from_db()
    assert finished and capture.status == "done", f"{capture.status} {capture.error_message}\n{workers.output()}"
    assert capture.attempts == 2  # the killed attempt, then the one that succeeded
    assert server.count("/sipri") == 2
    assert Capture.objects.filter(url=url).count() == 1
    time.sleep(2)  # duplicates of the message (redelivery, look-again) must not fetch again
    assert server.count("/sipri") == 2 and Capture.objects.get(pk=capture.pk).attempts == 2
    evidence.refresh_from_db()
    assert evidence.quote_status == "found"
