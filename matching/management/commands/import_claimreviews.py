"""Import ClaimReviews from files into the corpus of fact-checks (see the README, "Fact-check corpus")."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from matching.claimreview_parse import NotAFeed, parse, size_problem
from matching.models import FactCheck
from matching.services import BATCH_SIZE, ImportResult, factchecks_import


def read_capped(path: str, max_bytes: int) -> bytes:
    """The file's bytes, refused before reading when it is over the cap (and never read past it, should it grow)."""
    file = Path(path)
    try:
        if problem := size_problem(file.stat().st_size, max_bytes):
            raise NotAFeed(problem)
        with file.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise NotAFeed("no such file") from None
    except IsADirectoryError:
        raise NotAFeed("is a directory, not a file") from None
    except OSError as error:
        raise NotAFeed(f"cannot be read ({error.strerror})") from None
    if problem := size_problem(len(data), max_bytes):
        raise NotAFeed(problem)
    return data


class Command(BaseCommand):
    help = (
        "Import ClaimReviews (JSON: one, a list, a schema.org DataFeed or @graph; JSON Lines; HTML pages with "
        "ld+json) into the fact-check corpus, idempotent by url. Refused records are listed with their position; "
        "the exit status is 1 when no valid ClaimReview was found."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="A .json, .jsonl or .html file.")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Records per transaction (default %(default)s)."
        )

    def handle(self, *args, paths: list[str], batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        total = ImportResult()
        for path in paths:
            try:
                parsed = parse(read_capped(path, settings.CLAIMREVIEW_MAX_BYTES), name=path)
            except NotAFeed as error:
                self.stderr.write(f"{path}: {error}")
                continue
            result = factchecks_import(
                actor=None, items=parsed.items, origin=FactCheck.Origin.FILE, batch_size=batch_size
            )
            for error in result.errors:
                self.stderr.write(f"{path}: {error}")
            self.stdout.write(f"{path}: {parsed.format}, {result.summary()}")
            total.add(result)
        if len(paths) > 1:
            self.stdout.write(f"Total: {total.summary()}")
        if total.valid == 0:
            raise CommandError("No valid ClaimReview was found: nothing was imported.")
