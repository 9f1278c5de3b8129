"""What lint rules may consult besides the element they look at."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from protokit.config.model import LintConfig
from protokit.index.elements import FileView


@dataclass(frozen=True)
class Context:
    """The lint options in force and every file of the module."""

    config: LintConfig
    files: list[FileView]

    @cached_property
    def files_by_name(self) -> dict[str, FileView]:
        """The module's files by import name, indexed once per module (not once per file a rule looks at)."""
        return {f.name: f for f in self.files}
