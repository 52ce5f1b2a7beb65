"""Every configuration the kernel refuses: one clear sentence, a non-zero exit, no traceback."""

from __future__ import annotations

import pytest

from tests.core.installed import install_entry_points, run_mosaic

NOTES = "tests.fixture_modules.notes.plugin"
VARIANTS = "tests.fixture_modules.variants"

CASES = {
    "unknown module": (["notes", "catalog"], {}, "enables unknown module 'catalog'"),
    "disabled dependency": (
        ["needs_notes"],
        {},
        "module 'needs_notes' depends on 'notes', which is not enabled",
    ),
    "missing dependency": (
        ["needs_ghost"],
        {},
        "module 'needs_ghost' depends on 'ghost', which is not installed",
    ),
    "cycle": (["cycle_a", "cycle_b"], {}, "cycle: cycle_"),
    "route prefix": (
        ["notes", "prefix_clash"],
        {},
        "modules 'notes' and 'prefix_clash' both claim the route prefix '/api/v1/notes'",
    ),
    "nested route prefix": (
        ["notes", "nested_prefix"],
        {},
        "modules 'notes' and 'nested_prefix' both claim the route prefix '/api/v1/notes'",
    ),
    "table": (
        ["notes", "table_clash"],
        {},
        "owns table 'notes_notes', whose name must start with",
    ),
    "unprefixed table": (
        ["unprefixed_table"],
        {},
        "owns table 'products', whose name must start with",
    ),
    "error code": (
        ["notes", "code_clash"],
        {},
        "registers error code 'notes.note_not_found'",
    ),
    "permission": (
        ["notes", "permission_clash"],
        {},
        "declares permission 'notes:write'",
    ),
    "setting type": (
        ["limited"],
        {"limited": "limit = 'many'"},
        "[modules.limited] limit: Input should be a valid integer",
    ),
    "unknown setting": (
        ["limited"],
        {"limited": "limti = 3"},
        "unknown setting 'limti' for module 'limited'",
    ),
    "settings for an unknown module": (
        ["notes"],
        {"notse": "x = 1"},
        "settings for unknown module 'notse'",
    ),
    "unknown hook": (
        ["typo"],
        {},
        "module 'typo' implements unknown hook 'mosaic_register_routes'",
    ),
    "hook the record replaced": (
        ["old_style"],
        {},
        "module 'old_style' implements 'mosaic_register_routers', which the module record "
        "replaced: declare routers=... in the core.Module its mosaic_describe_module returns",
    ),
}

# The cases whose plugin is refused at any start, whatever is enabled.
POISONS = {"unknown hook": "typo", "hook the record replaced": "old_style"}


def _plugins_toml(enabled: list[str], sections: dict[str, str]) -> str:
    names = ", ".join(f'"{name}"' for name in enabled)
    body = "".join(f"\n[modules.{name}]\n{text}\n" for name, text in sections.items())
    return f"[modules]\nenabled = [{names}]\n{body}"


@pytest.fixture
def site(tmp_path):
    site = tmp_path / "site"
    targets = {"notes": NOTES}
    for name in (
        "needs_notes",
        "needs_ghost",
        "cycle_a",
        "cycle_b",
        "prefix_clash",
        "nested_prefix",
        "table_clash",
        "unprefixed_table",
        "code_clash",
        "permission_clash",
        "limited",
        *POISONS.values(),
    ):
        targets[name] = f"{VARIANTS}:{name}"
    install_entry_points(site, targets)
    return site


@pytest.mark.parametrize("case", CASES)
def test_refused_at_start(case, site, tmp_path):
    enabled, sections, message = CASES[case]
    # A plugin with a refused hook poisons every start, so it is installed only for its own case.
    poisons = [plugin for poisoned, plugin in POISONS.items() if poisoned != case]
    entry_points = site / "mosaic_fixtures-0.0.0.dist-info" / "entry_points.txt"
    lines = entry_points.read_text().splitlines()
    kept = [line for line in lines if not any(line.startswith(f"{plugin} =") for plugin in poisons)]
    entry_points.write_text("\n".join(kept) + "\n")
    (tmp_path / "plugins.toml").write_text(_plugins_toml(enabled, sections))

    result = run_mosaic("modules", "list", cwd=tmp_path, site=site)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_valid_configuration_starts(site, tmp_path):
    entry_points = site / "mosaic_fixtures-0.0.0.dist-info" / "entry_points.txt"
    entry_points.write_text(
        f"[mosaic.modules]\nnotes = {NOTES}\nneeds_notes = {VARIANTS}:needs_notes\n"
    )
    (tmp_path / "plugins.toml").write_text(_plugins_toml(["needs_notes", "notes"], {}))

    result = run_mosaic("modules", "list", "--json", cwd=tmp_path, site=site)

    assert result.returncode == 0, result.stderr
    assert '"name": "needs_notes"' in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MOSAIC_DB_POOL_SIZE": "lots"}, "MOSAIC_DB_POOL_SIZE: Input should be a valid integer"),
        ({"MOSAIC_ENV": "staging"}, "MOSAIC_ENV: Input should be 'development' or 'production'"),
        ({"MOSAIC_ENV": "production"}, "MOSAIC_SECRET_KEY must be set outside development"),
        (
            {"MOSAIC_ENV": "production", "MOSAIC_SECRET_KEY": "short"},
            "MOSAIC_SECRET_KEY is too weak",
        ),
        (
            {
                "MOSAIC_ENV": "production",
                "MOSAIC_SECRET_KEY": "change-me-to-at-least-32-random-characters",
                "MOSAIC_TRUSTED_HOSTS": "api.example.com",
            },
            "MOSAIC_SECRET_KEY looks like a placeholder",
        ),
        ({"MOSAIC_PLUGINS_FILE": "nowhere.toml"}, "nowhere.toml: file not found"),
        ({"MOSAIC_MODULES__NOTES__MAX_LENGTH": "0"}, "MOSAIC_MODULES__NOTES__MAX_LENGTH: Input"),
    ],
)
def test_bad_environment_refused(env, message, site, tmp_path):
    (site / "mosaic_fixtures-0.0.0.dist-info" / "entry_points.txt").write_text(
        f"[mosaic.modules]\nnotes = {NOTES}\n"
    )
    (tmp_path / "plugins.toml").write_text(_plugins_toml(["notes"], {}))

    result = run_mosaic("errors", cwd=tmp_path, site=site, env=env)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_toml_refused(tmp_path):
    (tmp_path / "plugins.toml").write_text("[modules\nenabled = 3")

    result = run_mosaic("modules", "check", cwd=tmp_path)

    assert result.returncode == 2
    assert "plugins.toml: not valid TOML" in result.stderr
    assert "Traceback" not in result.stderr
