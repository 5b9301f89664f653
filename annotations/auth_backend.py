"""Django's ModelBackend with a user's permissions and role groups read in one query instead of three.

Every staff page asks `has_perm` (the view's role check) and shows the role (the nav): ModelBackend reads the
user's own permissions and their groups' permissions in two queries, and the role needs a third for the groups.
Here one UNION query returns the group names with their permissions and the user's own permissions; the result is
kept on the user object for the request, as ModelBackend keeps its own caches.

While the desk's version holds (desk_version.py: any write to accounts, roles or permissions moves it), the user
with their roles is kept in worker memory too, so a signed-in request reads neither again.
"""

import copy
from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from . import desk_version

CACHE = "_role_and_permission_cache"


@cache
def _sql() -> str:
    """Raw SQL, built once: this runs on every signed-in request, where compiling the ORM's UNION (with the
    Permission model's default ordering in each half) cost more than running it."""
    user_groups, group_perms = Group.user_set.through._meta.db_table, Group.permissions.through._meta.db_table
    user_perms = Permission.user_set.through._meta.db_table
    group, permission, content_type = (m._meta.db_table for m in (Group, Permission, ContentType))
    return f"""
        SELECT g.name, ct.app_label, p.codename FROM {user_groups} ug JOIN {group} g ON g.id = ug.group_id
          LEFT JOIN {group_perms} gp ON gp.group_id = g.id LEFT JOIN {permission} p ON p.id = gp.permission_id
          LEFT JOIN {content_type} ct ON ct.id = p.content_type_id
         WHERE ug.user_id = %(user)s
        UNION ALL
        SELECT NULL, ct.app_label, p.codename FROM {user_perms} up JOIN {permission} p ON p.id = up.permission_id
          JOIN {content_type} ct ON ct.id = p.content_type_id
         WHERE up.user_id = %(user)s
    """  # noqa: S608 - table names from the models; the user id is a parameter


def _load(user) -> tuple[frozenset, frozenset]:
    cached = getattr(user, CACHE, None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(_sql(), {"user": user.pk})
            rows = cursor.fetchall()
        names, perms = set(), set()
        for name, app_label, codename in rows:
            if name:
                names.add(name)
            if codename:
                perms.add(f"{app_label}.{codename}")
        cached = (frozenset(names), frozenset(perms))
        setattr(user, CACHE, cached)
    return cached


def group_names(user) -> frozenset:
    """The names of the user's groups (their roles), from the same query as their permissions."""
    return _load(user)[0]


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj)  # every permission there is
        return set(_load(user_obj)[1])

    def get_user(self, user_id):
        user = desk_version.remembered(("user", user_id), lambda: self._user_with_roles(user_id))
        return copy.deepcopy(user) if user is not None else None  # the request may change its user

    def _user_with_roles(self, user_id):
        user = super().get_user(user_id)
        if user is not None:
            _load(user)  # the roles are part of what is kept
        return user
