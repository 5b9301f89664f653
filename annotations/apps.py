from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "annotations"
    verbose_name = "Fact-checking"

    def ready(self):
        from . import checks, signals  # noqa: F401 (checks registers the deployment checks)

        signals.connect()
