"""The page on a module's shape (``modules/README.md``) shows only commands that work as it says."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.core.installed import ROOT, run_mosaic

PAGE = (ROOT / "modules" / "README.md").read_text()
# What each command of the page prints when it does what the page says, in the page's order; a
# command added to the page fails the test until it is added here.
EXPECTED = {
    "mosaic modules new shipping": r"^created modules/shipping/plugin\.py$",
    "mosaic modules list": r"^catalogue \S+ \(enabled\) - Catalogue: ",
    "mosaic db upgrade": r"^upgraded: .*\bcatalogue\b",
    "mosaic db status": r"^catalogue +enabled +head=catalogue_0001 .* up to date$",
    "mosaic errors": r"^catalogue\.product_not_found +404 ",
}


def _commands() -> list[str]:
    """Every command of the page's ``sh`` blocks, in order, without its comment."""
    blocks = re.findall(r"^```sh\n(.*?)^```", PAGE, re.M | re.S)
    lines = (line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines())
    return [line for line in lines if line]


def test_every_command_on_the_page_runs_as_it_says(tmp_path: Path) -> None:
    (tmp_path / "plugins.toml").write_text('[modules]\nenabled = ["users", "auth", "catalogue"]\n')
    env = {"MOSAIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'shape.db'}"}

    assert _commands() == list(EXPECTED)
    for command, shows in EXPECTED.items():
        program, *args = shlex.split(command)
        assert program == "mosaic"
        result = run_mosaic(*args, cwd=tmp_path, env=env)
        assert result.returncode == 0, f"{command}: {result.stderr}"
        assert re.search(shows, result.stdout, re.M), f"{command}: {result.stdout}"
    assert 'name="shipping"' in (tmp_path / "modules" / "shipping" / "plugin.py").read_text()
