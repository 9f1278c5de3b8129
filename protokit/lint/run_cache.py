"""A whole lint run, cached by everything it reads (:mod:`protokit.checks.run_cache`).

The run's key covers protokit and its rules, the whole configuration, the targets and the compile key of
every file (which covers its content and imports).  Only the sources are read to compute it: no descriptor
is loaded when the run is cached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from protokit import __version__
from protokit.checks.run_cache import RunCache, run_key
from protokit.compile.cache import DescriptorCache
from protokit.compile.compiler import compile_workspace, plan_compile
from protokit.lint.engine import RULES_SOURCE, LintReport, lint_workspace
from protokit.workspace import Workspace


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
    key = run_key(__version__, RULES_SOURCE, whole.config, targets, sorted(plan.keys.items()))
    runs = RunCache(cache_root, "lint", whole.config.directory)
    cached = runs.get(key)
    if cached is not None:
        findings, warnings, extra = cached
        return LintReport(findings, warnings, extra["rules_run"], key)
    result = compile_workspace(whole, descriptors, progress=progress, plan=plan)
    report = lint_workspace(replace(whole, targets=targets), result, DescriptorCache(cache_root, "lint"))
    runs.put(key, report.findings, report.warnings, {"rules_run": report.rules_run})
    return replace(report, key=key)


def printed(cache_root: Path | None, whole: Workspace, report: LintReport, view: str, render: Callable[[], str]) -> str:
    """What a lint run prints in ``view`` (its format and options): kept with the run, so that a repeated run
    prints without rendering every finding again; ``render`` makes it when it was not kept."""
    runs = RunCache(cache_root, "lint", whole.config.directory)
    text = runs.output(report.key, view) if report.key else None
    if text is None:
        text = render()
        if report.key:
            runs.keep_output(report.key, view, text)
    return text
