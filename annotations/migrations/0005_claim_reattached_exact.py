from django.db import migrations, models
from django.db.models import F


def remember_reattachments(apps, schema_editor):
    # Before this field, a re-attachment was inferred: an anchored or moved claim whose anchored quote differs from
    # its original one can only have been re-attached by an editor. Those claims keep following that quote.
    Claim = apps.get_model("annotations", "Claim")
    (
        Claim.objects.filter(
            anchor_revision__isnull=False, anchor_start__isnull=False, anchor_state__in=["anchored", "moved"]
        )
        .exclude(anchor_exact=F("exact"))
        .update(reattached_exact=F("anchor_exact"))
    )


class Migration(migrations.Migration):
    dependencies = [("annotations", "0004_capture_text_lz4")]

    operations = [
        migrations.AddField(model_name="claim", name="reattached_exact", field=models.TextField(blank=True)),
        migrations.RunPython(remember_reattachments, migrations.RunPython.noop),
    ]
