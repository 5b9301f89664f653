from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotations import roles
from annotations.services import role_assign


class Command(BaseCommand):
    help = "Give a user a role (Editors, Reviewers or Admins), replacing any other role they had."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help=f"One of: {', '.join(roles.ROLES)} (case-insensitive, singular accepted).")

    def handle(self, *args, username, role, **options):
        wanted = role.strip().lower().rstrip("s")
        matching = [name for name in roles.ROLES if name.lower().rstrip("s") == wanted]
        if not matching:
            raise CommandError(f"unknown role {role!r}: choose one of {', '.join(roles.ROLES)}")
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user named {username!r}") from None
        try:
            role_assign(user=user, role=matching[0])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{username} is now in {matching[0]}")
