"""Diagnostics: located messages about bad input, and the error that carries them.

Every user-facing failure in protokit is a :class:`ProtokitError` holding one or
more :class:`Diagnostic` values.  The CLI prints them with the formatter chosen
by ``--error-format`` and exits with code 1, never with a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from pathlib import Path


@dataclass(order=True, unsafe_hash=True, slots=True)
class Diagnostic:
    """A message about one place in one file (or about no file at all); a value, never changed once made
    (not ``frozen`` only because a frozen dataclass is four times slower to make, and runs make 100,000s).

    ``path`` is the path shown to the user (relative to the working directory
    when the file is under it); ``line`` and ``column`` are 1-based and 0 when
    unknown.  ``kind`` is the machine-readable type (``COMPILE``, ``CONFIG``,
    ``INPUT`` or a rule ID).  ``policy`` names the buf.yaml policy a finding comes from (Buf
    shows it after the message, and as ``"policy"`` in JSON).
    """

    path: str
    line: int
    column: int
    message: str
    kind: str = "COMPILE"
    end_line: int = 0
    end_column: int = 0
    policy: str = ""

    def location(self) -> str:
        """``path:line:column`` (dropping the parts that are unknown)."""
        if not self.path:
            return ""
        if self.line <= 0:
            return self.path
        if self.column <= 0:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message

    def row(self) -> tuple[str, int, int, str, str, int, int, str]:
        """The fields in order, for storing (``Diagnostic(*row)`` rebuilds it); faster than ``astuple``."""
        return (self.path, self.line, self.column, self.message, self.kind, self.end_line, self.end_column, self.policy)


# The order findings are reported in: by file, place, rule, then message.
finding_order = attrgetter("path", "line", "column", "kind", "message")
# The same order over stored rows (:meth:`Diagnostic.row`).
finding_row_order = itemgetter(0, 1, 2, 4, 3)


class ProtokitError(Exception):
    """A failure caused by the user's input; reported without a traceback, exit 1."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic | str) -> None:
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("", 0, 0, diagnostics, kind="INPUT")]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def display_path(path: Path | str) -> str:
    """The path as the user should see it: relative to the working directory when below it."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd:
        return "."
    if absolute.startswith(cwd + os.sep):
        return absolute[len(cwd) + 1 :]
    return absolute
