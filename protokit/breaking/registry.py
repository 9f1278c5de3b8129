"""Breaking rules: each is one small function over a (previous, current) pair, registered by catalog ID."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from protokit.checks.catalog import BREAKING_RULES, RuleSpec
from protokit.config.model import BreakingConfig

# Pairs a rule looks at: matched by name (files, messages, enums, services, oneofs, RPCs) or number (fields, values);
# "history" rules look at the release history (``--against-tags``) and the current files.
TARGETS = ("files", "file", "message", "field", "enum", "enum_value", "service", "method", "history")


@dataclass(frozen=True)
class Change:
    """A breaking change found by a rule: where in the current input (``file`` None: the input itself) and what.

    ``against`` is the import name of the previous file the change is about (the ``ignore`` settings
    apply to it as well as to ``file``, as in Buf); paired rules get their previous element's file.
    """

    file: Any
    span: tuple[int, int, int, int]
    message: str
    against: str = ""


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


Check = Callable[[Context, Any, Any], Iterable[Change]]


@dataclass(frozen=True)
class BreakingRule:
    """A catalog entry with its check over pairs of ``target`` elements."""

    spec: RuleSpec
    target: str
    check: Check

    @property
    def fix(self) -> str:
        """The fix the check's docstring gives (its ``Fix:`` paragraph), or an empty string."""
        doc = inspect.cleandoc(self.check.__doc__ or "")
        paragraph = next((p for p in doc.split("\n\n") if p.startswith("Fix:")), "")
        return " ".join(paragraph.removeprefix("Fix:").replace("``", "").split())


RULES: dict[str, BreakingRule] = {}


def breaking_rule(rule_id: str, target: str) -> Callable[[Check], Check]:
    """Register ``check`` as the implementation of breaking rule ``rule_id`` over ``target`` pairs."""
    if target not in TARGETS:
        raise ValueError(f"unknown breaking rule target {target!r}")

    def register(check: Check) -> Check:
        RULES[rule_id] = BreakingRule(BREAKING_RULES[rule_id], target, check)
        return check

    return register


def change(element: Any, message: str, *sub: int) -> Change:
    """A change located at an element of the current input (or at one of its parts)."""
    return Change(element.file, element.span(*sub), message)
