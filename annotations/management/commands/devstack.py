import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from factcheck import embedded

STOP_GRACE_SECONDS = 15  # for a warm shutdown: Celery finishes the tasks in hand
KILL_WAIT_SECONDS = 5  # after SIGKILL, for the kernel to take the processes away


class Command(BaseCommand):
    help = "Run the web server, Celery workers and Celery beat together (what `make run` starts); Ctrl-C stops all."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        python = sys.executable
        env = dict(os.environ)  # carries DATABASE_URL, set by manage.py for the embedded server
        celery = [python, "-m", "celery", "-A", "factcheck", "worker", "--loglevel=INFO"]
        commands = {
            # Fetching waits on the network: many threads. Extraction is CPU work: one process per core.
            "fetcher": [*celery, "-n", "fetcher@%h", "-Q", settings.FETCH_QUEUE, "--pool=threads", "--concurrency=20"],
            "worker": [
                *(["nice", "-n", "10"] if shutil.which("nice") else []),  # fetches and pages first (README)
                "env",
                "CELERY_DB_REUSE_MAX=100",  # a prefork child keeps its connection (see settings)
                *celery,
                "-n",
                "extractor@%h",
                "-Q",
                settings.EXTRACT_QUEUE,
                "--pool=prefork",
                "--concurrency=2",
                "--prefetch-multiplier=4",  # a few messages in hand per child: no wait between tasks
            ],
            "beat": [python, "-m", "celery", "-A", "factcheck", "beat", "--loglevel=INFO"],
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
        }
        children = {}
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            for name, command in commands.items():
                # Own process group each, so a terminal's Ctrl-C reaches us once and we stop them in order.
                children[name] = subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603 (fixed argv)
            pids = ", ".join(f"{name} {child.pid}" for name, child in children.items())
            self.stdout.write(
                f"Serving on http://{addr}/ with a Celery worker and beat ({pids}). Ctrl-C stops everything."
            )
            self.stdout.flush()
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with {child.returncode}; stopping the others.")
                        stopping = True
                time.sleep(0.5)
        finally:
            self._stop_all(children)
            if embedded.started_here is not None:
                # Only the cluster this process chose (make run's), never one whose DATABASE_URL it inherited.
                embedded.stop(embedded.started_here)
                self.stdout.write("Stopped the embedded PostgreSQL.")
            self.stdout.write("Everything `make run` started has stopped.")

    def _stop_all(self, children: dict[str, subprocess.Popen]) -> None:
        """SIGTERM each child, then wait until its whole process group is gone (SIGKILL after a grace time).

        The child first: a Celery worker stops its own pool (a warm shutdown). Then the group: the pool's processes,
        or anything else a child started, must be gone too, so that nothing holds a database connection when
        PostgreSQL stops.
        """
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for name, child in children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in {STOP_GRACE_SECONDS} s; killing it.")
                _signal_group(child.pid, signal.SIGKILL)
                child.wait()
            if _group_alive(child.pid):  # left behind by a child that has exited
                _signal_group(child.pid, signal.SIGTERM)
            while _group_alive(child.pid):
                if time.monotonic() > deadline + KILL_WAIT_SECONDS:
                    self.stderr.write(f"Processes of {name} (group {child.pid}) are still there; giving up on them.")
                    break
                if time.monotonic() > deadline:
                    _signal_group(child.pid, signal.SIGKILL)
                time.sleep(0.1)


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group has exited already
        os.killpg(pgid, sig)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
