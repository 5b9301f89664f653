from django.apps import AppConfig


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "matching"
    verbose_name = "Fact-check corpus"

    def ready(self):
        from annotations import roles

        from . import claim_signals, rules, signals

        roles.extend(rules.ROLE_PERMISSIONS)
        signals.connect()
        claim_signals.connect()
