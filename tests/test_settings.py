"""Settings come from the environment only; production refuses unsafe values; development needs no setup."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_KEY = "k" * 20 + "Zq8#vN2!pL0@xR5$wT7^yU1&" + "m" * 20
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": REAL_KEY,
    "DATABASE_URL": "postgres://factcheck:secret@db.internal:5432/factcheck",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "ALLOWED_HOSTS": "factcheck.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://factcheck.example.org",
    # Real public addresses: the defaults are placeholders, and deployment warnings (annotations/checks.py).
    "FACTCHECK_ORGANIZATION_URL": "https://www.factcheck-desk.org/",
    "SITE_URL": "https://checks.factcheck-desk.org",
}
CLEARED = [
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "FACTCHECK_EMBEDDED_DB",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "FACTCHECK_ORGANIZATION_URL",
    "SITE_URL",
]


def run_python(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CLEARED}
    clean.update(env)
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else []), *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_settings(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    code = f"import factcheck.settings as s; print({expression})"
    return run_python(code, env)


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {**PRODUCTION, "FACTCHECK_DATA_DIR": str(tmp_path)}
    del env["SECRET_KEY"]
    result = read_settings(env, "s.SECRET_KEY")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", ["django-insecure-abc" + "x" * 60, "short-key"])
def test_production_refuses_a_fake_secret_key(key):
    result = read_settings({**PRODUCTION, "SECRET_KEY": key}, "s.SECRET_KEY")
    assert result.returncode != 0 and "not a real secret" in result.stderr


def test_settings_never_start_a_database(tmp_path):
    env = {**PRODUCTION, "FACTCHECK_DATA_DIR": str(tmp_path / "data")}
    del env["DATABASE_URL"]
    result = read_settings(env, "s.DATABASES")
    assert result.returncode != 0 and "DATABASE_URL is not set" in result.stderr
    assert not (tmp_path / "data").exists()


def test_only_postgresql_is_accepted():
    result = read_settings({**PRODUCTION, "DATABASE_URL": "sqlite:///db.sqlite3"}, "s.DATABASES")
    assert result.returncode != 0 and "PostgreSQL" in result.stderr


def test_environment_values_are_used():
    result = read_settings(PRODUCTION, "s.DATABASES['default']['HOST'], s.CELERY_BROKER_URL, s.ALLOWED_HOSTS, s.DEBUG")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "db.internal redis://redis.internal:6379/0 ['factcheck.example.org'] False"
    result = read_settings(
        PRODUCTION, "s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], s.SESSION_COOKIE_SECURE"
    )
    assert result.stdout.strip() == "3600 True"


def test_broker_defaults_to_filesystem_under_data_dir(tmp_path):
    env = {**PRODUCTION, "FACTCHECK_DATA_DIR": str(tmp_path)}
    del env["CELERY_BROKER_URL"]
    result = read_settings(env, "s.CELERY_BROKER_URL, s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in']")
    assert result.stdout.split() == ["filesystem://", str(tmp_path / "broker" / "queue")]


def test_check_deploy_reports_nothing_with_production_values():
    result = run_python("", PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_while_the_public_addresses_are_placeholders():
    env = {k: v for k, v in PRODUCTION.items() if k not in {"FACTCHECK_ORGANIZATION_URL", "SITE_URL"}}
    result = run_python("", env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "factcheck.W001" in result.stderr and "FACTCHECK_ORGANIZATION_URL is a placeholder" in result.stderr
    assert "factcheck.W002" in result.stderr and "SITE_URL is a placeholder" in result.stderr


def test_manage_py_starts_embedded_postgres_when_database_url_is_unset(tmp_path):
    env = {"DEBUG": "1", "FACTCHECK_DATA_DIR": str(tmp_path)}
    try:
        result = run_python(
            "",
            env,
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection; connection.ensure_connection(); "
            "print(connection.vendor, connection.settings_dict['NAME'])",
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1].split() == ["postgresql", "factcheck"]
        assert (tmp_path / "postgres" / "PG_VERSION").exists()
        # A second run reuses the running server and its data.
        again = run_python("", env, "manage.py", "shell", "-c", "print('ok')")
        assert again.returncode == 0 and again.stdout.splitlines()[-1] == "ok"
    finally:
        run_python("from factcheck import embedded; embedded.stop()", env)
    assert not (tmp_path / "postgres" / "postmaster.pid").exists()


def test_the_cache_is_shared_by_every_worker_in_production():
    default = read_settings(PRODUCTION, "s.CACHES['default']['BACKEND']")
    assert default.returncode == 0, default.stderr
    assert default.stdout.strip().endswith("DatabaseCache")
    redis = read_settings({**PRODUCTION, "CACHE_URL": "redis://cache.internal:6379/1"}, "s.CACHES['default']")
    assert "RedisCache" in redis.stdout and "redis://cache.internal:6379/1" in redis.stdout
    local = read_settings({**PRODUCTION, "CACHE_URL": "locmem"}, "s.CACHES")
    assert local.returncode != 0 and "locmem only with DEBUG" in local.stderr


def test_mail_comes_from_the_email_variables():
    env = {**PRODUCTION, "EMAIL_HOST": "smtp.internal", "EMAIL_PORT": "587", "EMAIL_USE_TLS": "1"}
    result = read_settings(env, "s.MAILERS['default']['OPTIONS'], s.PASSWORD_RESET_BY_EMAIL")
    assert result.returncode == 0, result.stderr
    assert "'host': 'smtp.internal', 'port': 587" in result.stdout and "'use_tls': True" in result.stdout
    assert result.stdout.strip().endswith("True")
    off = read_settings(PRODUCTION, "s.MAILERS, s.PASSWORD_RESET_BY_EMAIL")
    assert off.stdout.strip() == "{} False"
    both = read_settings({**env, "EMAIL_USE_SSL": "1"}, "s.MAILERS")
    assert both.returncode != 0 and "not both" in both.stderr


def test_a_mistyped_boolean_is_refused_not_read_as_off():
    result = read_settings({**PRODUCTION, "SECURE_SSL_REDIRECT": "ture"}, "s.SECURE_SSL_REDIRECT")
    assert result.returncode != 0 and "SECURE_SSL_REDIRECT: must be a boolean" in result.stderr
    number = read_settings({**PRODUCTION, "DATABASE_POOL_SIZE": "ten"}, "s.DATABASE_POOL_SIZE")
    assert number.returncode != 0 and "DATABASE_POOL_SIZE:" in number.stderr


def test_an_empty_value_means_the_default():
    empty = {"SECURE_SSL_REDIRECT": "", "DATABASE_POOL_SIZE": "", "CACHE_URL": "", "CELERY_BROKER_URL": ""}
    result = read_settings(
        {**PRODUCTION, **empty}, "s.SECURE_SSL_REDIRECT, s.DATABASE_POOL_SIZE, s.CACHE_URL, s.CELERY_BROKER_URL"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "10", "database", "filesystem://"]


def test_lists_are_comma_separated_and_trimmed():
    env = {**PRODUCTION, "ALLOWED_HOSTS": "a.example.org, b.example.org", "FETCH_ALLOWED_PORTS": "80, 8443"}
    result = read_settings(env, "s.ALLOWED_HOSTS, s.FETCH_ALLOWED_PORTS")
    assert result.stdout.strip() == "['a.example.org', 'b.example.org'] [80, 8443]"


def test_a_secret_starting_with_a_dollar_is_taken_as_it_is():
    key = "$" + REAL_KEY
    result = read_settings({**PRODUCTION, "SECRET_KEY": key}, "s.SECRET_KEY")
    assert result.returncode == 0 and result.stdout.strip() == key
