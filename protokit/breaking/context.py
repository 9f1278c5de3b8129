"""What breaking rules may consult besides the pair of elements they compare."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from protokit.config.model import BreakingConfig


@dataclass(frozen=True)
class Context:
    """The breaking options in force, and both sides' files for rules that look up types by name."""

    config: BreakingConfig
    previous: dict[str, Any] = field(default_factory=dict)
    current: dict[str, Any] = field(default_factory=dict)
    history: Any = None  # a breaking.history.History with --against-tags
    unchanged: frozenset[str] = frozenset()  # files compiled the same on both sides
    _enums: dict[bool, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def enum(self, full_name: str, *, previous: bool) -> Any | None:
        """The enum element named ``full_name`` on one side, if that side's module defines it."""
        if previous not in self._enums:
            files = self.previous if previous else self.current
            self._enums[previous] = {e.full_name: e for f in files.values() for e in f.walk("enum")}
        return self._enums[previous].get(full_name)
