"""The desk's version: one number that moves on any write, and what the workers keep by it never goes stale."""

import time

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotations import desk_version
from annotations.api import claim_lists
from annotations.models import Article

from .api_support import make_claim

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def nothing_kept():
    for memory in (desk_version.REMEMBERED, claim_lists.PAGES):
        memory._entries.clear()


def session_kept() -> bool:
    return any(key[1] == "session" for key in list(desk_version.REMEMBERED._entries))


def other_connection() -> psycopg.Connection:
    """A second connection to the test database, as another worker or psql would hold it."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params)


def kept(request, is_kept, attempts: int = 40):
    """Repeat `request` until the worker keeps what it read: the version is withheld while any transaction of the
    server is in progress (other tests' workers, autovacuum), so the first attempt may not keep it."""
    for _ in range(attempts):
        response = request()
        if is_kept():
            return response
        time.sleep(0.05)
    pytest.fail("nothing was kept under the desk's version (a transaction stayed in progress on the server?)")


def test_every_table_of_the_app_accounts_and_sessions_moves_the_version():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'annotations_desk_changed'"
        )
        covered = {row[0] for row in cursor.fetchall()}
    expected = set(desk_version.tables())
    assert {"annotations_claim", "annotations_evidence", "annotations_verdict", "auth_user", "auth_user_groups"} <= (
        expected
    )
    assert "django_session" in expected
    assert expected <= covered


def readable_version() -> str:
    """The version, waiting out transactions in progress elsewhere (while one is, there is none to read)."""
    for _ in range(40):
        if (version := desk_version.read()) is not None:
            return version
        time.sleep(0.05)
    pytest.fail("the desk's version stayed unreadable (a transaction stayed in progress on the server?)")


def test_a_write_by_any_path_moves_the_version(editor, revision):
    before = readable_version()
    assert readable_version() == before  # reading moves nothing
    with other_connection() as other:
        other.execute("UPDATE annotations_article SET title = title || '!'")
    assert readable_version() != before


def test_no_version_while_a_writer_has_not_committed_nor_after_our_own_write(editor, revision):
    with other_connection() as other:
        other.execute("UPDATE annotations_article SET title = title || '!'")  # in progress: not committed
        assert desk_version.read() is None
        other.rollback()
    from django.db import transaction

    with transaction.atomic():
        Article.objects.filter(pk=revision.article_id).update(title="Changed, not yet committed")
        assert desk_version.read() is None  # what this transaction reads now could still be rolled back


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_claims_list_kept_by_the_version_shows_a_change_made_by_any_path(editor, revision):
    claim = make_claim(editor, revision)
    client = signed_in_client(editor)
    first = kept(lambda: client.get("/api/claims/"), lambda: len(claim_lists.PAGES) > 0)
    etag = first["ETag"]
    # Kept: an unchanged desk answers from memory, the 304 too, with the same ETag.
    for _ in range(40):
        with CaptureQueriesContext(connection) as queries:
            again = client.get("/api/claims/")
        if len(queries) == 1:
            break
    assert len(queries) == 1 and "annotations_desk_version" in queries[0]["sql"]
    assert again.content == first.content and again["ETag"] == etag
    assert client.get("/api/claims/", headers={"if-none-match": etag}).status_code == 304
    # A change that no service made (psql, another worker) is in the very next answer.
    with other_connection() as other:
        other.execute("UPDATE annotations_claim SET claimant = 'Someone else' WHERE id = %s", [claim.pk])
    changed = client.get("/api/claims/")
    assert changed.json()["results"][0]["claimant"] == "Someone else"
    assert changed["ETag"] != etag
    assert client.get("/api/claims/", headers={"if-none-match": etag}).status_code == 200


def test_a_kept_session_ends_with_sign_out_everywhere(editor, revision):
    client = signed_in_client(editor)
    kept(lambda: client.get("/api/claims/"), session_kept)
    assert client.get("/api/claims/").status_code == 200
    with other_connection() as other:
        other.execute("DELETE FROM django_session")  # every session ended (say, by an admin in psql)
    assert client.get("/api/claims/").status_code == 401


def test_a_kept_user_loses_a_removed_role_and_a_deactivated_account_at_once(editor, revision, reviewer):
    client = signed_in_client(editor)
    kept(lambda: client.get("/articles/"), session_kept)
    assert client.get("/articles/").status_code == 200
    editor.groups.clear()
    assert client.get("/articles/").status_code == 403
    desk_version.REMEMBERED._entries.clear()
    other = signed_in_client(reviewer)
    kept(lambda: other.get("/articles/"), session_kept)
    assert other.get("/articles/").status_code == 200
    type(reviewer).objects.filter(pk=reviewer.pk).update(is_active=False)
    assert other.get("/articles/").status_code in (302, 403)


def test_a_password_change_elsewhere_signs_the_kept_session_out(editor, revision):
    client = signed_in_client(editor)
    kept(lambda: client.get("/api/claims/"), session_kept)
    editor.set_password("a-new-long-passphrase-42")
    editor.save()
    assert client.get("/api/claims/").status_code == 401


def test_the_reader_of_an_unchanged_desk_costs_one_query_and_shows_a_change_at_once(editor, revision):
    claim = make_claim(editor, revision)
    client = signed_in_client(editor)
    url = f"/articles/{revision.article_id}/"
    kept(lambda: client.get(url), lambda: len(desk_version.REMEMBERED) > 0)
    for _ in range(40):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        if len(queries) == 1:
            break
    # the desk's version; the session, the user with their roles, the article's stamp and the nav counts are kept
    assert len(queries) == 1 and page.status_code == 200
    with other_connection() as other:
        other.execute("UPDATE annotations_claim SET claim_reviewed = 'Reworded elsewhere' WHERE id = %s", [claim.pk])
    assert "Reworded elsewhere" in client.get(url).content.decode()


def test_a_request_that_writes_reuses_nothing_after_its_write(editor, revision):
    seen = {}

    def view(request):
        seen["before"] = kept(desk_version.current, lambda: True)
        Article.objects.filter(pk=revision.article_id).update(title="Changed by this request")
        seen["after"] = desk_version.current()
        seen["remembered"] = desk_version.remembered(("title", revision.article_id), lambda: "computed again")
        return None

    desk_version.DeskVersionMiddleware(view)(None)
    assert seen["after"] is None and seen["remembered"] == "computed again"
    assert desk_version.current() is None  # outside a request, nothing is reused
