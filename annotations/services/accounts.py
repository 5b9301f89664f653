"""Users and their roles."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError

from .. import roles


def role_assign(*, user, role: str) -> None:
    """Give `user` exactly one of the roles (replacing any other role group)."""
    if role not in roles.ROLES:
        raise ValidationError({"role": f"Unknown role {role!r}; choose one of {', '.join(roles.ROLES)}."})
    if not Group.objects.filter(name=role).exists():
        # The data migration creates the groups; recreate them if they were deleted (or flushed by a test).
        roles.sync_groups(Group, Permission)
    role_groups = Group.objects.filter(name__in=roles.ROLES)
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=role))
