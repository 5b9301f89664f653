"""Django's ModelBackend with a user's permissions and role groups read in one query instead of three.

Every staff page asks `has_perm` (the view's role check) and shows the role (the nav): ModelBackend reads the
user's own permissions and their groups' permissions in two queries, and the role needs a third for the groups.
Here one UNION query returns the group names with their permissions and the user's own permissions; the result is
kept on the user object for the request, as ModelBackend keeps its own caches.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Value

CACHE = "_role_and_permission_cache"


def _load(user) -> tuple[frozenset, frozenset]:
    cached = getattr(user, CACHE, None)
    if cached is None:
        groups = Group.objects.filter(user=user).values_list(
            "name", "permissions__content_type__app_label", "permissions__codename"
        )
        own = (
            Permission.objects.filter(user=user)
            .annotate(role_group=Value(None, output_field=CharField()))
            .values_list("role_group", "content_type__app_label", "codename")
        )
        names, perms = set(), set()
        for name, app_label, codename in groups.union(own, all=True):
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
