import os
import shutil
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from factcheck import embedded


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
            self.stdout.write(f"Serving on http://{addr}/ with a Celery worker and beat. Ctrl-C stops everything.")
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with {child.returncode}; stopping the others.")
                        stopping = True
                time.sleep(0.5)
        finally:
            for child in children.values():
                if child.poll() is None:
                    os.killpg(child.pid, signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()
            if os.environ.get("FACTCHECK_EMBEDDED_DB") == "1":
                embedded.stop()
                self.stdout.write("Stopped the embedded PostgreSQL.")
