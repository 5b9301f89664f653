"""The import graph of the project's own modules (pyproject's import-linter contracts)."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_the_project_s_modules_import_one_another_without_a_circle():
    # On failure, import-linter's report (printed) names the imports to remove.
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0
