"""Reading ``docker/Dockerfile`` and ``.dockerignore`` as Docker does, for tests without Docker."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "docker" / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str

    def exec_form(self) -> list[str]:
        """The JSON array of an exec-form ``CMD``/``ENTRYPOINT``/``HEALTHCHECK CMD``."""
        text = self.arguments
        if self.keyword == "HEALTHCHECK":  # HEALTHCHECK [OPTIONS] CMD [...]
            text = text.partition("CMD ")[2]
        value = json.loads(text)
        assert isinstance(value, list), f"{self.keyword} is not in exec form"
        return [str(item) for item in value]


def instructions(path: Path = DOCKERFILE) -> list[Instruction]:
    """The instructions of a Dockerfile: comments dropped, continued lines joined."""
    result: list[Instruction] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # A comment inside a continued instruction.
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        result.append(Instruction(keyword.upper(), arguments.strip()))
        pending = ""
    return result


def stages(path: Path = DOCKERFILE) -> list[list[Instruction]]:
    """The instructions grouped by build stage, each starting with its ``FROM``."""
    grouped: list[list[Instruction]] = []
    for instruction in instructions(path):
        if instruction.keyword == "FROM":
            grouped.append([])
        if grouped:
            grouped[-1].append(instruction)
    return grouped


def serve_arguments() -> list[str]:
    """The ``mosaic`` arguments of the image's ``CMD`` (``["serve", "--host", …]``)."""
    [command] = [i for i in stages()[-1] if i.keyword == "CMD"]
    program, *arguments = command.exec_form()
    assert program == "mosaic"
    return arguments


def ignored(relative: str, path: Path = DOCKERIGNORE) -> bool:
    """Whether ``relative`` (a path from the repository root) is left out of the build context.

    Docker's rules: the last pattern that matches the path or one of its parents decides; a
    ``!`` pattern brings a path back; ``**`` matches any number of directories.
    """
    patterns = [
        line.strip()
        for line in path.read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    parts = relative.strip("/").split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    decision = False
    for line in patterns:
        pattern = line.lstrip("!").strip("/")
        if any(_matches(candidate, pattern) for candidate in candidates):
            decision = not line.startswith("!")
    return decision


def _matches(path: str, pattern: str) -> bool:
    if pattern.startswith("**/"):
        tail = pattern[3:]
        segments = path.split("/")
        return any(fnmatch.fnmatchcase("/".join(segments[i:]), tail) for i in range(len(segments)))
    return fnmatch.fnmatchcase(path, pattern) and path.count("/") == pattern.count("/")
