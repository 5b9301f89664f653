from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "annotations"
    verbose_name = "Fact-checking"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, roles, signals  # noqa: F401 (checks registers the deployment checks)

        signals.connect()
        post_migrate.connect(roles.sync_roles_after_migrate, sender=self, dispatch_uid="annotations.roles")
