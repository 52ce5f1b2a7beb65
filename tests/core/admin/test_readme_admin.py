"""The README's "Admin console" commands, run as written against ``mosaic serve``."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.attacks.server import serving
from tests.core.installed import ACCOUNTS_PLUGINS as PLUGINS
from tests.core.installed import ROOT

README = (ROOT / "README.md").read_text()
SECTION = README.split("### Admin console", 1)[1].split("\n## ", 1)[0]
PASSWORD = "correct horse battery staple"


def _shell_lines() -> list[str]:
    [block] = re.findall(r"```sh\n(.*?)```", SECTION, re.DOTALL)
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_commands_open_the_console(tmp_path: Path) -> None:
    create_admin, serve = _shell_lines()
    assert create_admin.startswith("mosaic users create-admin ")
    assignment, command = serve.split(" ", 1)
    assert command == "mosaic serve"
    name, value = assignment.split("=")
    email = re.search(r"--email (\S+)", create_admin)
    assert email is not None
    with serving(tmp_path, PLUGINS, {name: value}) as server:
        created = server.mosaic(*create_admin.split()[1:], stdin=f"{PASSWORD}\n")
        assert created.returncode == 0, created.stderr
        with httpx.Client(base_url=server.base, timeout=30) as client:
            signed_in = client.post(
                "/admin/login",
                data={"username": email.group(1), "password": PASSWORD},
                headers={"Origin": server.base},
            )
            assert signed_in.status_code == 302, signed_in.text
            system = client.get("/admin/system")
            assert system.status_code == 200
            assert "catalogue" in system.text
            assert "up to date" in system.text
