"""Running the lint rules of a module's configuration over its files, and applying ignores.

Per-file rules look at each targeted file; module-wide rules decide from every file's summary
(:mod:`protokit.lint.summary`).  A file's result (its findings after ignores, the ``ignore_only`` entries
they used and its unused comment ignores) is kept in the workspace's lint state with the summaries, keyed
by the file's compile key, the configuration and the module-wide verdicts about the file: the next run
reuses it for every file that did not change, without parsing or locating anything in it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from protokit import __version__
from protokit.checks.ignores import UNUSED_IGNORE, Ignores
from protokit.checks.registry import Finding, Rule
from protokit.checks.run_cache import sources_digest, unmarshal
from protokit.checks.selection import select
from protokit.compile.cache import DescriptorCache, Entry
from protokit.compile.compiler import CompileResult
from protokit.config.model import LintConfig
from protokit.diagnostics import Diagnostic, ProtokitError, display_path
from protokit.index.elements import FileView
from protokit.lint import rules as _rules  # noqa: F401  (registers every rule)
from protokit.lint.context import Context
from protokit.lint.summary import FileSummary, Verdict
from protokit.workspace import Workspace, module_key

# The rules' own source: a cached result is reused only with the code that produced it.
RULES_SOURCE = sources_digest(Path(__file__).parent)
__all__ = ["RULES_SOURCE", "UNUSED_IGNORE", "LintReport", "lint_workspace"]
_STATE_FORMAT = "lint state 1"


@dataclass
class LintReport:
    """Findings, and what the run noticed about its configuration."""

    findings: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    rules_run: int = 0


class LintState:
    """What the previous run learned, read and written as one cache entry per workspace and working directory:
    file summaries (by compile key), module-wide verdicts (by the summaries they were decided from) and file
    results (by result key).  Only what this run used is written back, so the state does not grow."""

    SECTIONS = ("summaries", "verdicts", "results")

    def __init__(self, cache: DescriptorCache, workspace: Workspace) -> None:
        parts = (_STATE_FORMAT, __version__, RULES_SOURCE, os.getcwd(), str(workspace.config.directory))
        self.cache, self.key = cache, hashlib.sha256("\n".join(parts).encode()).hexdigest()
        entry = cache.get(self.key)
        previous = unmarshal(entry.descriptor) if entry is not None else {}
        self._previous: dict[str, dict[str, Any]] = {s: previous.get(s, {}) for s in self.SECTIONS}
        self._now: dict[str, dict[str, Any]] = {s: {} for s in self.SECTIONS}

    def get(self, section: str, key: str) -> Any:
        """What this run or the previous one recorded in ``section`` under ``key`` (kept for the next run)."""
        found = self._now[section].get(key)
        if found is None:
            found = self._previous[section].get(key)
            if found is not None:
                self._now[section][key] = found
        return found

    def put(self, section: str, key: str, value: Any) -> None:
        """Record ``value`` in ``section`` under ``key`` for this run and the next."""
        self._now[section][key] = value

    def summary(self, key: str, file: FileView) -> list[Any]:
        """The summary (as stored) of the file with compile key ``key``, made from ``file`` the first time."""
        row = self.get("summaries", key)
        if row is None:
            row = FileSummary.of(file).to_json()
            self.put("summaries", key, row)
        return row  # type: ignore[no-any-return]

    def save(self) -> None:
        """Write what this run used, unless it is what the previous run wrote."""
        if self._now != self._previous:
            self.cache.put(self.key, Entry(marshal.dumps(self._now)))


def lint_workspace(workspace: Workspace, result: CompileResult, cache: DescriptorCache | None = None) -> LintReport:
    """Lint every module file with its module's configuration, then with each of the module's
    policies; report findings in the targeted files.

    Rules about single files run on the targeted files only; module-wide rules see every file's summary.
    ``cache`` keeps the workspace's lint state (summaries and file results) between runs.
    """
    by_module: dict[str, list[FileView]] = defaultdict(list)
    modules = {module_key(workspace.config, m): m for m in workspace.config.modules}
    for name in result.order:
        if name not in workspace.files:
            continue
        by_module[module_key(workspace.config, workspace.files[name].module)].append(FileView.compiled(result, name))
    report = LintReport()
    report.warnings += workspace.config.warnings
    state = LintState(cache or DescriptorCache(None, "lint"), workspace)
    run = _Run(workspace, result, state, report)
    for key, files in by_module.items():
        module = modules[key]
        run.check(module.lint, files, module.lint.allow_comment_ignores)
        for policy in module.policies:
            if policy.lint_error:
                raise ProtokitError(policy.lint_error)
            run.check(policy.lint, files, False, policy.name)
    state.save()
    report.warnings += run.unused_everywhere()
    report.warnings = list(dict.fromkeys(report.warnings))  # the same note from a module and its policies: once
    report.findings.sort(key=lambda d: (d.path, d.line, d.column, d.kind, d.message))
    return report


@dataclass
class _Run:
    """One lint run: the workspace, its compiled files, the lint state and the report being filled."""

    workspace: Workspace
    result: CompileResult
    state: LintState
    report: LintReport
    # ignore_only entries (as the diagnostic each would be): in how many runs they were configured,
    # and in how many fully targeted runs they silenced nothing.  Modules share the top-level section.
    configured: Counter[Diagnostic] = field(default_factory=Counter)
    unused: Counter[Diagnostic] = field(default_factory=Counter)

    def unused_everywhere(self) -> list[Diagnostic]:
        """The ignore_only entries that silenced nothing in every module they apply to."""
        return [entry for entry, count in self.configured.items() if self.unused[entry] == count]

    def check(self, config: LintConfig, files: list[FileView], comments: bool, policy: str = "") -> None:
        """Run one configuration (a module's or one of its policies') on a module's files."""
        workspace, report, keys = self.workspace, self.report, self.result.keys
        targets = set(workspace.targets)
        ignores = Ignores(config, comments=comments)
        selection = select("lint", config)
        rules = selection.rules
        report.warnings += [Diagnostic(_config_shown(workspace), 0, 0, note, "WARNING") for note in selection.notes]
        report.rules_run = max(report.rules_run, len(rules))
        ctx = Context(config, files)
        per_file = [rule for rule in rules if rule.target != "module"]
        verdicts = self._verdicts(ctx, [rule for rule in rules if rule.target == "module"], files)
        settings = hashlib.sha256(repr((config, comments, policy, [rule.spec.id for rule in rules])).encode())
        roots = {str(root): root for roots in config.ignore_only.values() for root in roots}
        for file in files:
            if file.name not in targets:
                continue
            found = verdicts.get(file.name, [])
            disk = workspace.files[file.name].path
            about = settings.copy()  # the result key: settings, file, disk path and the verdicts about the file
            about.update(f"\n{keys.get(file.name, '')}\n{disk}\n".encode())
            about.update(repr([(rule.spec.id, v.path, v.message) for rule, v in found]).encode())
            key = about.hexdigest()
            outcome = self.state.get("results", key)
            if outcome is None:
                outcome = _file_result(per_file, ctx, file, found, ignores, disk, policy)
                self.state.put("results", key, outcome)
            report.findings += [Diagnostic(*row) for row in outcome["findings"]]
            ignores.used.update(("only", only, roots[root]) for only, root in outcome["only"])
            report.warnings += [Diagnostic(*row) for row in outcome["comments"]]
        shown = _config_shown(workspace)
        self.configured.update(Ignores(config).unused_only(shown))  # unused before any finding: every entry
        if all(f.name in targets for f in files):
            self.unused.update(ignores.unused_only(shown))

    def _verdicts(
        self, ctx: Context, rules: list[Rule], files: list[FileView]
    ) -> dict[str, list[tuple[Rule, Verdict]]]:
        """The module-wide rules' verdicts, by file: decided from the files' summaries, or recorded when the
        summaries are those of a previous run (an edit inside a file seldom changes its summary)."""
        if not rules:
            return {}
        rows = [self.state.summary(self.result.keys.get(f.name, ""), f) for f in files]
        decided = hashlib.sha256(marshal.dumps(rows) + repr((ctx.config, [r.spec.id for r in rules])).encode())
        recorded = self.state.get("verdicts", decided.hexdigest())
        if recorded is None:
            summaries = [FileSummary.from_json(row) for row in rows]
            recorded = [(rule.spec.id, v.file, v.path, v.message) for rule in rules for v in rule.check(ctx, summaries)]
            self.state.put("verdicts", decided.hexdigest(), recorded)
        by_id = {rule.spec.id: rule for rule in rules}
        verdicts: dict[str, list[tuple[Rule, Verdict]]] = defaultdict(list)
        for rule_id, name, path, message in recorded:
            verdicts[name].append((by_id[rule_id], Verdict(name, tuple(path), message)))
        return verdicts


def _file_result(
    rules: list[Rule],
    ctx: Context,
    file: FileView,
    verdicts: list[tuple[Rule, Verdict]],
    ignores: Ignores,
    disk: Path,
    policy: str,
) -> dict[str, Any]:
    """One file's findings after ignores (per-file rules' and the module-wide verdicts about it), the
    ``ignore_only`` entries they used and the file's comment ignores that silence nothing."""
    hits = [(rule, hit) for rule in rules for hit in _run(rule, ctx, file)]
    hits += [(rule, Finding(file, None if v.path else (1, 1, 1, 1), v.message, v.path)) for rule, v in verdicts]
    before = set(ignores.used)
    kept = [(rule, hit) for rule, hit in hits if not ignores.silence(rule.spec, hit, disk)]
    wanted = {hit.path for _, hit in kept if hit.span is None}
    if ignores.comments:
        wanted |= set(file.directives)  # where unused comment ignores are reported
    file.locate(wanted)  # one pass over the file's locations
    findings = [_finding(rule, hit, policy) for rule, hit in kept]
    only = sorted([str(used[1]), str(used[2])] for used in ignores.used - before if used[0] == "only")
    comments = ignores.unused_comments(file) if ignores.comments else []
    return {"findings": [d.row() for d in findings], "only": only, "comments": [d.row() for d in comments]}


def _config_shown(workspace: Workspace) -> str:
    source = workspace.config.source
    return display_path(source) if source else "configuration"


def _run(rule: Rule, ctx: Context, file: FileView) -> list[Finding]:
    """One per-file rule's findings in ``file``: on the file itself, or on each of its elements of the rule's kind."""
    if rule.target == "file":
        return list(rule.check(ctx, file))
    return [hit for element in file.walk(rule.target) for hit in rule.check(ctx, element)]


def _finding(rule: Rule, hit: Finding, policy: str = "") -> Diagnostic:
    assert hit.file is not None
    line, column, end_line, end_column = hit.located()
    return Diagnostic(hit.file.shown, line, column, hit.message, rule.spec.id, end_line, end_column, policy)
