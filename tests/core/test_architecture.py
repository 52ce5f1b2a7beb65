"""The import contracts of pyproject.toml: kept by the code, and broken by each violation they name.

``make architecture`` proves the first half on every run; here a scratch copy of the sources gets
one forbidden import at a time, and import-linter must call out exactly that contract.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.installed import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
SOURCES = ("core", "modules")

KERNEL_KNOWS_NO_MODULE = "The kernel knows no module"
MODULES_THROUGH_API = "Modules reach each other only through their public api"
ERRORS_ARE_DATA = "The error contract is data: HTTP renders it, it knows nothing of HTTP"
NO_CYCLE_IN_A_MODULE = "A module's files import each other one way, never in a cycle"


def _copy(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in SOURCES:
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


def _lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _broken(output: str) -> set[str]:
    """The names of the contracts ``lint-imports`` reports broken."""
    return {line.split(" BROKEN")[0] for line in output.splitlines() if " BROKEN" in line}


@pytest.mark.parametrize(
    ("path", "line", "contract"),
    [
        ("core/cli/serve.py", "import modules.users.api", KERNEL_KNOWS_NO_MODULE),
        ("modules/auth/tokens.py", "import modules.users.models", MODULES_THROUGH_API),
        ("core/errors/problem.py", "import core.http.request_id", ERRORS_ARE_DATA),
        ("modules/auth/authority.py", "import modules.auth.service", NO_CYCLE_IN_A_MODULE),
    ],
)
def test_each_contract_breaks_on_the_import_it_forbids(tmp_path, path, line, contract):
    _copy(tmp_path)
    source = tmp_path / path
    source.write_text(source.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")

    result = _lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert _broken(result.stdout) == {contract}, result.stdout
