"""The role rule table (annotations.roles) is applied by post_migrate, not frozen in a data migration."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from annotations import roles, services

from .conftest import make_user


def group_permissions(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{app}.{codename}" for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.ROLES)
def test_after_migrate_each_role_group_has_exactly_the_permissions_of_the_rule_table(role):
    assert group_permissions(role) == set(roles.ROLE_PERMISSIONS[role])


@pytest.mark.django_db
def test_a_permission_added_to_or_removed_from_the_table_is_applied_by_the_next_migrate(monkeypatch):
    editor = [p for p in roles.ROLE_PERMISSIONS[roles.EDITORS] if p != "annotations.view_activity"]
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, roles.EDITORS, [*editor, "annotations.delete_claim"])
    call_command("migrate", verbosity=0)
    assert group_permissions(roles.EDITORS) == {*editor, "annotations.delete_claim"}


@pytest.mark.django_db
def test_a_deleted_role_group_comes_back_with_its_permissions_at_the_next_migrate():
    Group.objects.filter(name=roles.REVIEWERS).delete()
    call_command("migrate", verbosity=0)
    assert group_permissions(roles.REVIEWERS) == set(roles.ROLE_PERMISSIONS[roles.REVIEWERS])


def test_no_migration_imports_the_live_rule_table():
    for migration in (Path(roles.__file__).parent / "migrations").glob("0*.py"):
        for node in ast.walk(ast.parse(migration.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
                assert "annotations.roles" not in names, migration.name


@pytest.mark.django_db
def test_the_import_page_and_the_import_service_refuse_a_user_without_the_role_with_the_same_words(client):
    nobody = make_user("nobody", None)
    client.force_login(nobody)
    page = client.get(reverse("article_import"))
    assert page.status_code == 403 and roles.IMPORT_ARTICLES.refusal in page.content.decode()
    with pytest.raises(PermissionDenied, match=roles.IMPORT_ARTICLES.refusal):
        services.article_import(actor=nobody, title="T", text="Text.", origin="pasted")


@pytest.mark.django_db
def test_every_actions_rule_names_a_permission_that_some_role_holds():
    rules = [value for value in vars(roles).values() if isinstance(value, roles.Rule)]
    held = {perm for perms in roles.ROLE_PERMISSIONS.values() for perm in perms}
    assert len(rules) > 20
    assert [rule for rule in rules if rule.perm not in held] == []
    existing = {
        f"{app}.{codename}" for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert held <= existing
