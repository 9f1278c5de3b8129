"""What lint rules may consult besides the element they look at."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from protokit.config.model import LintConfig
from protokit.index.elements import FileView


@dataclass(frozen=True)
class Context:
    """The lint options in force, every file of the module by import name and, when given, every compiled
    file's cache entry and import names by import name (imports from outside the module too)."""

    config: LintConfig
    files: Mapping[str, FileView]
    compiled: Mapping[str, Any] | None = None
    imports: Mapping[str, Sequence[str]] | None = None

    def imported(self, name: str) -> set[str]:
        """Every file ``name`` imports, transitively, known from the import names alone (nothing is parsed)."""
        found: set[str] = set()
        pending = list((self.imports or {}).get(name, ()))
        while pending:
            current = pending.pop()
            if current not in found:
                found.add(current)
                pending += (self.imports or {}).get(current, ())
        return found

    def descriptor(self, name: str) -> Any:
        """The ``FileDescriptorProto`` of any compiled file: a module file's view's, else parsed from its entry."""
        if name in self.files:
            return self.files[name].proto
        if name not in self._parsed_imports:
            from google.protobuf import descriptor_pb2

            if self.compiled is None or name not in self.compiled:
                raise KeyError(f"{name} is not a compiled file of this lint run")
            self._parsed_imports[name] = descriptor_pb2.FileDescriptorProto.FromString(self.compiled[name].descriptor)
        return self._parsed_imports[name]

    @cached_property
    def _parsed_imports(self) -> dict[str, Any]:
        """The descriptors of files outside the module parsed so far, by name."""
        return {}

    def closure(self, name: str) -> list[Any]:
        """The descriptors of every file ``name`` imports, transitively, each after its own imports."""
        ordered: list[Any] = []
        seen: set[str] = set()

        def visit(current: str) -> None:
            for dependency in self.descriptor(current).dependency:
                if dependency not in seen:
                    seen.add(dependency)
                    visit(dependency)
                    ordered.append(self.descriptor(dependency))

        visit(name)
        return ordered
