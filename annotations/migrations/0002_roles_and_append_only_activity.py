from django.db import migrations

# The role groups and their permissions are not made here: annotations.roles holds the one table of what each role
# may do, and a post_migrate receiver applies it after every migrate. Importing that live module here would break a
# fresh `migrate` as soon as the table names a permission that a later migration creates. Only the names are frozen,
# so that migrating back past this point still removes the groups.
ROLE_NAMES = ("Editors", "Reviewers", "Admins")


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


APPEND_ONLY = """
CREATE FUNCTION annotations_activity_append_only() RETURNS trigger AS $$
BEGIN
    -- Only clearing the actor (when a user account is deleted) may change a row; history itself never changes.
    IF (NEW.action, NEW.article_id, NEW.claim_id, NEW.verdict_id, NEW.from_state, NEW.to_state, NEW.comment,
        NEW.created_at) IS DISTINCT FROM (OLD.action, OLD.article_id, OLD.claim_id, OLD.verdict_id, OLD.from_state,
        OLD.to_state, OLD.comment, OLD.created_at)
       OR (NEW.actor_id IS DISTINCT FROM OLD.actor_id AND NEW.actor_id IS NOT NULL) THEN
        RAISE EXCEPTION 'activity is append-only: rows cannot be changed' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER annotations_activity_append_only BEFORE UPDATE ON annotations_activity
    FOR EACH ROW EXECUTE FUNCTION annotations_activity_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS annotations_activity_append_only ON annotations_activity;
DROP FUNCTION IF EXISTS annotations_activity_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, remove_roles),
        migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY),
    ]
