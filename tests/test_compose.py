"""docker-compose.yml describes the production stack the README promises."""

from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[1] / "docker-compose.yml").read_text())
APP_SERVICES = ("web", "worker", "beat")


def test_services_are_all_there_with_health_checks():
    services = COMPOSE["services"]
    assert set(services) >= {"postgres", "redis", "web", "worker", "beat"}
    assert services["postgres"]["image"] == "postgres:18"
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("postgres", "redis", "web", "worker"):
        assert "test" in services[name]["healthcheck"], name


def test_app_services_share_image_and_environment():
    services = COMPOSE["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    environments = [services[name]["environment"] for name in APP_SERVICES]
    assert len(images) == 1
    assert all(env == environments[0] for env in environments)
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"] and "beat" in services["beat"]["command"]


def test_urls_point_at_the_compose_services():
    env = COMPOSE["services"]["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
    assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert env["CACHE_URL"] == "redis://redis:6379/1"  # the throttle's counters, shared by the gunicorn workers
    assert env["DEBUG"] == "0"


def test_named_volumes_for_database_and_captures():
    assert {"pgdata", "captures"} <= set(COMPOSE["volumes"])
    assert any(v.startswith("pgdata:") for v in COMPOSE["services"]["postgres"]["volumes"])
    assert all(any(v.startswith("captures:") for v in COMPOSE["services"][n]["volumes"]) for n in APP_SERVICES)
