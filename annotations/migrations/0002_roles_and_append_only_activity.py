from django.db import migrations

from annotations.roles import ROLE_PERMISSIONS, sync_groups


def create_roles(apps, schema_editor):
    # Permissions are created by a post_migrate signal, which runs after migrations; create them here so that the
    # groups get their permissions on a fresh database too.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


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
        migrations.RunPython(create_roles, remove_roles),
        migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY),
    ]
