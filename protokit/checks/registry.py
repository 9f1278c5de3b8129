"""The one rule registry of lint and breaking: each rule is one small function attached to its catalog ID.

A lint rule looks at one element kind, one file or the summaries of all files of a module; a
breaking rule looks at a (previous, current) pair of elements matched by name
or number, at a pair of files, at both sides' files, or at the release history.
Both yield :class:`Finding` values; selection (``checks.selection``) and
ignores (``checks.ignores``) treat the two kinds alike.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from protokit.catalog import RuleKind, RuleSpec, spec_of
from protokit.index.elements import Element, FileView, Span

TARGETS: dict[str, tuple[str, ...]] = {
    # "module" lint rules see the summaries of every file of the module (protokit.lint.summary).
    "lint": ("message", "field", "oneof", "enum", "enum_value", "service", "method", "file", "module"),
    # Paired by name (files, messages, enums, services, RPCs) or number (fields, values); "files" sees both
    # sides whole, "history" the release history (``--against-tags``) and the current files.
    "breaking": ("files", "file", "message", "field", "enum", "enum_value", "service", "method", "history"),
}
# The sections every rule docstring has, in this order (``protokit explain`` and the docs print them).
DOC_SECTIONS = ("Why", "Bad", "Good", "Fix")
_SECTION = re.compile(r"^(Why|Bad|Good|Fix):\s*", re.MULTILINE)


@dataclass(frozen=True)
class Finding:
    """What a rule found: the file (None: the input as a whole), the span, the message and the source path.

    ``path`` is the descriptor source path the finding is about, where comment ignores are looked up;
    ``against`` (breaking) is the import name of the previous file it is about: ``ignore`` settings apply
    to that file as well as to ``file``, as in Buf.
    """

    file: FileView | None
    span: Span | None  # None: the location of ``path`` in ``file``, looked up only when the finding is reported
    message: str
    path: tuple[int, ...] = ()
    against: str = ""

    def located(self) -> Span:
        """The span, looked up in the file when the rule left it to the path."""
        if self.span is not None:
            return self.span
        assert self.file is not None
        return self.file.span(self.path)


# A check yields findings; a module-wide lint rule yields verdicts about files (protokit.lint.summary.Verdict).
Check = Callable[..., Iterable[Any]]


@dataclass(frozen=True)
class Rule:
    """A catalog entry with its check function and what the check looks at."""

    spec: RuleSpec
    target: str
    check: Check

    def section(self, name: str) -> str:
        """One section of the check's docstring (``What`` is the first paragraph), on one line."""
        doc = inspect.cleandoc(self.check.__doc__ or "")
        parts = _SECTION.split(doc)
        sections = {"What": parts[0]} | dict(zip(parts[1::2], parts[2::2], strict=True))
        return " ".join(sections.get(name, "").replace("``", "").split())

    @property
    def fix(self) -> str:
        """How to fix a finding of this rule, from the docstring's ``Fix:`` section."""
        return self.section("Fix")


RULES: dict[str, Rule] = {}


def rule(rule_id: str, target: str) -> Callable[[Check], Check]:
    """Register ``check`` as the implementation of catalog rule ``rule_id``, looking at ``target``."""
    spec = spec_of(rule_id)
    if spec is None:
        raise ValueError(f"rule {rule_id} is not in the catalog")
    if target not in TARGETS[spec.kind]:
        raise ValueError(f"unknown {spec.kind} rule target {target!r}")

    def register(check: Check) -> Check:
        RULES[rule_id] = Rule(spec, target, check)
        return check

    return register


def implemented(kind: RuleKind) -> dict[str, Rule]:
    """The registered rules of one kind, by ID (import the kind's rules package first)."""
    return {rule_id: r for rule_id, r in RULES.items() if r.spec.kind == kind}


def at(element: Element, message: str, *sub: int) -> Finding:
    """A finding at an element (or one of its parts, such as its name with ``sub=(1,)``), located when reported."""
    return Finding(element.file, element.fixed_span(), message, element.path + sub)


def at_file(file: FileView, message: str, path: tuple[int, ...] = ()) -> Finding:
    """A finding at a file-level source path (the file's start when the path has no location)."""
    return Finding(file, None if path else (1, 1, 1, 1), message, path)
