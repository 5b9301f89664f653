"""A newcomer's `make run`, Ctrl-C, then `make test`: every process stops, and the tests do not need the dev server.

CI sets DATABASE_URL, so this test takes the embedded path on purpose: its subprocesses run without DATABASE_URL
(nor a broker URL) and with a data folder of their own, as on a fresh checkout.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from factcheck import embedded
from factcheck.embedded import process_alive
from factcheck.processes import group_alive

ROOT = Path(__file__).resolve().parents[1]
# Every wait below is a bound on a hang, not a measure of speed: the test passes whatever the machine's pace.
STARTUP_BOUND = 120
SHUTDOWN_BOUND = 90
pytestmark = pytest.mark.worker  # starts real Celery workers (through devstack)


@pytest.fixture
def data():
    """A fresh data folder (FACTCHECK_DATA_DIR), outside pytest's temporary root.

    PostgreSQL runs as another user when we are root, and every pytest session on the machine resets its temporary
    root to mode 0700, which would lock that user out of a data folder inside it mid-test.
    """
    folder = Path(tempfile.mkdtemp(prefix="factcheck-newcomer-"))
    yield folder / "data"
    for cluster in ("postgres", "test-postgres"):  # left running only if the test failed half-way
        embedded.stop(folder / "data" / cluster)
    shutil.rmtree(folder, ignore_errors=True)


def newcomer_env(data_dir: Path) -> dict[str, str]:
    unset = {"DATABASE_URL", "CELERY_BROKER_URL", "FACTCHECK_EMBEDDED_DB", "MEDIA_ROOT", "CACHE_URL"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    return {**env, "DEBUG": "1", "FACTCHECK_DATA_DIR": str(data_dir)}


def run(env, *args, timeout=STARTUP_BOUND) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, bound: float, what: str, log: Path):
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.3)
    pytest.fail(f"{what} within {bound} s. devstack said:\n{log.read_text()}")


def started(log: Path) -> dict[str, int] | None:
    pids = {name: int(pid) for name, pid in re.findall(r"\| (\w+) started \(pid=(\d+)\)", log.read_text())}
    return pids if set(pids) == {"web", "fetcher", "worker", "beat"} else None


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # a loopback address of our own
            return json.load(response) == {"status": "ok", "database": "ok", "broker": "ok"}
    except OSError:
        return False


def postmaster_pid(pgdata: Path) -> int | None:
    try:
        return int((pgdata / "postmaster.pid").read_text().split()[0])
    except FileNotFoundError:
        return None


def test_ctrl_c_on_make_run_stops_everything_and_make_test_passes_after_it(data, tmp_path):
    env = newcomer_env(data)
    # `make run`: migrate and load the demo (these start the embedded PostgreSQL), then devstack serves.
    for step in (["manage.py", "migrate", "--noinput"], ["manage.py", "load_demo"]):
        done = run(env, *step)
        assert done.returncode == 0, done.stdout + done.stderr
    pgdata = data / "postgres"
    assert postmaster_pid(pgdata) is not None

    addr = f"127.0.0.1:{free_port()}"
    log = tmp_path / "devstack.log"
    with log.open("w") as out:
        devstack = subprocess.Popen(
            [sys.executable, "manage.py", "devstack", "--addr", addr],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # like a terminal's foreground job: Ctrl-C goes to devstack, not to pytest
        )
    try:
        # honcho says "web started (pid=N)" for each Procfile process; each is its own process group.
        children = wait_for(lambda: started(log), STARTUP_BOUND, "devstack started the Procfile", log)
        assert f"Serving on http://{addr}/" in log.read_text()
        wait_for(lambda: healthy(f"http://{addr}/healthz"), STARTUP_BOUND, "the web server answered", log)
        assert all(group_alive(pid) for pid in children.values())
        postmaster = postmaster_pid(pgdata)

        os.killpg(devstack.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground process group
        assert devstack.wait(timeout=SHUTDOWN_BOUND) == 0, log.read_text()
    finally:
        if devstack.poll() is None:
            os.killpg(devstack.pid, signal.SIGKILL)
            devstack.wait()

    # When devstack returns, every process it started (and their own children, such as Celery's pool) is gone...
    said = log.read_text()
    assert {name for name, pid in children.items() if group_alive(pid)} == set(), said
    # ...and PostgreSQL is down, not shutting down.
    assert postmaster_pid(pgdata) is None and not process_alive(postmaster), said
    assert "Stopped the embedded PostgreSQL." in said

    # `make test` straight away: the suite's own embedded cluster, started and stopped by the test plugin.
    tests = run(env, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/test_demo.py")
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert re.search(r"\b\d+ passed\b", tests.stdout), tests.stdout
    assert (data / "test-postgres" / "PG_VERSION").exists()
    assert postmaster_pid(data / "test-postgres") is None  # the test run stopped the cluster it started
    assert postmaster_pid(pgdata) is None  # and never started the development one


def test_a_test_run_does_not_use_the_development_server(data):
    """`make test` while `make run` serves: the tests' cluster is another one, and the dev server keeps running."""
    env = newcomer_env(data)
    try:
        started = run(env, "manage.py", "migrate", "--noinput")
        assert started.returncode == 0, started.stderr
        dev_postmaster = postmaster_pid(data / "postgres")
        tests = run(
            env, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/test_demo.py::test_demo_loads_everything_once"
        )
        assert tests.returncode == 0, tests.stdout + tests.stderr
        assert postmaster_pid(data / "postgres") == dev_postmaster and process_alive(dev_postmaster)
        assert (data / "test-postgres" / "PG_VERSION").exists()  # the tests ran on a cluster of their own
        assert postmaster_pid(data / "test-postgres") is None
    finally:
        run(env, "-c", "from factcheck import embedded; embedded.stop()")
    assert postmaster_pid(data / "postgres") is None


def test_a_server_still_stopping_is_waited_for_and_a_zombie_counts_as_gone(tmp_path):
    """What `make test` straight after Ctrl-C once met: a postmaster.pid whose server is still shutting down."""
    pgdata = tmp_path / "postgres"
    pgdata.mkdir()
    stopping = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    # postmaster.pid: pid, data folder, start time, port, socket folder, listen address, shared memory, status.
    lines = [str(stopping.pid), str(pgdata), "0", "5432", str(pgdata), "", "0 0", "stopping"]
    (pgdata / "postmaster.pid").write_text("\n".join(lines) + "\n")
    assert embedded.is_running(pgdata)
    stopping.stdin.close()  # the "server" exits; not reaped yet, it stays a zombie while we wait
    embedded._wait_settled(pgdata)
    assert not embedded.is_running(pgdata) and not process_alive(stopping.pid)
    stopping.wait()
