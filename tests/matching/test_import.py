"""Importing ClaimReviews: the service (batches, idempotency by url) and `manage.py import_claimreviews`."""

import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection

from matching import services
from matching.claimreview_parse import parse
from matching.models import FactCheck
from matching.services import importing
from tests.conftest import make_user

from .support import claim_review, data_feed, dumps, html_page

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def import_bytes(data: bytes, **options):
    return services.factchecks_import(actor=None, items=parse(data).items, **options)


def test_an_import_stores_every_field_and_a_search_vector():
    result = import_bytes(dumps(data_feed(claim_review(1), claim_review(2, inLanguage="fr"))))
    assert (result.created, result.updated, result.skipped, result.errors) == (2, 0, 0, [])
    row = FactCheck.objects.get(url="https://checker.example/fact-checks/1")
    assert row.origin == "file" and row.feed is None and row.claim is None
    assert (row.publisher_name, row.publisher_url) == ("Checker", "https://checker.example/")
    assert (row.rating_name, row.rating_value, row.rating_best, row.rating_worst) == ("False", 1.0, 5.0, 1.0)
    assert (row.claimant, row.appearance_urls, row.language) == (
        "A. Politician",
        ["https://social.example/posts/1"],
        "en",
    )
    assert row.date_published.isoformat() == "2024-03-05"
    assert row.embedding is None and row.embedding_model == ""
    # The trigger's vector: claim_reviewed (A) and headline (B), in the row's language: English stems "doubled" and
    # drops "about", French does neither, and a row of unknown language is indexed word for word ('simple').
    FactCheck.objects.filter(url__endswith="/2").update(language=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT url, search::text FROM matching_factcheck ORDER BY url")
        (_, english), (_, simple) = cursor.fetchall()
    assert "'doubl':7A,15B" in english and "'about'" not in english
    assert "'doubled':7A" in simple and "'about':4A" in simple and "'exports':6A" in simple


def test_the_same_urls_again_update_only_what_changed():
    first = import_bytes(dumps([claim_review(1), claim_review(2)]))
    assert first.created == 2
    FactCheck.objects.filter(url__endswith="/1").update(embedding=b"\x00\x00\x80?", embedding_model="some-model")
    FactCheck.objects.filter(url__endswith="/2").update(embedding=b"\x00\x00\x80?", embedding_model="some-model")
    again = import_bytes(dumps([claim_review(1), claim_review(2)]))
    assert (again.created, again.updated, again.skipped) == (0, 0, 2)
    changed = claim_review(1, claimReviewed="A new wording of the claim")
    rated = claim_review(2, reviewRating={"alternateName": "Mostly false"})
    result = import_bytes(dumps([changed, rated, claim_review(3)]))
    assert (result.created, result.updated, result.skipped) == (1, 2, 0)
    assert FactCheck.objects.count() == 3
    one, two = FactCheck.objects.get(url__endswith="/1"), FactCheck.objects.get(url__endswith="/2")
    assert one.claim_reviewed == "A new wording of the claim" and one.embedding is None  # its text changed
    assert two.rating_name == "Mostly false" and bytes(two.embedding) == b"\x00\x00\x80?"  # its text did not


def test_a_url_twice_in_one_input_keeps_the_last_copy():
    result = import_bytes(dumps([claim_review(1), claim_review(1, headline="Second copy")]))
    assert (result.created, result.skipped) == (1, 1)
    assert FactCheck.objects.get().headline == "Second copy"


def test_good_records_are_imported_and_bad_ones_reported_with_their_position():
    items = [claim_review(1), claim_review(2, url=None), claim_review(3, claimReviewed=7), claim_review(4)]
    result = import_bytes(dumps(items))
    assert (result.created, result.valid) == (2, 2)
    assert [str(e) for e in result.errors] == [
        "record 2: ClaimReview without url",
        "record 3: claimReviewed is a number, not text",
    ]
    assert sorted(FactCheck.objects.values_list("url", flat=True)) == [
        "https://checker.example/fact-checks/1",
        "https://checker.example/fact-checks/4",
    ]


def test_a_batch_the_database_refuses_is_rolled_back_whole_and_the_others_are_kept(monkeypatch):
    import_bytes(dumps([claim_review(3)]))
    real_values = importing.record_values

    def values(record):
        found = real_values(record)
        if record.url.endswith("/3"):
            found["claim_reviewed"] = ""  # the database refuses the batch's update (a check constraint)
        return found

    monkeypatch.setattr(importing, "record_values", values)
    # Batches of 2: [1, 2] stored; [4 (new, inserted first), 3 (its update fails)] rolled back; [5] stored.
    result = import_bytes(dumps([claim_review(n) for n in (1, 2, 4, 3, 5)]), batch_size=2)
    assert (result.created, result.updated) == (3, 0)
    assert [e.position for e in result.errors] == ["record 3 to record 4"]
    assert "not imported: the database refused this batch of 2" in result.errors[0].reason
    assert sorted(u[-1] for u in FactCheck.objects.values_list("url", flat=True)) == ["1", "2", "3", "5"]
    assert FactCheck.objects.get(url__endswith="/3").claim_reviewed.startswith("Claim number 3")  # not updated


def test_one_transaction_per_batch():
    from django.test.utils import CaptureQueriesContext

    records = parse(dumps([claim_review(n) for n in range(1, 8)])).items
    with CaptureQueriesContext(connection) as captured:
        result = services.factchecks_import(actor=None, items=records, batch_size=2)
    assert result.created == 7
    # Inside the test's own transaction each batch's atomic block is a savepoint: one each, around its writes.
    kinds = [q["sql"].split()[0] for q in captured.captured_queries]
    assert kinds == ["SAVEPOINT", "SELECT", "INSERT", "RELEASE"] * 4  # batches of 2, 2, 2 and 1


def test_only_admins_import_through_the_service():
    editor = make_user("ed", "Editors")
    with pytest.raises(PermissionDenied, match="Only admins import fact-checks"):
        services.factchecks_import(actor=editor, items=parse(dumps(claim_review(1))).items)
    admin = make_user("adm", "Admins")
    assert services.factchecks_import(actor=admin, items=parse(dumps(claim_review(1))).items).created == 1


# --- The command -----------------------------------------------------------------------------------------------------


def run(*paths, **options):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_claimreviews", *map(str, paths), stdout=out, stderr=err, **options)
    except CommandError as error:
        return 1, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def test_the_command_imports_json_json_lines_and_html_and_prints_counts(tmp_path):
    (tmp_path / "feed.json").write_bytes(dumps(data_feed(claim_review(1), claim_review(2))))
    (tmp_path / "feed.jsonl").write_text(json.dumps(claim_review(2)) + "\n" + json.dumps(claim_review(3)) + "\n")
    (tmp_path / "page.html").write_bytes(html_page({"@graph": [claim_review(4)]}))
    code, out, err = run(tmp_path / "feed.json", tmp_path / "feed.jsonl", tmp_path / "page.html")
    assert code == 0 and err == ""
    assert out.splitlines() == [
        f"{tmp_path / 'feed.json'}: JSON, 2 created, 0 updated, 0 skipped, 0 refused",
        f"{tmp_path / 'feed.jsonl'}: JSON Lines, 1 created, 0 updated, 1 skipped, 0 refused",
        f"{tmp_path / 'page.html'}: HTML, 1 created, 0 updated, 0 skipped, 0 refused",
        "Total: 4 created, 0 updated, 1 skipped, 0 refused",
    ]
    assert FactCheck.objects.count() == 4
    code, out, _ = run(tmp_path / "feed.json")  # idempotent
    assert code == 0 and "0 created, 0 updated, 2 skipped" in out and FactCheck.objects.count() == 4


def test_the_command_reports_bad_records_and_imports_the_good_ones(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_bytes(dumps([claim_review(1), claim_review(2, url="ftp://x.example/2"), claim_review(3, url=None)]))
    code, out, err = run(path)
    assert code == 0
    assert f"{path}: record 2: url 'ftp://x.example/2' is not an absolute http(s) URL" in err
    assert f"{path}: record 3: ClaimReview without url" in err
    assert out.strip() == f"{path}: JSON, 1 created, 0 updated, 0 skipped, 2 refused"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"These are my notes, not JSON.", "not JSON, JSON Lines or an HTML page"),
        ("broken.json", b'{"@type": "ClaimReview", "url": ', "not JSON: Expecting value at line 1"),
        ("types.json", dumps([claim_review(1, claimReviewed=12)]), "record 1: claimReviewed is a number, not text"),
        ("nourl.json", dumps(claim_review(1, url=None)), "record 1: ClaimReview without url"),
        ("page.html", b"<html><body>No JSON-LD</body></html>", "an HTML page without any ClaimReview"),
    ],
)
def test_nothing_valid_exits_non_zero_with_the_reason(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = run(path)
    assert code == 1
    assert message in err and "No valid ClaimReview was found: nothing was imported." in err
    assert FactCheck.objects.count() == 0


def test_a_missing_file_and_a_directory_are_reported(tmp_path):
    code, _, err = run(tmp_path / "missing.json", tmp_path)
    assert code == 1 and "missing.json: no such file" in err and "is a directory, not a file" in err


def test_a_50_mb_file_is_refused_without_being_read(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # sparse: 50 MB long, nothing written
        handle.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    try:
        code, _, err = run(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 1
    assert f"{path}: 52,428,800 bytes, more than the limit of 20,971,520 bytes (20 MB)" in err
    assert peak < 5 * 1024 * 1024  # it was not read into memory


def worker_database_url() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + settings.DATABASES["default"]["NAME"]))


@pytest.mark.django_db(transaction=True)
def test_exit_status_of_the_real_command(tmp_path):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_bytes(dumps(claim_review(1)))
    bad.write_bytes(dumps({"@type": "ClaimReview", "claimReviewed": "No url"}))
    env = {**os.environ, "DATABASE_URL": worker_database_url()}

    def command(path):
        args = [sys.executable, "manage.py", "import_claimreviews", str(path)]
        return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    failed = command(bad)
    assert failed.returncode == 1, failed.stderr
    assert "record 1: ClaimReview without url" in failed.stderr and "No valid ClaimReview" in failed.stderr
    imported = command(good)
    assert imported.returncode == 0, imported.stderr
    assert "JSON, 1 created" in imported.stdout
    assert FactCheck.objects.filter(url="https://checker.example/fact-checks/1").exists()


# --- Another Factcheck's feed: this project's own /api/claimreviews/ ------------------------------------------------


def test_our_own_public_feed_parses_and_imports(editor, reviewer, revision, rating):
    from annotations.claimreview import public_url
    from tests.api_support import client_for, make_published

    verdict = make_published(editor, reviewer, revision, rating)
    response = client_for().get("/api/claimreviews/")
    parsed = parse(response.content, content_type=response["Content-Type"])
    assert parsed.errors == [] and parsed.next_url is None
    (record,) = parsed.records
    assert record.url == public_url(verdict)
    assert record.claim_reviewed == "Russia is among the top five arms exporters"
    assert (record.publisher_name, record.publisher_url) == (
        settings.FACTCHECK_ORGANIZATION_NAME,
        settings.FACTCHECK_ORGANIZATION_URL,
    )
    assert record.rating_name == rating.label and record.rating_value == rating.value
    assert record.claimant == "Vladimir Putin" and record.appearance_urls == [revision.article.url]
    assert record.date_published == verdict.published_at.date()


def test_an_empty_feed_file_finds_nothing_valid(tmp_path):
    path = tmp_path / "empty.json"
    path.write_bytes(dumps({"@type": "DataFeed", "dataFeedElement": []}))
    code, out, err = run(path)
    assert code == 1 and "JSON, 0 created, 0 updated, 0 skipped, 0 refused" in out and "No valid ClaimReview" in err
