"""The process layout: the Procfile at the repository root, run by honcho (`make run`) or one line at a time
(bench/load.py's web server; docker-compose.yml's services run the same commands)."""

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

from honcho.compat import ProcessManager
from honcho.environ import parse_procfile
from honcho.manager import Manager

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = ROOT / "Procfile"
LEFTOVER_GRACE_SECONDS = 5  # for what a process left in its group after it exited
KILL_WAIT_SECONDS = 5  # after SIGKILL, for the kernel to take the processes away


def commands() -> dict[str, str]:
    """The Procfile's processes, by name, in its order."""
    return dict(parse_procfile(PROCFILE.read_text()).processes)


def environment(**extra: str) -> dict[str, str]:
    """This environment with this interpreter's bin folder first on PATH: the Procfile names `gunicorn` and `celery`,
    which a virtualenv that was never activated (make run's .venv) has only there."""
    path = os.pathsep.join(filter(None, [str(Path(sys.executable).parent), os.environ.get("PATH")]))
    return {**os.environ, "PATH": path, **extra}


class _LeaderFirst(ProcessManager):
    """SIGTERM to each process itself rather than its whole group (honcho's way): a Celery worker then stops its own
    pool once the tasks in hand are done (a warm shutdown), where its children would die mid-task. SIGKILL, after
    honcho's wait, still goes to the group."""

    def terminate(self, pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)


class Layout(Manager):
    """honcho's Manager over the Procfile (or some of its processes), which returns only once every process it
    started and everything they started (a Celery pool, gunicorn's workers) is gone: nothing then holds a database
    connection when the embedded PostgreSQL stops."""

    def __init__(self, names: list[str] | None = None, **env: str):
        super().__init__()
        self._procmgr = _LeaderFirst()
        for name, command in commands().items():
            if names is None or name in names:
                # honcho runs each line through `sh -c`: exec, so that the signals reach the process, not the shell.
                self.add_process(name, f"exec {command}", env=environment(**env), cwd=str(ROOT))

    @property
    def pids(self) -> dict[str, int]:
        """Each started process's id, which is also its process group's (honcho starts each in a session)."""
        return {name: p["pid"] for name, p in self._processes.items() if p.get("pid")}

    def loop(self) -> None:
        try:
            super().loop()
        finally:
            self._wait_for_groups()

    def _wait_for_groups(self) -> None:
        deadline = time.monotonic() + LEFTOVER_GRACE_SECONDS
        for name, pgid in self.pids.items():
            if group_alive(pgid):  # left behind by a process that has exited
                self._system_print(f"{name} left processes in group {pgid}; stopping them\n")
                signal_group(pgid, signal.SIGTERM)
            while group_alive(pgid):
                if time.monotonic() > deadline + KILL_WAIT_SECONDS:
                    self._system_print(f"processes of {name} (group {pgid}) are still there; giving up on them\n")
                    break
                if time.monotonic() > deadline:
                    signal_group(pgid, signal.SIGKILL)
                time.sleep(0.1)


def signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group has exited already
        os.killpg(pgid, sig)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


if (
    __name__ == "__main__"
):  # python -m factcheck.processes [NAME ...]: some of the Procfile's processes (bench/load.py)
    layout = Layout(sys.argv[1:] or None)
    layout.loop()
    sys.exit(layout.returncode if layout.returncode not in (None, 130, 143) else 0)
