from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotations.importing import ImportFormatError, parse_article
from annotations.models import ArticleRevision
from annotations.services import article_import


class Command(BaseCommand):
    help = (
        "Import an article from a seed-format, plain-text or HTML file (idempotent: same URL and text, nothing new)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="File in the seed format (date YYYY-MM-DD URL / title / body), text or HTML.")
        parser.add_argument("--url", help="The article's URL, when the file does not say it.")
        parser.add_argument(
            "--language", help="The article's language as a BCP 47 code (en, ar, pt-BR); detected when not given."
        )

    def handle(self, *args, path, url=None, language=None, **options):
        file = Path(path)
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise CommandError(f"{path}: is a directory, not a file") from None
        except OSError as error:
            raise CommandError(f"{path}: cannot read ({error.strerror})") from None
        try:
            parsed = parse_article(data, file.name)
        except ImportFormatError as error:
            raise CommandError(f"{path}: {error}") from None
        try:
            result = article_import(
                actor=None,
                title=parsed.title,
                text=parsed.text,
                url=url or parsed.url,
                published_date=parsed.published_date,
                language=language,
                origin=ArticleRevision.Origin.FILE,
            )
        except ValidationError as error:
            reasons = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            raise CommandError(f"{path}: {reasons}") from None
        if result.article_created:
            outcome = "imported"
        elif result.revision_created:
            outcome = f"added revision {result.revision.number} to"
        else:
            outcome = "unchanged:"
        self.stdout.write(
            f"{outcome} article {result.article.pk} {result.article.title!r} (language {result.article.language})"
        )
