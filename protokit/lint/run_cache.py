"""A whole lint run, cached by everything it reads (:mod:`protokit.checks.run_cache`).

The run's key covers protokit and its rules, the whole configuration, the targets and the compile key of
every file (which covers its content and imports).  Only the sources are read to compute it: no descriptor
is loaded when the run is cached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from protokit import __version__
from protokit.checks.run_cache import RunCache, run_key
from protokit.compile.cache import DescriptorCache
from protokit.compile.compiler import compile_workspace, early_workers, plan_compile
from protokit.diagnostics import Diagnostic
from protokit.lint.engine import RULES_SOURCE, FileFindings, LintReport, lint_workspace, parts_work
from protokit.lint.parts import PartsWork
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
    with early_workers(whole, descriptors, (PartsWork.__module__,)) as workers:
        plan = plan_compile(whole, descriptors, workers=workers)
        key = run_key(__version__, RULES_SOURCE, whole.config, targets, sorted(plan.keys.items()))
        runs = RunCache(cache_root, "lint", whole.config.directory)
        cached = runs.recall(key)
        if cached is not None:
            files = [FileFindings(*file) for file in cached["files"]]
            return LintReport(files, [Diagnostic(*row) for row in cached["warnings"]], cached["rules_run"], key)
        linted = replace(whole, targets=targets)
        work = partial(parts_work, linted, plan)  # made only when something is compiled
        result = compile_workspace(whole, descriptors, progress=progress, plan=plan, work=work, workers=workers)
    report = lint_workspace(linted, result, DescriptorCache(cache_root, "lint"))
    rows = [[file.shown, file.key, file.data, file.count] for file in report.files]
    runs.record(key, {"files": rows, "warnings": [w.row() for w in report.warnings], "rules_run": report.rules_run})
    return replace(report, key=key)


def printed(
    cache_root: Path | None,
    whole: Workspace,
    report: LintReport,
    view: str,
    render: Callable[[list[Diagnostic]], str],
    findings: list[Diagnostic] | None = None,
) -> str:
    """What a lint run prints in ``view`` (its format and options): ``render`` of the report's findings, file by
    file, each file's piece kept by its findings' key so that a later run renders only the files whose findings
    changed; or, given ``findings`` (a whole document, or other findings than the report's), rendered as one
    piece kept by the run's key."""
    if findings is not None and not report.key:
        return render(findings)
    store = RunCache(cache_root, "lint", whole.config.directory).pieces(view)
    kept: dict[str, str] = store.previous["pieces"]
    if findings is not None:
        whole_document = findings
        jobs: list[tuple[str, Callable[[], list[Diagnostic]]]] = [(report.key, lambda: whole_document)]
    else:
        jobs = [(file.key, file.diagnostics) for file in report.files]
    pieces = {key: kept.get(key) or render(make()) for key, make in jobs}
    store.save({"pieces": pieces})
    return "".join(pieces[key] for key, _ in jobs)
