"""docker-compose.yml is a file `docker compose` accepts, and its app services run the Procfile's commands."""

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from factcheck.processes import commands, environment

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
SERVICES = yaml.safe_load(COMPOSE_FILE.read_text())["services"]


def compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if docker is None:
        return None
    found = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, check=False)
    return [docker, "compose"] if found.returncode == 0 else None


def test_docker_compose_accepts_the_file():
    cli = compose_cli()
    if cli is None:
        pytest.skip("the docker CLI or its compose plugin is not installed here")
    env = {**os.environ, "SECRET_KEY": "x" * 50}  # the file requires it (`${SECRET_KEY:?...}`)
    result = subprocess.run(
        [*cli, "-f", str(COMPOSE_FILE), "config", "--quiet"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr


def test_each_app_service_runs_its_procfile_line_after_the_migration():
    procfile = commands()
    assert set(procfile) == {"web", "fetcher", "worker", "beat"}
    for name, line in procfile.items():
        assert SERVICES[name]["command"] == shlex.split(line), name
        assert SERVICES[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
    assert SERVICES["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]


def programs(words: list[str]) -> list[str]:
    """The programs a command runs: its own, and what `nice -n N` and `env NAME=value` run."""
    if words[0] == "nice":
        return ["nice", *programs(words[3:])]
    if words[0] == "env":
        rest = words[1:]
        while "=" in rest[0]:
            rest = rest[1:]
        return ["env", *programs(rest)]
    return [words[0]]


def test_the_services_programs_exist_and_their_queues_are_the_settings_ones():
    path = environment()["PATH"]
    for name in [*commands(), "migrate"]:
        for program in programs(SERVICES[name]["command"]):
            assert shutil.which(program, path=path), f"{name}: {program} is not installed"
    queues = {
        name: SERVICES[name]["command"][SERVICES[name]["command"].index("-Q") + 1] for name in ("fetcher", "worker")
    }
    assert queues == {"fetcher": settings.FETCH_QUEUE, "worker": settings.EXTRACT_QUEUE}


def run_installed(program: str, *args: str) -> subprocess.CompletedProcess:
    """Run one of the venv's programs from the repository, as a service's command would."""
    return subprocess.run(
        [str(Path(sys.executable).with_name(program)), *args],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_web_command_loads_the_application():
    """gunicorn --check-config imports the application with the command's options, as the web service would."""
    web = commands()["web"].split()
    assert web[0] == "gunicorn"
    result = run_installed("gunicorn", "--check-config", *web[1:])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_celery_commands_load_the_app():
    result = run_installed("celery", "-A", "factcheck", "report")
    assert result.returncode == 0 and "software -> celery" in result.stdout, result.stdout + result.stderr
