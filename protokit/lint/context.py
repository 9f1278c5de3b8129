"""What lint rules may consult besides the element they look at."""

from __future__ import annotations

from dataclasses import dataclass

from protokit.config.model import LintConfig
from protokit.index.elements import FileView


@dataclass(frozen=True)
class Context:
    """The lint options in force and every file of the module."""

    config: LintConfig
    files: list[FileView]
