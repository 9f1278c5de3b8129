"""Rule registration: each rule is one small function attached to its catalog entry by ID."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from protokit.checks.catalog import LINT_RULES, RuleSpec
from protokit.config.model import LintConfig
from protokit.lint.elements import Element, FileView, Span

# What a rule looks at: one element kind, one file, or all files of a module at once.
TARGETS = ("message", "field", "oneof", "enum", "enum_value", "service", "method", "file", "files")


@dataclass(frozen=True)
class Hit:
    """A rule's raw finding: where (file, source path for comment ignores, span) and what."""

    file: FileView
    path: tuple[int, ...]
    span: Span
    message: str


@dataclass(frozen=True)
class Context:
    """What rules may consult besides the element: the lint options and every file of the module."""

    config: LintConfig
    files: list[FileView]


Check = Callable[[Context, Any], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A catalog entry with its check function and what the check looks at."""

    spec: RuleSpec
    target: str
    check: Check


RULES: dict[str, Rule] = {}


def rule(rule_id: str, target: str) -> Callable[[Check], Check]:
    """Register ``check`` as the implementation of catalog rule ``rule_id``."""
    if target not in TARGETS:
        raise ValueError(f"unknown rule target {target!r}")

    def register(check: Check) -> Check:
        RULES[rule_id] = Rule(LINT_RULES[rule_id], target, check)
        return check

    return register


def at(element: Element, message: str, *sub: int) -> Hit:
    """A hit at an element (or one of its parts, such as its name with ``sub=(1,)``)."""
    return Hit(element.file, element.path, element.span(*sub), message)


def at_file(file: FileView, message: str, path: tuple[int, ...] = ()) -> Hit:
    """A hit at a file-level source path (the file's start when the path has no location)."""
    return Hit(file, path, file.span(path) if path else (1, 1, 1, 1), message)
