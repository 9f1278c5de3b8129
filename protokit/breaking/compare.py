"""Comparing two compiled versions of a module: pair elements, run the breaking rules, apply ignores."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from protokit.breaking import rules as _rules  # noqa: F401  (registers every rule)
from protokit.breaking.context import Context
from protokit.breaking.rules.common import walk
from protokit.breaking.sides import Side
from protokit.checks.ignores import Ignores
from protokit.checks.registry import Finding, Rule
from protokit.checks.run_cache import sources_digest
from protokit.checks.selection import select
from protokit.config.model import BreakingConfig
from protokit.diagnostics import Diagnostic, finding_order
from protokit.index.elements import NO_SPAN, Element, FileView
from protokit.index.package_versions import STABLE, package_stability

# The breaking code's own source: a cached comparison is reused only with the code that produced it.
RULES_SOURCE = sources_digest(Path(__file__).parent)


def _about_unstable(found: Finding, new: dict[str, FileView], old: dict[str, FileView]) -> bool:
    """Whether a finding is located in a current file of an unstable package or is about a previous one."""
    if found.file is not None and found.file.name in new and _unstable(new[found.file.name].package):
        return True
    return bool(found.against) and found.against in old and _unstable(old[found.against].package)


def _unstable(package: str) -> bool:
    """Whether ``package`` ends in an alpha, beta or test version (``a.v1beta1``), as Buf parses versions."""
    return package_stability(package) not in (None, STABLE)


def _key(element: Element) -> tuple[Any, ...]:
    """How an element is matched across versions: fields and values by number, the rest by name.

    Extensions are matched by extendee and number wherever they are declared, as Buf does.
    """
    if element.kind == "field" and element.proto.extendee:
        return ("extend", element.proto.extendee, element.proto.number)
    if element.kind == "field":
        return (element.scope, element.proto.number)
    if element.kind == "enum_value":
        assert element.parent is not None
        return (element.parent.full_name, element.proto.number)
    return (element.full_name,)


def _pairs(kind: str, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[tuple[Element, Element]]:
    current: dict[tuple[Any, ...], Element] = {}
    for file in new.values():
        for element in walk(file, kind):
            current.setdefault(_key(element), element)
    seen: set[tuple[Any, ...]] = set()
    for file in old.values():
        for element in walk(file, kind):
            key = _key(element)
            if key in current and key not in seen:
                seen.add(key)
                yield element, current[key]


def compare(
    old: dict[str, FileView],
    new: dict[str, FileView],
    config: BreakingConfig,
    disk: dict[str, Path],
    history: Any = None,
    unchanged: frozenset[str] = frozenset(),
    exclude: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    """Breaking changes from ``old`` to ``new`` (one module's files by import name), sorted.

    ``disk`` maps files to their paths for the ``ignore`` and ``ignore_only`` settings (old files
    that are gone to where they were);
    ``history`` (a :class:`~protokit.breaking.history.History`) enables the history rules.
    ``unchanged`` names files whose compiled form (content and imports) is the same on both
    sides: no element of theirs can have changed, so only whole-module rules look at them.
    ``exclude`` names files (imports, with ``--exclude-imports``) whose findings, on either side, are dropped.
    """
    ctx = Context(config, old, new, history, unchanged)
    changed_old = {n: f for n, f in old.items() if n not in unchanged}
    changed_new = {n: f for n, f in new.items() if n not in unchanged}
    pairs: dict[str, list[tuple[Element, Element]]] = {}
    findings = []
    ignores = Ignores(config)
    for rule in select("breaking", config).rules:
        if rule.target in _PAIRED and rule.target not in pairs:
            pairs[rule.target] = list(_pairs(rule.target, changed_old, changed_new))
        for found in _run(rule, ctx, (old, new), (changed_old, changed_new), pairs.get(rule.target, [])):
            names = (found.file.name if found.file is not None else "", found.against)
            if exclude and not exclude.isdisjoint(names):
                continue
            if config.ignore_unstable_packages and _about_unstable(found, new, old):
                continue  # Buf drops a finding in a file of an unstable package, or about a previous file of one
            if not ignores.silence(rule.spec, found, *(disk.get(name) for name in names if name)):
                findings.append(_diagnostic(rule, found))
    return sorted(findings, key=finding_order)


def by_module(
    old: Side, new: Side, modules: list[str]
) -> Iterator[tuple[str, dict[str, FileView], dict[str, FileView]]]:
    """Both sides split by the current configuration's modules (roots relative to the configuration), each
    module with the files it imports from outside the workspace, as Buf builds one image per module.

    An old file goes with the module of the current file of the same name, else with the module
    of the same root, else with the first module.
    """
    first = modules[0]

    def home(name: str) -> str:
        if name in new.modules:
            return new.modules.get(name, first)
        return old.modules.get(name, first) if old.modules.get(name) in modules else first

    for module in modules:
        current = {n: v for n, v in new.views.items() if n not in new.imports and new.modules.get(n, first) == module}
        previous = {n: v for n, v in old.views.items() if n not in old.imports and home(n) == module}
        yield module, _with_imports(previous, old), _with_imports(current, new)


def _with_imports(files: dict[str, FileView], side: Side) -> dict[str, FileView]:
    """``files`` and, from ``side``, the files outside the workspace that they import, directly or not."""
    found = dict(files)
    if not side.imports:
        return found
    pending = [d for name in files for d in side.imported_by(name)]
    while pending:
        name = pending.pop()
        if name in found or name not in side.imports or name not in side.views:
            continue
        found[name] = side.views[name]
        pending += side.imported_by(name)
    return found


_PAIRED = ("message", "field", "enum", "enum_value", "service", "method")
Sides = tuple[dict[str, FileView], dict[str, FileView]]


def _run(rule: Rule, ctx: Context, whole: Sides, changed: Sides, pairs: list[Any]) -> Iterator[Finding]:
    """One rule's changes: whole-module rules see every file, the others only changed files and their pairs.

    The changes of file and element rules name the previous file they are about (``against``).
    """
    if rule.target == "history":
        if ctx.history is not None:
            yield from rule.check(ctx, ctx.history, changed[1])
    elif rule.target == "files":
        yield from rule.check(ctx, *whole)
    elif rule.target == "file":
        old, new = changed
        for name, file in old.items():
            if name in new:
                yield from (_against(found, name) for found in rule.check(ctx, file, new[name]))
    else:
        for before, after in pairs:
            yield from (_against(found, before.file.name) for found in rule.check(ctx, before, after))


def _against(found: Finding, name: str) -> Finding:
    return found if found.against else replace(found, against=name)


def _diagnostic(rule: Rule, found: Finding) -> Diagnostic:
    line, column, end_line, end_column = found.located() if found.file is not None else found.span or NO_SPAN
    path = found.file.shown if found.file is not None else ""
    return Diagnostic(path, line, column, found.message, rule.spec.id, end_line, end_column)
