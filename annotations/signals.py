"""Signal receivers, connected in AnnotationsConfig.ready."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models.signals import post_migrate, post_save, pre_save

from . import desk_version
from .services.tokens import api_tokens_revoke_all


def remember_password_change(sender, instance, update_fields=None, **kwargs):
    """Before a user is saved: note whether the stored password hash changes.

    Whatever changes it (the password-change and reset pages, the admin, `changepassword`, set_password in any
    service) goes through save(), so comparing the hash here covers every path. Saves that name their fields
    without the password (last_login at every sign-in) cost nothing.
    """
    instance._password_hash_changed = False
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_hash_changed = stored is not None and stored != instance.password


def revoke_tokens_after_password_change(sender, instance, created, **kwargs):
    if getattr(instance, "_password_hash_changed", False):
        instance._password_hash_changed = False
        api_tokens_revoke_all(user=instance, reason="password changed")


def create_cache_table(sender, using="default", **kwargs):
    # The database cache's table is not a model: create it with the others, so that `migrate` is the only step.
    if sender.name == "annotations" and settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", database=using, verbosity=0)


def install_desk_version(sender, using="default", **kwargs):
    # After every migrate, so that a table added by a later migration moves the desk's version too.
    if sender.name == "annotations":
        desk_version.install(using)


def connect() -> None:
    user_model = get_user_model()
    pre_save.connect(remember_password_change, sender=user_model, dispatch_uid="annotations.password_change")
    post_save.connect(revoke_tokens_after_password_change, sender=user_model, dispatch_uid="annotations.revoke")
    post_migrate.connect(create_cache_table, dispatch_uid="annotations.cache_table")
    post_migrate.connect(install_desk_version, dispatch_uid="annotations.desk_version")
