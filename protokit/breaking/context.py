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
    _packages: dict[bool, dict[str, list[Any]]] = field(default_factory=dict, repr=False, compare=False)
    _enums: dict[tuple[bool, str], dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def enum(self, full_name: str, *, previous: bool) -> Any | None:
        """The enum element named ``full_name`` on one side, if that side's module defines it.

        Only the files of the packages the name can be in are looked into (a file's package is known without
        parsing it), so an unchanged module is not parsed for the few enums a comparison needs.
        """
        if previous not in self._packages:
            by_package: dict[str, list[Any]] = {}
            for file in (self.previous if previous else self.current).values():
                by_package.setdefault(file.package, []).append(file)
            self._packages[previous] = by_package
        parts = full_name.split(".")
        for end in range(len(parts) - 1, -1, -1):
            for file in self._packages[previous].get(".".join(parts[:end]), ()):
                key = (previous, file.name)
                if key not in self._enums:
                    self._enums[key] = {e.full_name: e for e in file.walk("enum")}
                if full_name in self._enums[key]:
                    return self._enums[key][full_name]
        return None
