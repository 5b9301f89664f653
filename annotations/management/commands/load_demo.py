from django.core.management.base import BaseCommand

from annotations.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data (seed article, accounts, rating scale, registry, worked example). Safe to run twice."

    def handle(self, *args, **options):
        result = load_demo()
        made = ", ".join(f"{count} {name}" for name, count in result.created.items())
        self.stdout.write(f"Demo data ready (new: {made}).")
        self.stdout.write("Demo accounts (for local use only):")
        for username, password, role in result.accounts:
            self.stdout.write(f"  {username:<9} password {password:<20} {role}")
