"""Accounts and their roles.

Through the web an admin creates accounts and grants or removes roles, never their own and never a superuser's;
superusers exist only from the command line (`createsuperuser`). Every account change is in the activity log with
the account as its subject, and who made an account or gave it a role is its sponsor: the two-person rule keeps a
sponsored reviewer from reviewing its sponsors' verdicts, so that an admin cannot approve their own work through a
second account.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .. import roles
from ..models import Activity
from .common import record, require

SPONSORING = ("account_created", "role_granted")  # the actions that make their actor the subject's sponsor


def role_assign(*, user, role: str | None, actor=None) -> None:
    """Give `user` exactly one of the roles (replacing any other role group), or none when `role` is empty.

    `actor` is the admin doing it through the web: the rules above apply and they are recorded as its actor.
    Without one it is the command line (assign_role, the demo loader), recorded with no actor.
    """
    role = role or None
    if role is not None and role not in roles.ROLES:
        raise ValidationError({"role": f"Unknown role {role!r}; choose one of {', '.join(roles.ROLES)}."})
    if actor is not None and (refusal := role_refusal(actor, user)):
        raise PermissionDenied(refusal)
    with transaction.atomic():
        before = _set_role(user, role)
        if before != role:
            record(
                actor=actor,
                action="role_granted" if role else "role_removed",
                subject=user,
                from_state=before or "",
                to_state=role or "",
                comment="" if actor is not None else "from the command line",
            )


def account_create(
    *,
    actor,
    username: str,
    password: str,
    role: str | None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
):
    """An admin creates an account with a first password (its owner then changes it) and a role."""
    require(actor, *roles.CREATE_ACCOUNTS)
    User = get_user_model()
    user = User(username=(username or "").strip(), email=(email or "").strip(), first_name=first_name or "")
    user.last_name = last_name or ""
    errors = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        validate_password(password or "", user)
    except ValidationError as error:
        errors["password"] = error.messages
    if role and role not in roles.ROLES:
        errors["role"] = [f"Unknown role {role!r}; choose one of {', '.join(roles.ROLES)}."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        record(actor=actor, action="account_created", subject=user, to_state=role or "")
        role_assign(actor=actor, user=user, role=role)
    return user


def sponsors_of(user) -> set[int]:
    """The ids of whoever made `user`'s account or gave it a role, of whoever did that for them, and so on.

    Transitive, so that an admin's second account cannot make a third one to review the admin's verdicts.
    """
    found: set[int] = set()
    frontier = {user.pk}
    while frontier:
        sponsors = set(
            Activity.objects.filter(subject_id__in=frontier, action__in=SPONSORING, actor__isnull=False).values_list(
                "actor_id", flat=True
            )
        )
        frontier = sponsors - found - {user.pk}
        found |= frontier
    return found


def role_refusal(actor, user) -> str | None:
    """Why `actor` may not change `user`'s role through the web (a message), or None."""
    if actor is None or not actor.is_authenticated or not actor.has_perm("auth.change_user"):
        return "Only admins change roles."
    if actor.pk == user.pk:
        return "Nobody changes their own role or account flags: ask another admin."
    if user.is_superuser:
        return "Superusers are managed from the command line (createsuperuser, assign_role), not through the web."
    return None


def _set_role(user, role: str | None) -> str | None:
    """Put `user` in exactly the `role` group (or none) and return the role they had before."""
    if Group.objects.filter(name__in=roles.ROLES).count() != len(roles.ROLES):
        # migrate creates the groups (roles.sync_roles_after_migrate); recreate them if they were deleted since.
        roles.sync_groups(Group, Permission)
    role_groups = Group.objects.filter(name__in=roles.ROLES)
    held = set(user.groups.filter(name__in=roles.ROLES).values_list("name", flat=True))
    before = roles.highest(held)
    user.groups.remove(*role_groups)
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    # The Django admin is for admins only: its door follows the role (superusers keep it).
    staff = role == roles.ADMINS or user.is_superuser
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    return before
