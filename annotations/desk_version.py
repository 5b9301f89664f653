"""One number that moves whenever anything a signed-in page shows may have changed: the desk's version.

A signed-in request used to spend most of its time on queries that only confirmed nothing had changed: the session,
the user, their roles, and for the claims list the count and every listed claim's row versions (row_versions.py).
Here every write to a table of this app, of the fact-check corpus, of accounts and roles, or of sessions moves a
PostgreSQL sequence (a statement-level trigger on each table), and one cheap call reads it. Whatever a worker keeps
keyed by that number (the session, the user with their roles, a rendered claims list) is reused while the number
stays the same, so an unchanged desk costs one query per request; any write anywhere starts again from the database.

Why it does not serve a stale page, though a sequence ignores transactions (and where it could: see the end):
- a writer moves the sequence in the same statement that writes, after its rows, so from its first row to its
  commit it holds a transaction id; `annotations_desk_version()` reads the sequence, then answers NULL ("don't
  reuse anything") while any other backend of this database holds a transaction id (pg_stat_activity's
  `backend_xid`, which every role can read). A number it does answer was therefore reached only by transactions
  already committed, and the data read afterwards includes them all (it may include later ones too: an entry then
  holds newer data under an older number, which nobody reads again, since the number has moved);
- it also answers NULL when the caller's own transaction has written (its uncommitted rows would be cached, and a
  rollback would not move the number back), and `read()` answers None inside a transaction block, where the
  server keeps one list of backends for the whole transaction.
A request that writes reuses nothing after its first write (an execute wrapper), so it reads its own writes.
A desk with writes in progress reuses less, never wrongly. What it cannot see: commits that fire no trigger
(`session_replication_role = replica` as in `pg_restore --disable-triggers`, `ALTER TABLE ... DISABLE TRIGGER`, DDL
that rewrites rows, prepared two-phase transactions, which Django does not use) and a physical restore of the same
cluster (point-in-time recovery keeps the sequence's oid): after those, move the number
(`SELECT nextval('annotations_desk_version_seq')`) or restart the web processes. `migrate` moves it when it ends
(so a migrate that fails half-way should be followed by that too).
knox tokens, axes and the admin log are not covered: nothing kept here reads them (knox checks a token every time).

The triggers are (re)installed after every `migrate` (post_migrate) on every table of these apps, so a table added
later is covered without anyone remembering to; installing moves the number too.
"""

from __future__ import annotations

import contextvars

from django.apps import apps
from django.db import connection, connections

from .worker_memory import WorkerMemory

# What signed-in pages show (the desk, the fact-check corpus its claims are matched against, the check-worthiness
# dismissals and retrained models behind the reader's suggestions), and who is signed in as whom. Labels only, not
# imports (matching and checkworthiness import annotations): an app listed here that is not installed has no tables.
APPS = ("annotations", "matching", "checkworthiness", "discussion", "auth", "sessions")
SEQUENCE = "annotations_desk_version_seq"

_request_version: contextvars.ContextVar = contextvars.ContextVar("desk_version", default=None)
_UNREAD = object()
_MISSING = object()
REMEMBERED = WorkerMemory(8000)  # sessions, users with their roles, stamps, counts: small entries

INSTALL_FUNCTIONS = f"""
CREATE SEQUENCE IF NOT EXISTS {SEQUENCE};
CREATE OR REPLACE FUNCTION annotations_desk_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('{SEQUENCE}');
  RETURN NULL;
END $$;
-- Whether a transaction is in progress comes from the server's list of backends (their assigned transaction ids),
-- read after the sequence: a snapshot would not do, as it does not list a writer whose id is its xmax.
DROP FUNCTION IF EXISTS annotations_desk_version();
-- The sequence's oid is part of the answer: a database recreated or restored from a dump has a new sequence, whose
-- numbers must not meet what workers kept under the old one's.
CREATE FUNCTION annotations_desk_version() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  version text;
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RETURN NULL;
  END IF;
  SELECT '{SEQUENCE}'::regclass::oid || '.' || CASE WHEN is_called THEN last_value ELSE 0 END
    INTO version FROM {SEQUENCE};
  IF EXISTS (
    SELECT 1 FROM pg_stat_get_activity(NULL) s
     WHERE s.backend_xid IS NOT NULL AND s.pid <> pg_backend_pid()
       AND s.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
  ) THEN
    RETURN NULL;
  END IF;
  RETURN version;
END $$;
"""  # noqa: S608 - the sequence's name is a constant
TRIGGER = (
    'CREATE OR REPLACE TRIGGER annotations_desk_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
    "FOR EACH STATEMENT EXECUTE FUNCTION annotations_desk_changed()"
)


def tables() -> list[str]:
    """Every table of APPS, join tables of many-to-many fields included."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in APPS and model._meta.managed and not model._meta.proxy
        }
    )


def install(using: str = "default") -> None:
    """Create the sequence, the functions and one trigger per table (idempotent), and move the number."""
    with connections[using].cursor() as cursor:
        cursor.execute(INSTALL_FUNCTIONS)
        existing = set(connections[using].introspection.table_names(cursor))
        for table in tables():
            if table in existing:
                cursor.execute(TRIGGER.format(table=table))
        cursor.execute(f"SELECT nextval('{SEQUENCE}')")


def read() -> str | None:
    """The desk's version now, or None when nothing may be reused (a write in progress, or our own)."""
    if connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT annotations_desk_version()")
        return cursor.fetchone()[0]


def current() -> str | None:
    """The version for this request: read once, on first use (None outside a request, so nothing is reused)."""
    holder = _request_version.get()
    if holder is None:
        return None
    if holder[0] is _UNREAD:
        holder[0] = read()
    return holder[0]


class DeskVersionMiddleware:
    """Gives each request its own (lazily read) desk version; first use reads it, later uses agree with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        holder = [_UNREAD]
        token = _request_version.set(holder)
        try:
            with connection.execute_wrapper(_WritesEndReuse(holder)):
                return self.get_response(request)
        finally:
            _request_version.reset(token)


class _WritesEndReuse:
    """After this request's own first write, nothing is reused for the rest of it: what it keeps or finds under
    the version it read would not show its own write (or would hold rows that its transaction may roll back)."""

    def __init__(self, holder: list):
        self.holder = holder

    def __call__(self, execute, sql, params, many, context):
        if self.holder[0] is not None and not (isinstance(sql, str) and sql.lstrip()[:6].upper() == "SELECT"):
            self.holder[0] = None
        return execute(sql, params, many, context)


def remembered(key: tuple, compute):
    """`compute()`, or what it gave under this request's desk version (computed again whenever the version is
    unknown). For reads of the database whose answer only a write can change."""
    version = current()
    if version is None:
        return compute()
    value = REMEMBERED.get((version, *key), _MISSING)
    if value is _MISSING:
        value = compute()
        REMEMBERED.put((version, *key), value)
    return value
