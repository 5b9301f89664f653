"""Retraining on the desk's history: the command, the periodic task on a real Celery worker, and the default model's
command (on a small synthetic folder laid out as the CheckThat! debates are)."""

import io
import json
import os
import uuid

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from checkworthiness import services, tasks
from checkworthiness.models import ScorerModel
from checkworthiness.scorer import Model
from factcheck.celery import app

from .conftest import make_user
from .factories import ArticleFactory, RevisionFactory, make_claim
from .test_capture_worker import Worker, route_tasks, wait_for, worker_database_url

STADIUMS = [f"Our stadium number {n} seats {n} thousand fans, the biggest in the league." for n in range(12)]
HARBOUR = [f"The harbour district saw {n} thefts, police reports show, up from last year." for n in range(4)]


def desk_history(editor):
    """An article whose stadium sentences were dismissed and whose harbour sentences were claimed."""
    revision = RevisionFactory(text=" ".join(STADIUMS + HARBOUR), article=ArticleFactory())
    for sentence in STADIUMS:
        start = revision.text.index(sentence)
        services.dismiss(actor=editor, revision=revision, start=start, end=start + len(sentence))
    for sentence in HARBOUR:
        make_claim(revision, editor, sentence.split(",")[0])
    return revision


def run(*args) -> str:
    out = io.StringIO()
    call_command("train_checkworthiness", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_with_no_history_the_default_stays():
    assert "the default model stays" in run()
    assert ScorerModel.objects.count() == 0
    assert services.active_model()[0] == "default"


@pytest.mark.django_db
def test_the_command_retrains_on_claims_and_dismissals_on_top_of_the_default(client):
    editor = make_user("ed", "Editors")
    revision = desk_history(editor)
    stadium = "Our stadium seats 40 thousand fans, the biggest."
    before = services.default_model().score(stadium)
    assert services.desk_examples() == sorted(
        [(s, 0) for s in STADIUMS] + [(s, 1) for s in HARBOUR], key=lambda row: row[0]
    )

    assert "trained on 4 claimed and 12 dismissed sentences on top of the default; now active" in run()
    model = ScorerModel.objects.get()
    assert (model.active, model.positives, model.negatives) == (True, 4, 12)
    trained = Model.from_json(model.weights)
    assert trained.score(stadium) < before and trained.weights["w:stadium"] < 0 < trained.weights["w:harbour"]
    assert set(services.default_model().weights) <= set(trained.weights)
    assert services.active_model()[1] == trained

    assert "Nothing new since model" in run()  # the same history: no new model
    assert ScorerModel.objects.count() == 1
    # One more decision: a new model, the old one kept but no longer active.
    start = revision.text.index(HARBOUR[0])
    services.dismiss(actor=editor, revision=revision, start=start, end=start + len(HARBOUR[0]))  # claimed wins
    services.dismiss(actor=editor, revision=RevisionFactory(text="Our stadium is big."), start=0, end=19)
    assert "trained on 4 claimed and 13 dismissed" in run()
    assert list(ScorerModel.objects.values_list("active", flat=True)) == [True, False]

    # The API ranks with the desk's model.
    results = client.get(f"/api/revisions/{revision.pk}/suggestions/", headers=_token(editor)).json()["results"]
    assert all(r["text"] in HARBOUR for r in results[:4])


def _token(user):
    from .api_support import token_for

    return {"Authorization": f"Token {token_for(user)}"}


def test_the_default_model_command_reads_a_checkthat_folder(tmp_path):
    folder = tmp_path / "debates"
    folder.mkdir()
    lines = [f"{i}\tMOD\tThank you, senator, next question.\t0" for i in range(1, 30)]
    lines += [f"{i}\tX\tTaxes rose {i} percent, $4 billion, since {1980 + i}.\t1" for i in range(30, 40)]
    (folder / "one.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "model.json"
    assert "Wrote" in run("--default", str(folder), "--output", str(output))
    model = Model.from_json(json.loads(output.read_text(encoding="utf-8")))
    assert model.about["licence"] == "free for general research use" and model.about["positives"] == 10
    assert model.score("Taxes rose 3 percent.") > model.score("Thank you, senator.")
    with pytest.raises(CommandError, match="no CheckThat"):
        run("--default", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match="--output goes with --default"):
        run("--output", str(output))


def test_the_task_is_routed_and_scheduled_like_the_others():
    assert tasks.retrain.name == tasks.RETRAIN == "checkworthiness.retrain"
    assert app.amqp.router.route({}, tasks.RETRAIN)["queue"].name == settings.EXTRACT_QUEUE
    beat = settings.CELERY_BEAT_SCHEDULE["retrain-checkworthiness"]
    assert beat == {"task": tasks.RETRAIN, "schedule": settings.CHECKWORTHINESS_RETRAIN_EVERY}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_periodic_task_retrains_on_a_real_worker(tmp_path):
    editor = make_user("ed", "Editors")
    desk_history(editor)
    queue = f"test-{uuid.uuid4().hex[:8]}-extract"
    configured = app.conf.task_routes
    route_tasks({name: {**route, "queue": queue} for name, route in configured.items()})
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": worker_database_url(), "EXTRACT_QUEUE": queue}
    worker = Worker("retrainer", env, tmp_path / "worker.log", queue, "prefork", 1)
    try:
        worker.wait_ready()
        app.send_task(tasks.RETRAIN)  # what beat sends
        assert wait_for(lambda: ScorerModel.objects.filter(active=True).exists(), timeout=60), worker.output()
        model = ScorerModel.objects.get()
        assert (model.positives, model.negatives) == (4, 12)
        app.send_task(tasks.RETRAIN)  # nothing new: the worker leaves it as it is
        assert wait_for(lambda: worker.output().count("succeeded") >= 2, timeout=60), worker.output()
        assert ScorerModel.objects.count() == 1
    finally:
        worker.stop()
        route_tasks(configured)
