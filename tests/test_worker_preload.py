"""Celery workers import the extraction libraries before their pool forks; web processes never import them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("trafilatura", "pypdf", "lxml.html", "charset_normalizer")


def run(code: str) -> str:
    env = {**os.environ, "DEBUG": "1"}
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_extraction_libraries_load_on_worker_start_and_not_with_the_services():
    code = f"""
import sys
from annotations import fetching
before = [name for name in {LIBRARIES!r} if name in sys.modules]
from celery.signals import worker_init
import factcheck.celery
responses = worker_init.send(sender=None)
failed = [result for receiver, result in responses if "preload" in repr(receiver) and isinstance(result, Exception)]
assert not failed, failed
after = [name for name in {LIBRARIES!r} if name in sys.modules]
print(before, after)
"""
    assert run(code) == f"[] {list(LIBRARIES)}"
