from django.db import migrations, models

CONTEXT_WIDTH = 32  # annotations.models.CONTEXT_WIDTH when this was written


def remember_context(apps, schema_editor):
    # Claims re-attached before: their context where they are anchored now (the editor's selection or where
    # re-anchoring followed it).
    Claim = apps.get_model("annotations", "Claim")
    claims = Claim.objects.exclude(reattached_exact="").filter(
        anchor_revision__isnull=False, anchor_start__isnull=False, anchor_end__isnull=False
    )
    for claim in claims.select_related("anchor_revision").iterator():
        text = claim.anchor_revision.text
        claim.reattached_prefix = text[max(0, claim.anchor_start - CONTEXT_WIDTH) : claim.anchor_start]
        claim.reattached_suffix = text[claim.anchor_end : claim.anchor_end + CONTEXT_WIDTH]
        claim.save(update_fields=["reattached_prefix", "reattached_suffix"])


class Migration(migrations.Migration):
    dependencies = [("annotations", "0005_claim_reattached_exact")]

    operations = [
        migrations.AddField(
            model_name="claim", name="reattached_prefix", field=models.CharField(blank=True, max_length=32)
        ),
        migrations.AddField(
            model_name="claim", name="reattached_suffix", field=models.CharField(blank=True, max_length=32)
        ),
        migrations.RunPython(remember_context, migrations.RunPython.noop),
    ]
