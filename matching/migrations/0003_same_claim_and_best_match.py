"""Our claims against the corpus: "same claim as" links (SameClaim) and each claim's best match (ClaimMatch)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0012_claim_status_from_verdict"),
        ("matching", "0002_vector_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SameClaim",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("linked_at", models.DateTimeField()),
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="same_as", to="annotations.claim"
                    ),
                ),
                (
                    "fact_check",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="same_claims",
                        to="matching.factcheck",
                    ),
                ),
                (
                    "linked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "same claim link",
            },
        ),
        migrations.CreateModel(
            name="ClaimMatch",
            fields=[
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="best_match",
                        serialize=False,
                        to="annotations.claim",
                    ),
                ),
                ("score", models.FloatField(blank=True, null=True)),
                ("text", models.TextField()),
                ("model", models.CharField(max_length=200)),
                ("computed_at", models.DateTimeField()),
                (
                    "fact_check",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="matching.factcheck",
                    ),
                ),
            ],
            options={
                "verbose_name": "claim's best match",
                "verbose_name_plural": "claims' best matches",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("fact_check__isnull", True), ("score__isnull", True)),
                            models.Q(("fact_check__isnull", False), ("score__isnull", False)),
                            _connector="OR",
                        ),
                        name="claimmatch_score_with_match",
                    )
                ],
            },
        ),
    ]
