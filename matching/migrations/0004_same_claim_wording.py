"""A same-claim link keeps the vector of the claim's wording (its quote), which matching.search lets stand for the
fact-check beside its own."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0003_same_claim_and_best_match"),
    ]

    operations = [
        migrations.AddField(
            model_name="sameclaim",
            name="embedding",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="sameclaim",
            name="embedding_model",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="sameclaim",
            name="wording",
            field=models.TextField(blank=True, editable=False),
        ),
    ]
