import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The activity log stays append-only with its new column: only clearing the actor or the subject (when an account is
# deleted) may change a row.
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION annotations_activity_append_only() RETURNS trigger AS $$
BEGIN
    IF (NEW.action, NEW.article_id, NEW.claim_id, NEW.verdict_id, NEW.from_state, NEW.to_state, NEW.comment,
        NEW.created_at) IS DISTINCT FROM (OLD.action, OLD.article_id, OLD.claim_id, OLD.verdict_id, OLD.from_state,
        OLD.to_state, OLD.comment, OLD.created_at)
       OR (NEW.actor_id IS DISTINCT FROM OLD.actor_id AND NEW.actor_id IS NOT NULL)
       OR (NEW.subject_id IS DISTINCT FROM OLD.subject_id AND NEW.subject_id IS NOT NULL) THEN
        RAISE EXCEPTION 'activity is append-only: rows cannot be changed' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

PREVIOUS_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION annotations_activity_append_only() RETURNS trigger AS $$
BEGIN
    IF (NEW.action, NEW.article_id, NEW.claim_id, NEW.verdict_id, NEW.from_state, NEW.to_state, NEW.comment,
        NEW.created_at) IS DISTINCT FROM (OLD.action, OLD.article_id, OLD.claim_id, OLD.verdict_id, OLD.from_state,
        OLD.to_state, OLD.comment, OLD.created_at)
       OR (NEW.actor_id IS DISTINCT FROM OLD.actor_id AND NEW.actor_id IS NOT NULL) THEN
        RAISE EXCEPTION 'activity is append-only: rows cannot be changed' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0007_claim_lifecycle_quote_checks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleChange",
            fields=[],
            options={"ordering": ["-created_at", "-id"], "proxy": True, "indexes": [], "constraints": []},
            bases=("annotations.activity",),
        ),
        migrations.AddField(
            model_name="activity",
            name="subject",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="account_activity",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        # Verdicts approved before this have none: publishing asks for them to be approved again.
        migrations.AddField(
            model_name="verdict",
            name="approved_fingerprint",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(APPEND_ONLY, PREVIOUS_APPEND_ONLY),
    ]
