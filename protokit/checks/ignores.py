"""The one ignore filter of lint and breaking: ``ignore``, ``ignore_only`` and comment ignores.

Configuration ignores match a finding's file path (the file or a directory above
it); ``ignore_only`` keys are rule IDs or categories.  Comment ignores (lint only)
are leading-comment lines that start with ``buf:lint:ignore `` and the rule ID,
exactly as Buf matches them (``protokit:lint:ignore`` works the same way), looked
up on the source paths Buf associates with the finding's path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from protokit.catalog import LINT_RULES, RuleSpec, spec_of
from protokit.checks.registry import Finding
from protokit.config.model import CheckConfig, under
from protokit.config.yamlread import did_you_mean
from protokit.diagnostics import Diagnostic, display_path
from protokit.index.elements import FileView
from protokit.index.source_paths import associated_paths

COMMENT_IGNORE_PREFIXES = ("buf:lint:ignore", "protokit:lint:ignore")
UNUSED_IGNORE = "UNUSED_IGNORE"
# The rule a comment-ignore line names (for reports about ignores that silence nothing).
_NAMED = re.compile(r"^(?:buf|protokit):lint:ignore ([A-Za-z0-9_]+)")


def ignore_lines(comment: str) -> list[str]:
    """The trimmed, non-empty lines of a comment that hold an ignore directive."""
    lines = (line.strip() for line in comment.splitlines())
    return [line for line in lines if line.startswith(COMMENT_IGNORE_PREFIXES)]


def comment_silences(comment: str, rule_id: str) -> bool:
    """Whether a leading comment silences ``rule_id``: a line starts with a prefix, a space and the ID."""
    wanted = tuple(f"{prefix} {rule_id}" for prefix in COMMENT_IGNORE_PREFIXES)
    return any(line.startswith(wanted) for line in ignore_lines(comment))


def candidate_paths(path: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The source paths whose leading comments may silence a finding at ``path``: Buf's associated
    paths (the enclosing declarations, the declaration itself and the option statement it is in)."""
    try:
        return associated_paths(path)
    except ValueError:
        return [path]


def names(spec: RuleSpec, name: str, version: str) -> bool:
    """Whether a configuration entry (rule ID or category of ``version``) names this rule."""
    return name == spec.id or name in spec.categories_in(version)


class Ignores:
    """The ignores of one check configuration, and which of them silenced a finding."""

    def __init__(self, config: CheckConfig, *, comments: bool = False) -> None:
        self.config = config
        self.comments = comments
        self.used: set[tuple[object, ...]] = set()

    def silence(self, spec: RuleSpec, finding: Finding, *paths: Path | None) -> bool:
        """Whether ``ignore``, ``ignore_only`` or (lint) a comment silences ``finding``, about files at ``paths``."""
        for path in paths:
            if path is None:
                continue
            if under(path, self.config.ignore):
                return True
            for key, roots in self.config.ignore_only.items():
                if names(spec, key, self.config.version):
                    for root in roots:
                        if under(path, (root,)):
                            self.used.add(("only", key, root))
                            return True
        if self.comments and finding.file is not None and finding.file.mentions_ignores and finding.path:
            directives = finding.file.directives
            for candidate in candidate_paths(finding.path):
                if candidate in directives and comment_silences(directives[candidate], spec.id):
                    self.used.add(("comment", finding.file.name, candidate, spec.id))
                    return True
        return False

    def unused_only(self, shown: str) -> list[Diagnostic]:
        """``ignore_only`` entries that silenced nothing (only meaningful after a whole-module run)."""
        message = "ignore_only {} for {} silences nothing; remove it"
        return [
            Diagnostic(shown, 0, 0, message.format(key, display_path(root)), UNUSED_IGNORE)
            for key, roots in self.config.ignore_only.items()
            for root in roots
            if ("only", key, root) not in self.used
        ]

    def directive_rows(self, file: FileView) -> list[list[Any]]:
        """The file's comment ignores as ``[path, comment, span]`` rows, for :func:`unused_comment_ignores` (none
        unless comment ignores are on)."""
        if not self.comments or not file.mentions_ignores:
            return []
        file.locate(set(file.directives))
        return [[path, comment, file.span(path)] for path, comment in file.directives.items()]


def unused_comment_ignores(
    shown: str, name: str, directives: list[list[Any]], used: set[tuple[object, ...]]
) -> list[Diagnostic]:
    """The comment ignores of a file (``[path, comment, span]`` rows) that silenced nothing (no ``("comment",
    name, path, rule)`` entry in ``used``) or name no known lint rule."""
    found: list[Diagnostic] = []
    for path, comment, (line_no, column, end_line, end_column) in directives:
        for line in ignore_lines(comment):
            match = _NAMED.match(line)
            if match is None:
                continue
            rule_id = match.group(1)
            spec = spec_of(rule_id)
            if spec is None or spec.kind != "lint":
                message = f'comment ignore names unknown rule "{rule_id}"{did_you_mean(rule_id, LINT_RULES)}'
                found.append(Diagnostic(shown, line_no, column, message, "WARNING", end_line, end_column))
            elif ("comment", name, path, rule_id) not in used:
                message = f"comment ignore of {rule_id} silences nothing; remove it"
                found.append(Diagnostic(shown, line_no, column, message, UNUSED_IGNORE, end_line, end_column))
    return found
