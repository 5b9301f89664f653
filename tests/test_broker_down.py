"""A broker that is down when a write commits: the write still succeeds, and the sweeps do the work later.

A private redis-server on a free loopback port is the broker of this test (this process and its real workers): it is
not running when the request commits, then it is started, and the periodic sweeps (called here as beat would) hand
the lost work to real workers.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time

import pytest

from annotations import services
from annotations.models import ArticleRevision, Capture, Claim
from factcheck.celery import app
from tests.api_support import client_for
from tests.conftest import make_user
from tests.factories import ARTICLE_TEXT, RevisionFactory, make_claim
from tests.local_server import LocalServer
from tests.test_capture_worker import QUOTE, Worker, wait_for, worker_database_url
from tests.test_service_faults import closed_port

pytestmark = [
    pytest.mark.worker,
    # No serialized_rollback: its flush skips post_migrate, and the transactional tests after these need the
    # permissions that post_migrate recreates.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]

FIRST = "Russia continues to be among the top five arms exporters in the world"
NEW_TEXT = "Update, Saturday.\n\n" + ARTICLE_TEXT  # the claims moved down


class PrivateRedis:
    def __init__(self, tmp_path):
        self.port, self.dir = closed_port(), tmp_path
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for(self.answers, timeout=20), "redis-server did not start"

    def answers(self) -> bool:
        ping = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, timeout=10)
        return ping.stdout.strip() == b"PONG"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def broker(monkeypatch, settings, tmp_path):
    """The private broker (not started yet), used by this process's Celery app and by the workers started."""
    redis = PrivateRedis(tmp_path)
    monkeypatch.setenv("CELERY_BROKER_URL", redis.url)  # Celery reads the variable before its configuration
    monkeypatch.setitem(app.conf, "broker_transport_options", {"socket_connect_timeout": 2, "socket_timeout": 2})
    app._after_fork()  # drop the connection and producer pools made for the configured broker
    settings.REANCHOR_SWEEP_GRACE = 0  # the sweep takes work as soon as it is lost (production waits a minute)
    yield redis
    redis.stop()
    monkeypatch.undo()
    app._after_fork()


def start_worker(tmp_path, name: str, queue: str, pool: str, redis: PrivateRedis, **extra) -> Worker:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": worker_database_url(), **extra}
    env["CELERY_BROKER_URL"] = redis.url
    worker = Worker(name, env, tmp_path / f"{name}.log", queue, pool, 1 if pool == "prefork" else 4)
    worker.wait_ready()
    return worker


def test_a_revision_posted_while_the_broker_is_down_is_stored_and_its_claims_reanchored_later(
    broker, tmp_path, caplog
):
    editor = make_user("ed", "Editors")
    revision = RevisionFactory()
    claim = make_claim(revision, editor, FIRST)

    with caplog.at_level(logging.ERROR, logger="annotations.jobs"):
        response = client_for(editor).post(
            "/api/revisions/", {"article": revision.article_id, "text": NEW_TEXT}, format="json"
        )
    assert response.status_code == 201, response.content
    newest = ArticleRevision.objects.get(pk=response.json()["id"])
    assert newest.number == 2
    assert "Could not enqueue annotations.reanchor_article" in caplog.text
    claim.refresh_from_db()
    assert claim.anchor_revision_id == revision.pk  # not re-anchored: the message was lost
    assert services.articles_to_reanchor() == [(revision.article_id, newest.pk)]

    broker.start()
    worker = start_worker(tmp_path, "extractor", "extract", "prefork", broker)
    try:
        assert services.reanchor_sweep() == 1  # what beat runs every REANCHOR_SWEEP_EVERY seconds
        assert wait_for(lambda: Claim.objects.get(pk=claim.pk).anchor_revision_id == newest.pk), worker.output()
    finally:
        worker.stop()
    claim.refresh_from_db()
    start = NEW_TEXT.index(FIRST)
    assert claim.anchor_state == "moved" and (claim.anchor_start, claim.anchor_end) == (start, start + len(FIRST))
    assert services.articles_to_reanchor() == []  # done: the next sweep sends nothing
    assert services.reanchor_sweep() == 0


def test_a_claim_on_an_older_revision_made_while_the_broker_is_down_is_anchored_by_the_sweep(broker, tmp_path):
    editor = make_user("ed", "Editors")
    old = RevisionFactory()
    newest = services.revision_add(actor=editor, article=old.article, text=NEW_TEXT, origin="pasted")[0]
    claim = make_claim(old, editor, FIRST)  # made on the old text: it needs anchoring on the newest
    assert Claim.objects.get(pk=claim.pk).anchor_revision_id is None
    assert services.articles_to_reanchor() == [(old.article_id, newest.pk)]

    broker.start()
    worker = start_worker(tmp_path, "extractor", "extract", "prefork", broker)
    try:
        assert services.reanchor_sweep() == 1
        assert wait_for(lambda: Claim.objects.get(pk=claim.pk).anchor_revision_id == newest.pk), worker.output()
    finally:
        worker.stop()
    assert Claim.objects.get(pk=claim.pk).anchor_state == "moved"


def test_evidence_added_while_the_broker_is_down_is_captured_once_it_is_back(broker, settings, tmp_path):
    server = LocalServer()
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
    }
    settings.FETCH_TIME_LIMIT = 6.0  # the lease: a pending capture older than this lost its message
    editor = make_user("ed", "Editors")
    claim = make_claim(RevisionFactory(), editor, FIRST)
    url = server.add("/sipri")
    evidence = services.evidence_add(actor=editor, claim=claim, url=url, stance="supports", quote=QUOTE)
    assert Capture.objects.get(pk=evidence.capture_id).status == "pending"  # stored; its fetch was never sent

    broker.start()
    limits = {
        "MEDIA_ROOT": str(media),
        "FETCH_ALLOW_LOOPBACK": "1",
        "FETCH_ALLOWED_PORTS": f"80,443,{server.port}",
        "FETCH_DEADLINE": "4",
        "FETCH_TIME_LIMIT": "6",
    }
    workers = [
        start_worker(tmp_path, "fetcher", "fetch", "threads", broker, **limits),
        start_worker(tmp_path, "extractor", "extract", "prefork", broker, **limits),
    ]
    try:
        time.sleep(settings.FETCH_TIME_LIMIT)  # the recovery sweep only takes captures older than the lease
        assert services.captures_recover()["resent"] == 1
        done = wait_for(lambda: Capture.objects.get(pk=evidence.capture_id).status in ("done", "failed"))
        capture = Capture.objects.get(pk=evidence.capture_id)
        output = "\n".join(w.output() for w in workers)
        assert done and capture.status == "done", f"{capture.status} {capture.error_message}\n{output}"
    finally:
        for worker in workers:
            worker.stop()
        server.close()
    assert server.count("/sipri") == 1
