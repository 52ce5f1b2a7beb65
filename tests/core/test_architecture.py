"""The import contracts of pyproject.toml: kept by the code, and broken by each violation they name.

``make architecture`` proves the first half on every run; here a scratch copy of the sources gets
one forbidden import at a time, and import-linter must call out exactly that contract.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.core.installed import ROOT, broken_contracts, run_lint_imports

# Each root package of [tool.importlinter], and where it lives in this repository.
SOURCES = {
    "core": "core",
    "modules": "modules",
    "mosaic_bookmarks": "examples/bookmarks/mosaic_bookmarks",
    "bench": "bench",
}

KERNEL_KNOWS_NO_MODULE = "The kernel knows no module"
MODULES_THROUGH_API = "Modules reach each other only through their public api"
ERRORS_ARE_DATA = "The error contract is data: HTTP renders it, it knows nothing of HTTP"
NO_CYCLE_IN_A_MODULE = "A module's files import each other one way, never in a cycle"
ONE_DOOR = "Modules reach the kernel only through its public faces"
BENCH_AS_OPERATOR = "The benchmark uses the public faces and the operator's entry points only"


def _copy(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name, path in SOURCES.items():
        shutil.copytree(ROOT / path, target / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


@pytest.mark.parametrize(
    ("path", "line", "contract"),
    [
        ("core/cli/serve.py", "import modules.users.api", KERNEL_KNOWS_NO_MODULE),
        ("modules/auth/tokens.py", "import modules.users.models", MODULES_THROUGH_API),
        ("core/errors/problem.py", "import core.http.request_id", ERRORS_ARE_DATA),
        ("modules/auth/authority.py", "import modules.auth.service", NO_CYCLE_IN_A_MODULE),
        ("modules/audit/service.py", "from core.kernel.kernel import Kernel", ONE_DOOR),
        ("modules/audit/service.py", "from core.db.uow import UnitOfWork", ONE_DOOR),
        ("modules/audit/service.py", "from core.errors.kernel_errors import HttpError", ONE_DOOR),
        ("mosaic_bookmarks/service.py", "from core.config.settings import Settings", ONE_DOOR),
        ("mosaic_bookmarks/router.py", "import core.pagination", ONE_DOOR),
        ("bench/config.py", "from core.kernel.kernel import Kernel", BENCH_AS_OPERATOR),
    ],
)
def test_each_contract_breaks_on_the_import_it_forbids(tmp_path, path, line, contract):
    _copy(tmp_path)
    source = tmp_path / path
    source.write_text(source.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")

    result = run_lint_imports(tmp_path, tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert broken_contracts(result.stdout) == {contract}, result.stdout
