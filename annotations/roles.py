"""Roles are Django groups with permissions. This module is the one list of what each role may do.

After every `migrate` (and a test database's flush) a post_migrate handler, connected in AnnotationsConfig.ready,
gives the groups exactly the permissions of ROLE_PERMISSIONS; the service layer and the views ask `user.has_perm()`,
and refuse with the same words (the Rule of each action, below).
A data migration would have frozen the table as it was the day the migration was written (or, importing this
module, broken a fresh `migrate` once the table names a permission a later migration adds).
"""

from typing import NamedTuple

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

from .auth_backend import group_names

EDITORS = "Editors"
REVIEWERS = "Reviewers"
ADMINS = "Admins"
ROLES = (EDITORS, REVIEWERS, ADMINS)

_EDITOR = [
    "annotations.view_source",
    "annotations.view_article",
    "annotations.add_article",
    "annotations.change_article",
    "annotations.view_articlerevision",
    "annotations.add_articlerevision",
    "annotations.view_claim",
    "annotations.add_claim",
    "annotations.change_claim",
    "annotations.view_evidence",
    "annotations.add_evidence",
    "annotations.change_evidence",
    "annotations.delete_evidence",
    "annotations.view_capture",
    "annotations.add_capture",
    "annotations.view_verdict",
    "annotations.add_verdict",
    "annotations.change_verdict",
    "annotations.view_rating",
    "annotations.view_ratingscale",
    "annotations.view_activity",
]
_REVIEWER = [*_EDITOR, "annotations.review_verdict", "annotations.publish_verdict"]
_ADMIN = [
    *_REVIEWER,
    "annotations.manage_sources",
    "annotations.change_desksettings",
    "annotations.add_source",
    "annotations.change_source",
    "annotations.delete_source",
    "annotations.add_ratingscale",
    "annotations.change_ratingscale",
    "annotations.add_rating",
    "annotations.change_rating",
    "annotations.delete_rating",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.view_group",
]

ROLE_PERMISSIONS = {EDITORS: _EDITOR, REVIEWERS: _REVIEWER, ADMINS: _ADMIN}


def extend(role_permissions: dict[str, list[str]]) -> None:
    """Give the roles another app's permissions too (from that app's AppConfig.ready), synced with the rest: this
    app needs no knowledge of the other, and ROLE_PERMISSIONS stays the one table. The other app comes before this
    one in INSTALLED_APPS, so that its permissions exist by the time this app's post_migrate syncs the groups."""
    for role, perms in role_permissions.items():
        ROLE_PERMISSIONS[role] = [*ROLE_PERMISSIONS[role], *(p for p in perms if p not in ROLE_PERMISSIONS[role])]


class Rule(NamedTuple):
    """The permission an action needs and what a user without it is told. The service refuses with it
    (`require(actor, *rule)`) and the view's 403 page says the same (`@role_required(*rule)`)."""

    perm: str
    refusal: str


NO_ROLE = "Your account has no newsroom role yet; ask an admin to give you one."
NOT_READABLE = "Your role does not let you read the newsroom's articles."
# Reading the desk's pages
LIST_ARTICLES = Rule("annotations.view_article", NO_ROLE)
LIST_CLAIMS = Rule("annotations.view_claim", NO_ROLE)
READ_ARTICLES = Rule("annotations.view_article", NOT_READABLE)
READ_REVISIONS = Rule("annotations.view_articlerevision", NOT_READABLE)
READ_VERDICTS = Rule("annotations.view_verdict", NOT_READABLE)
LIST_VERDICTS = Rule("annotations.view_verdict", "Your role does not include verdicts.")
READ_EVIDENCE = Rule("annotations.view_evidence", "Your role does not let you read the evidence of claims.")
READ_SOURCES = Rule("annotations.view_source", "Your role does not include the source registry.")
REVIEW_QUEUE = Rule("annotations.review_verdict", "Only reviewers have a review queue.")
# Writing
IMPORT_ARTICLES = Rule("annotations.add_article", "Only editors import articles.")
ADD_REVISIONS = Rule("annotations.add_articlerevision", "Only editors add revisions.")
CREATE_CLAIMS = Rule("annotations.add_claim", "Only editors and reviewers create claims.")
EDIT_CLAIMS = Rule("annotations.change_claim", "Only editors and reviewers edit claims.")
WITHDRAW_CLAIMS = Rule("annotations.change_claim", "Only editors and reviewers withdraw claims.")
RESTORE_CLAIMS = Rule("annotations.change_claim", "Only editors and reviewers restore claims.")
REATTACH_CLAIMS = Rule("annotations.change_claim", "Only editors and reviewers re-attach claims.")
# Saying a suggested sentence needs no check (the checkworthiness app): the same people who decide what is a claim.
DISMISS_SUGGESTIONS = Rule("annotations.add_claim", "Only editors and reviewers dismiss suggested claims.")
REVIEW_ANCHORING = Rule("annotations.change_claim", "Only editors and reviewers review the anchoring of claims.")
ADD_EVIDENCE = Rule("annotations.add_evidence", "Only editors and reviewers add evidence.")
EDIT_EVIDENCE = Rule("annotations.change_evidence", "Only editors and reviewers edit evidence.")
REMOVE_EVIDENCE = Rule("annotations.delete_evidence", "Only editors and reviewers remove evidence.")
WRITE_VERDICTS = Rule("annotations.change_verdict", "Only editors and reviewers write verdicts.")
SUBMIT_VERDICTS = Rule("annotations.change_verdict", "Only editors and reviewers submit verdicts.")
PUBLISH_VERDICTS = Rule("annotations.publish_verdict", "Only reviewers publish verdicts.")
DESK_ACTIONS = Rule("annotations.publish_verdict", "Only reviewers unpublish or correct fact-checks.")
# Giving work to people: reviewers and admins give anyone work; editors only take unassigned work for themselves.
ASSIGN_WORK = Rule("annotations.review_verdict", "Only reviewers and admins assign work to others.")
TAKE_WORK = Rule("annotations.change_verdict", "Only editors and reviewers take work.")
ASK_SECOND_RATINGS = Rule(
    "annotations.review_verdict", "Only reviewers and admins ask for a second rating or choose its checker."
)
GIVE_SECOND_RATINGS = Rule("annotations.change_verdict", "Only editors and reviewers give second ratings.")
MANAGE_DESK = Rule("annotations.change_desksettings", "Only admins change the desk's settings.")
MANAGE_SOURCES = Rule("annotations.manage_sources", "Only admins manage the source registry.")
CREATE_ACCOUNTS = Rule("auth.add_user", "Only admins create accounts.")


def role_of(user) -> str | None:
    """The highest role a user holds, for display (the permissions decide what they may do)."""
    if not user.is_authenticated:
        return None
    return highest(group_names(user)) or ("Superuser" if user.is_superuser else None)


def highest(names) -> str | None:
    """The highest of the roles among these group names (admins over reviewers over editors), or None."""
    return next((role for role in (ADMINS, REVIEWERS, EDITORS) if role in names), None)


def sync_groups(group_model, permission_model, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the role groups and give each exactly its permissions (after migrate, and by role_assign)."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.using(using).get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(
                permission_model.objects.using(using).get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver (sender: this app). Django's own receiver has created the permissions by then: it was
    connected first (auth comes before annotations in INSTALLED_APPS), and post_migrate is sent app by app in that
    order, so the auth app's permissions exist too (and those of the apps that `extend` the table, listed before).
    A flush (TransactionTestCase) sends it without `apps`."""
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), using=using)
