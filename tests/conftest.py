import pytest

# Imports of Django code stay inside fixtures, so that the pure-module tests also run with `-p no:django`.


def pytest_configure(config):
    if config.pluginmanager.hasplugin("django"):
        from django.conf import settings

        # Password hashing is deliberately slow; tests create many users and need no protection.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium (Playwright cannot download its own browser here)."""
    from .browser import CHROMIUM, CHROMIUM_FLAGS, require_chromium

    require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


def make_user(username: str, role: str | None):
    from django.contrib.auth import get_user_model

    from annotations.services import role_assign

    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    if role:
        role_assign(user=user, role=role)
    # has_perm caches permissions on the instance; a fresh instance sees the new groups.
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def editor(db):
    return make_user("ed", "Editors")


@pytest.fixture
def editor2(db):
    return make_user("ed2", "Editors")


@pytest.fixture
def reviewer(db):
    return make_user("rev", "Reviewers")


@pytest.fixture
def reviewer2(db):
    return make_user("rev2", "Reviewers")


@pytest.fixture
def admin_user(db):
    return make_user("adm", "Admins")


@pytest.fixture
def revision(db):
    from .factories import RevisionFactory

    return RevisionFactory()


@pytest.fixture
def rating(db):
    from .factories import RatingFactory

    return RatingFactory()
