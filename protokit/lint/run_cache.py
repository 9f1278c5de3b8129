"""A whole lint run, cached by everything it reads: a repeated run with nothing changed reads one entry.

The run's key covers protokit and its rules, the working directory (findings carry display paths), the whole
configuration, the targets and the compile key of every file (which covers its content and imports).  Only
the sources are read to compute it: no descriptor is loaded when the run is cached.  Each workspace (and
working directory) keeps only its last run, so the cache does not grow with every edit.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from protokit import __version__
from protokit.compile.cache import DescriptorCache, Entry
from protokit.compile.compiler import compile_workspace, plan_compile
from protokit.diagnostics import Diagnostic
from protokit.lint.engine import RULES_SOURCE, LintReport, lint_workspace, unmarshal
from protokit.workspace import Workspace

_FORMAT = "lint run 1"


def lint_run(
    whole: Workspace,
    targets: tuple[str, ...],
    cache_root: Path | None,
    progress: Callable[[int, int], None] | None = None,
) -> LintReport:
    """Lint ``targets`` of the workspace ``whole`` (every module file targeted), from the run cache when
    nothing it depends on changed; otherwise compile, lint and record the run."""
    descriptors = DescriptorCache(cache_root)
    plan = plan_compile(whole, descriptors)
    key = _key(whole, targets, plan.keys)
    runs = DescriptorCache(cache_root, "lint-runs")
    slot = hashlib.sha256(f"{_FORMAT}\n{os.getcwd()}\n{whole.config.directory}".encode()).hexdigest()
    entry = runs.get(slot)
    cached = _report(entry, key) if entry is not None else None
    if cached is not None:
        return cached
    result = compile_workspace(whole, descriptors, progress=progress, plan=plan)
    report = lint_workspace(replace(whole, targets=targets), result, DescriptorCache(cache_root, "lint"))
    runs.put(slot, _entry(report, key))
    return report


def _key(whole: Workspace, targets: tuple[str, ...], keys: dict[str, str]) -> str:
    parts = [_FORMAT, __version__, RULES_SOURCE, os.getcwd(), repr(whole.config), *targets, "--"]
    parts += [f"{name} {key}" for name, key in sorted(keys.items())]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _entry(report: LintReport, key: str) -> Entry:
    rows = {
        "findings": [d.row() for d in report.findings],
        "warnings": [d.row() for d in report.warnings],
        "rules_run": report.rules_run,
    }
    return Entry(marshal.dumps(rows), {"key": key})


def _report(entry: Entry, key: str) -> LintReport | None:
    """The recorded run if it is the run with ``key``."""
    rows = unmarshal(entry.descriptor) if entry.meta.get("key") == key else None
    if not rows:
        return None
    return LintReport(
        [Diagnostic(*row) for row in rows["findings"]],
        [Diagnostic(*row) for row in rows["warnings"]],
        rows["rules_run"],
    )
