from django.core.management.base import BaseCommand

from matching.services import own_factchecks_resync


class Command(BaseCommand):
    help = "Bring the corpus's rows of our own published fact-checks in line with the verdicts (idempotent)."

    def handle(self, *args, **options):
        counts = own_factchecks_resync()
        self.stdout.write(", ".join(f"{count} {name}" for name, count in counts.items()))
