import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from checkworthiness import debates, scorer, training


class Command(BaseCommand):
    help = (
        "Retrain the check-worthiness scorer on the desk's history (claimed sentences positive, dismissed ones "
        "negative) on top of the default model, and make it the active one. With --default FOLDER, train the "
        "default model itself on the CLEF 2020 CheckThat! Task 5 debates (sshaar/clef2020-factchecking-task5, "
        '"free for general research use") read from FOLDER, and write it to checkworthiness/default_model.json.'
    )

    def add_arguments(self, parser):
        parser.add_argument("--default", metavar="FOLDER", help="The CheckThat! debates folder (*.tsv transcripts).")
        parser.add_argument(
            "--output", metavar="PATH", help=f"Where --default writes the model (default {scorer.DEFAULT_MODEL_PATH})."
        )

    def handle(self, *args, default=None, output=None, **options):
        if default is not None:
            self.train_default(Path(default), Path(output) if output else scorer.DEFAULT_MODEL_PATH)
            return
        if output:
            raise CommandError("--output goes with --default")
        from checkworthiness import services  # needs the database; --default does not

        result = services.retrain()
        counts = f"{result.positives} claimed and {result.negatives} dismissed sentences"
        if result.trained:
            self.stdout.write(f"Model {result.model.pk} trained on {counts} on top of the default; now active.")
        elif result.model is not None:
            self.stdout.write(f"Nothing new since model {result.model.pk} ({counts}); it stays active.")
        else:
            self.stdout.write("No claimed or dismissed sentences yet: the default model stays.")

    def train_default(self, folder: Path, output: Path) -> None:
        try:
            transcripts = debates.read_debates(folder)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        rows = [row for transcript in transcripts.values() for row in transcript]
        model = training.train_default(rows)
        model.about = {
            **model.about,
            "data": "CLEF 2020 CheckThat! Task 5 debates (sshaar/clef2020-factchecking-task5), all transcripts",
            "licence": "free for general research use",
            "transcripts": len(transcripts),
        }
        output.write_text(json.dumps(model.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        self.stdout.write(
            f"Wrote {output}: {len(model.weights)} weights from {len(transcripts)} transcripts "
            f"({model.about['positives']} check-worthy of {len(rows)} sentences)."
        )
