"""The revisions of every installed module's branch, read once per kernel."""

from __future__ import annotations

import re
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from sqlalchemy.engine import Connection

from core.alembic_branches.config import alembic_config
from core.kernel.kernel import Kernel
from core.kernel.module import LoadedModule

_CACHE: WeakKeyDictionary[Kernel, Branches] = WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class BranchStatus:
    """Where one module's branch stands in the database."""

    module: str
    enabled: bool
    head: str | None
    current: str | None

    @property
    def up_to_date(self) -> bool:
        """Whether the database holds the branch's newest revision."""
        return self.head == self.current


class Branches:
    """Each installed module's branch (enabled or not: a disabled module's revisions stay known,
    so the database it left behind can still be read and upgraded)."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.script = ScriptDirectory.from_config(alembic_config(kernel))
        self.modules = [m for m in kernel.available.values() if m.migrations is not None]
        self._revisions = {m.name: self._walk(m) for m in self.modules}

    @classmethod
    def of(cls, kernel: Kernel) -> Branches:
        """Returns the (cached) branches of ``kernel``."""
        if kernel not in _CACHE:
            _CACHE[kernel] = cls(kernel)
        return _CACHE[kernel]

    def revisions(self, module: str) -> list[str]:
        """Module ``module``'s revisions, newest first (empty for a branch not yet started)."""
        return self._revisions.get(module, [])

    def needed_by(self, module: str) -> set[str]:
        """Module ``module`` and every module whose branch its branch depends on, transitively."""
        by_name = {m.name: m for m in self.modules}
        needed: set[str] = set()
        waiting = [module]
        while waiting:
            name = waiting.pop()
            if name in needed or name not in by_name:
                continue
            needed.add(name)
            branch = by_name[name].migrations
            assert branch is not None
            waiting.extend(label.partition("@")[0] for label in branch.depends_on)
        return needed

    def next_revision(self, module: str) -> str:
        """The id of module ``module``'s next revision: ``<module>_<NNNN>``, numbered on from its
        newest numbered one (its first is ``<module>_0001``)."""
        numbered = re.compile(rf"{re.escape(module)}_(\d+)")
        numbers = [
            int(match.group(1))
            for revision in self.revisions(module)
            if (match := numbered.fullmatch(revision))
        ]
        return f"{module}_{max([len(self.revisions(module)), *numbers]) + 1:04d}"

    def applied(self, connection: Connection) -> set[str]:
        """Every revision the database holds: its heads and all their ancestors."""
        heads = MigrationContext.configure(connection).get_current_heads()
        if not heads:
            return set()
        walk = self.script.revision_map.iterate_revisions(heads, "base")
        return {revision.revision for revision in walk if revision is not None}

    def status(self, connection: Connection) -> list[BranchStatus]:
        """Returns each branch's head and the revision the database holds."""
        applied = self.applied(connection)
        enabled = {module.name for module in self.kernel.modules}  # the kernel's branch too
        rows = []
        for module in sorted(self.modules, key=lambda m: m.name):
            revisions = self.revisions(module.name)
            current = next((revision for revision in revisions if revision in applied), None)
            head = revisions[0] if revisions else None
            rows.append(BranchStatus(module.name, module.name in enabled, head, current))
        return rows

    def pending(self, connection: Connection) -> list[str]:
        """Returns the enabled modules whose branch is not at its head (empty when ready)."""
        return [row.module for row in self.status(connection) if row.enabled and not row.up_to_date]

    def _walk(self, module: LoadedModule) -> list[str]:
        assert module.migrations is not None
        label = module.migrations.label
        try:
            self.script.revision_map.get_revision(label)
        except ResolutionError:  # the branch has no revision yet
            return []
        return [
            revision.revision
            for revision in self.script.walk_revisions(base="base", head=f"{label}@head")
            if label in revision.branch_labels
        ]
