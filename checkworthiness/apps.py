from django.apps import AppConfig


class CheckworthinessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "checkworthiness"
    verbose_name = "Check-worthiness"
