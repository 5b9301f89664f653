"""The corpus app's place in the project: its permissions in the roles, its tables under the desk's version."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from annotations import desk_version, roles
from matching import rules

pytestmark = pytest.mark.django_db


def test_the_roles_table_holds_the_corpus_permissions_and_migrate_gave_them_to_the_groups():
    for role, perms in rules.ROLE_PERMISSIONS.items():
        assert set(perms) <= set(roles.ROLE_PERMISSIONS[role])
        group = Group.objects.get(name=role)
        held = {f"{app}.{code}" for app, code in group.permissions.values_list("content_type__app_label", "codename")}
        assert set(perms) <= held
    for rule in (rules.READ_FACTCHECKS, rules.IMPORT_FACTCHECKS, rules.MANAGE_FEEDS):
        assert rule.perm in roles.ROLE_PERMISSIONS[roles.ADMINS]
    assert rules.MANAGE_FEEDS.perm not in roles.ROLE_PERMISSIONS[roles.REVIEWERS]


CORPUS_TABLES = {"matching_factcheck", "matching_claimreviewfeed", "matching_sameclaim", "matching_claimmatch"}


def test_a_write_to_the_corpus_moves_the_desk_version():
    assert set(desk_version.tables()) >= CORPUS_TABLES
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'annotations_desk_changed' AND c.relname LIKE 'matching_%%'"
        )
        assert {row[0] for row in cursor.fetchall()} == CORPUS_TABLES
