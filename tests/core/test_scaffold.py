"""``mosaic modules new``: a module team's starting point passes its own tests at once."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.core.installed import (
    PYTEST,
    ROOT,
    broken_contracts,
    install_entry_points,
    run,
    run_lint_imports,
    run_mosaic,
)


def test_new_distribution_passes_its_own_tests(tmp_path):
    (tmp_path / "plugins.toml").write_text("[modules]\nenabled = []\n")

    created = run_mosaic("modules", "new", "gizmos", "--distribution", "gizmos", cwd=tmp_path)

    assert created.returncode == 0, created.stderr
    # The closing hint names every step, the migrations included.
    assert created.stdout.splitlines()[-1] == (
        "next: pip install -e gizmos, then add 'gizmos' to plugins.toml, then mosaic db upgrade"
    )
    package = tmp_path / "gizmos" / "mosaic_gizmos"
    for name in (
        "plugin",
        "router",
        "service",
        "repository",
        "models",
        "schemas",
        "errors",
        "config",
        "events",
        "api",
    ):
        assert (package / f"{name}.py").is_file(), name
    assert (package / "migrations" / "versions" / "gizmos_0001_create_items.py").is_file()

    site = tmp_path / "site"
    install_entry_points(site, {"gizmos": "mosaic_gizmos.plugin"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOSAIC_")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(tmp_path / "gizmos"), str(ROOT)])
    if "MOSAIC_TEST_DATABASE_URL" in os.environ:
        env["MOSAIC_TEST_DATABASE_URL"] = os.environ["MOSAIC_TEST_DATABASE_URL"] + "_scaffold"
    result = run(PYTEST, cwd=tmp_path / "gizmos", env=env, timeout=300)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "15 passed" in result.stdout


def test_new_refuses_a_bad_name_and_an_existing_module(tmp_path):
    (tmp_path / "plugins.toml").write_text("[modules]\nenabled = []\n")

    bad = run_mosaic("modules", "new", "Bad-Name", cwd=tmp_path)
    run_mosaic("modules", "new", "twice", "--distribution", "twice", cwd=tmp_path)
    again = run_mosaic("modules", "new", "twice", "--distribution", "twice", cwd=tmp_path)

    assert bad.returncode == 2
    assert "'Bad-Name' is not a valid module name" in bad.stderr
    assert again.returncode == 2
    assert "already exists" in again.stderr


def test_new_distribution_reaches_the_kernel_only_through_its_faces(tmp_path):
    (tmp_path / "plugins.toml").write_text("[modules]\nenabled = []\n")
    run_mosaic("modules", "new", "gizmos", "--distribution", "gizmos", cwd=tmp_path)
    distribution = tmp_path / "gizmos"

    kept = run_lint_imports(distribution, distribution)
    with (distribution / "mosaic_gizmos" / "service.py").open("a", encoding="utf-8") as service:
        service.write("\nfrom core.kernel.kernel import Kernel\n")
    broken = run_lint_imports(distribution, distribution)

    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "The module reaches the kernel only through its public faces KEPT" in kept.stdout
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert broken_contracts(broken.stdout) == {
        "The module reaches the kernel only through its public faces"
    }
    assert "mosaic_gizmos.service -> core.kernel.kernel" in broken.stdout


def test_new_distribution_passes_the_lint_and_type_checks_from_its_own_folder(tmp_path):
    (tmp_path / "plugins.toml").write_text("[modules]\nenabled = []\n")
    run_mosaic("modules", "new", "gizmos", "--distribution", "gizmos", cwd=tmp_path)
    distribution = tmp_path / "gizmos"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOSAIC_")}
    env.pop("PYTHONPATH", None)  # mypy finds core where the distribution is installed

    def check(*command: str) -> subprocess.CompletedProcess[str]:
        return run([sys.executable, "-m", *command], cwd=distribution, env=env, timeout=300)

    for command in (("ruff", "check", "."), ("ruff", "format", "--check", "."), ("mypy", ".")):
        result = check(*command)
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    # The settings it is checked with are its own, as strict as the project's.
    assert "strict = true" in (distribution / "pyproject.toml").read_text()
    readme = (distribution / "README.md").read_text()
    assert "ruff check ." in readme
    assert "mypy ." in readme


def test_a_new_module_stays_small(tmp_path):
    # Every line a module team reads before writing its own: the package, its first migration
    # and its tests. Before modules described themselves in one record it was 407 lines, and
    # 370 before the kernel took the cursor parameter, the id cursor and the page's items over.
    (tmp_path / "plugins.toml").write_text("[modules]\nenabled = []\n")
    run_mosaic("modules", "new", "gizmos", "--distribution", "gizmos", cwd=tmp_path)

    lines = sum(len(path.read_text().splitlines()) for path in (tmp_path / "gizmos").rglob("*.py"))

    assert lines <= 370 * 0.6
