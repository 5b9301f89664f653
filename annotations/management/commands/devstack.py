from django.core.management.base import BaseCommand

from factcheck import embedded
from factcheck.processes import Layout, commands


class Command(BaseCommand):
    help = "Run the Procfile (web, Celery workers and beat) through honcho, as `make run` does; Ctrl-C stops all."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        # The environment carries DATABASE_URL, set by manage.py for the embedded server. The access log is what
        # runserver used to show.
        layout = Layout(GUNICORN_CMD_ARGS=f"--bind={addr} --access-logfile=-")
        names = ", ".join(commands())
        self.stdout.write(f"Serving on http://{addr}/ with the Procfile's {names}. Ctrl-C stops everything.")
        self.stdout.flush()
        try:
            layout.loop()  # until Ctrl-C, or until one process exits: honcho then stops the others
        finally:
            if embedded.started_here is not None:
                # Only the cluster this process chose (make run's), never one whose DATABASE_URL it inherited.
                embedded.stop(embedded.started_here)
                self.stdout.write("Stopped the embedded PostgreSQL.")
            self.stdout.write("Everything `make run` started has stopped.")
