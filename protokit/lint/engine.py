"""Running the lint rules of a module's configuration over its files, and applying ignores.

Per-file rules look at each targeted file; module-wide rules decide from every file's summary
(:mod:`protokit.lint.summary`).  A file's part (the per-file rules' findings after ignores, located, the
ignores they used and the file's comment ignores) and its summary are kept in the workspace's lint state,
keyed by the file's compile key and the configuration: the next run reuses them for every file that did not
change, without parsing or locating anything in it.  The parts and summaries a run lacks are made in forked
worker processes when there are many (:mod:`protokit.lint.parallel`).  A file's result is its part plus the
module-wide verdicts about it, silenced and located from what the part and the summary recorded; it is kept
too, serialized, under a key of everything it was made from (:class:`FileFindings`), so that a run in which one
file changed makes one file's result and passes the others on without reading them.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import Any

from protokit import __version__
from protokit.checks.ignores import UNUSED_IGNORE, Ignores, unused_comment_ignores
from protokit.checks.registry import Finding, Rule
from protokit.checks.run_cache import LayeredEntry, sources_digest
from protokit.compile.cache import DescriptorCache
from protokit.compile.compiler import CompilePlan, CompileResult
from protokit.config.model import LintConfig
from protokit.diagnostics import Diagnostic, ProtokitError, display_path, finding_row_order
from protokit.index.elements import NO_SPAN, FileView
from protokit.lint import rules as _rules  # noqa: F401  (registers every rule)
from protokit.lint.context import Context
from protokit.lint.parallel import in_workers
from protokit.lint.parts import (
    Check,
    Configuration,
    ImportNames,
    PartsWork,
    make_finding,
    stored,
    summary_and_parts,
)
from protokit.lint.summary import FileSummary, Verdict
from protokit.workspace import Workspace, module_key

# The rules' own source: a cached result is reused only with the code that produced it.
RULES_SOURCE = sources_digest(Path(__file__).parent)
__all__ = ["RULES_SOURCE", "UNUSED_IGNORE", "LintReport", "lint_workspace"]
_STATE_FORMAT = "lint state 5"


@dataclass(frozen=True)
class FileFindings:
    """One file's findings in a lint run, serialized (``marshal`` rows, in report order) until they are read,
    with a key of everything they were made from: equal keys, equal findings."""

    shown: str
    key: str
    data: bytes
    count: int

    def diagnostics(self) -> list[Diagnostic]:
        """The findings."""
        return [Diagnostic(*row) for row in marshal.loads(self.data)]


@dataclass
class LintReport:
    """Findings, by file (ordered as reported), and what the run noticed about its configuration."""

    files: list[FileFindings] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    rules_run: int = 0
    key: str = ""  # the whole run's key (see protokit.lint.run_cache), when it was computed

    @cached_property
    def findings(self) -> list[Diagnostic]:
        """Every finding, in report order (read from the files' serialized findings on first use)."""
        return [diagnostic for file in self.files for diagnostic in file.diagnostics()]

    @property
    def count(self) -> int:
        """How many findings there are (without reading them)."""
        return sum(file.count for file in self.files)


class LintState:
    """What the previous run learned, kept per workspace and working directory: file summaries (by compile key,
    each with its digest), module-wide verdicts (by the digests of the summaries they were decided from), file
    parts (by part key) and files' results (by their keys).  Summaries, parts and results are kept serialized,
    read only when used.  Only what this run used is saved, as a delta over what an earlier run saved when that
    is small (:class:`LayeredEntry`: a large tree's state is tens of MB)."""

    SECTIONS = ("summaries", "verdicts", "parts", "results")

    def __init__(self, cache: DescriptorCache, workspace: Workspace) -> None:
        parts = (_STATE_FORMAT, __version__, RULES_SOURCE, os.getcwd(), str(workspace.config.directory))
        self.key = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        self.stored = LayeredEntry(cache, self.key, self.SECTIONS)
        self._previous = self.stored.previous
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

    def read(self, section: str, key: str) -> Any:
        """What :meth:`write` recorded in ``section`` under ``key`` (None if nothing)."""
        found = self.get(section, key)
        return None if found is None else marshal.loads(found)

    def write(self, section: str, key: str, value: Any) -> None:
        """Record ``value`` serialized (read back with :meth:`read`; the state's load does not parse it)."""
        self.put(section, key, marshal.dumps(value))

    def save(self) -> None:
        """Save what this run used."""
        self.stored.save(self._now)


def lint_workspace(workspace: Workspace, result: CompileResult, cache: DescriptorCache | None = None) -> LintReport:
    """Lint every module file with its module's configuration, then with each of the module's
    policies; report findings in the targeted files.

    Rules about single files run on the targeted files only; module-wide rules see every file's summary.
    ``cache`` keeps the workspace's lint state (summaries and file parts) between runs.
    """
    by_module: dict[str, list[str]] = defaultdict(list)
    file_modules = _file_modules(workspace)
    for name in result.order:
        if name in file_modules:
            by_module[file_modules[name]].append(name)
    report = LintReport()
    report.warnings += workspace.config.warnings
    state = LintState(cache or DescriptorCache(None, "lint"), workspace)
    run = _Run(workspace, result, state, report)
    configurations = _configurations(workspace)
    disk = _disk_paths(workspace)
    for key, names in by_module.items():
        files = _ModuleFiles(result, names)
        checks = [Check(config, comments, policy, disk) for config, comments, policy in configurations[key]]
        run.prepare(checks, files)
        run.report_module(checks, files)
    state.save()
    report.warnings += run.unused_everywhere()
    report.warnings = list(dict.fromkeys(report.warnings))  # the same note from a module and its policies: once
    report.files.sort(key=attrgetter("shown"))  # findings are ordered by file first (finding_order)
    return report


def parts_work(workspace: Workspace, plan: CompilePlan) -> PartsWork | None:
    """What the compile workers can make for a lint of ``workspace`` (targets as the lint will have them)
    while they compile it: every module file's summary and every target's parts (None when a policy's
    configuration is in error: the lint reports that instead)."""
    if any(policy.lint_error for module in workspace.config.modules for policy in module.policies):
        return None
    sources = plan.graph.sources
    return PartsWork(
        _configurations(workspace),
        _file_modules(workspace),
        frozenset(workspace.targets),
        _disk_paths(workspace),
        {name: source.shown for name, source in sources.items()},
        ImportNames(sources),
    )


def _file_modules(workspace: Workspace) -> dict[str, str]:
    """The key of each module file's module."""
    keys = {id(module): module_key(workspace.config, module) for module in workspace.config.modules}
    return {
        name: keys.get(id(file.module)) or module_key(workspace.config, file.module)
        for name, file in workspace.files.items()
    }


def _disk_paths(workspace: Workspace) -> dict[str, Path]:
    """Each module file's path on disk (what ignores are matched against)."""
    return {name: file.path for name, file in workspace.files.items()}


def _configurations(workspace: Workspace) -> dict[str, list[Configuration]]:
    """Each module's lint configurations, by module key: its own (with its comment-ignore setting), then each of
    its policies' (named); a policy whose configuration is in error stops the run."""
    found: dict[str, list[Configuration]] = {}
    for module in workspace.config.modules:
        configurations: list[Configuration] = [(module.lint, module.lint.allow_comment_ignores, "")]
        for policy in module.policies:
            if policy.lint_error:
                raise ProtokitError(policy.lint_error)
            configurations.append((policy.lint, False, policy.name))
        found[module_key(workspace.config, module)] = configurations
    return found


class _ModuleFiles(Mapping[str, FileView]):
    """A module's compiled files by name, in compile order; each one's view is made the first time it is
    looked at (a run that passes most results on looks at few)."""

    def __init__(self, result: CompileResult, names: list[str]) -> None:
        self.result, self.names = result, names
        self._known = set(names)
        self._views: dict[str, FileView] = {}

    def __getitem__(self, name: str) -> FileView:
        if name not in self._views:
            if name not in self._known:
                raise KeyError(name)
            self._views[name] = FileView.compiled(self.result, name)
        return self._views[name]

    def __contains__(self, name: object) -> bool:
        return name in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


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

    def prepare(self, checks: list[Check], files: _ModuleFiles) -> None:
        """Make the summaries and parts of a module's files that the lint state lacks: taken from what the compile
        workers made when they made them all, else many of them in forked worker processes, a few here."""
        keys, targets = self.result.keys, set(self.workspace.targets)
        missing: list[tuple[int, bool, list[int]]] = []
        for index, name in enumerate(files.names):
            key = keys.get(name, "")
            summary = self.state.get("summaries", key) is None
            parts = []
            if name in targets:
                parts = [i for i, c in enumerate(checks) if self.state.get("parts", c.part_key(key, name)) is None]
            if summary or parts:
                missing.append((index, summary, parts))
        if not missing:
            return
        made_by_workers = self.result.extras
        if all(files.names[index] in made_by_workers for index, _, _ in missing):
            made = [made_by_workers[files.names[index]] for index, _, _ in missing]
        else:
            imports = ImportNames(self.result.sources)
            contexts = [Context(check.config, files, self.result.entries, imports) for check in checks]

            def make(job: tuple[int, bool, list[int]]) -> tuple[Any, dict[int, bytes]]:
                index, summary, parts = job
                return summary_and_parts(checks, contexts, files[files.names[index]], summary, parts)

            made = in_workers(make, missing)
        for (index, summary, parts), (row, part_of) in zip(missing, made, strict=True):
            key = keys.get(files.names[index], "")
            if summary:
                self.state.put("summaries", key, row)
            for i in parts:
                self.state.put("parts", checks[i].part_key(key, files.names[index]), part_of[i])

    def report_module(self, checks: list[Check], files: _ModuleFiles) -> None:
        """Report a module's findings in its targeted files, under each of its configurations: each file's parts
        and the module-wide verdicts about it, as kept from a previous run when they were made from the same."""
        workspace, report, keys = self.workspace, self.report, self.result.keys
        shown = _config_shown(workspace)
        summaries = {name: self.state.get("summaries", keys.get(name, "")) for name in files.names}
        verdicts = []
        for check in checks:
            report.warnings += [Diagnostic(shown, 0, 0, note, "WARNING") for note in check.selection.notes]
            report.rules_run = max(report.rules_run, len(check.selection.rules))
            verdicts.append(self._verdicts(check.config, check.module_wide, files.names, summaries))
        ignores = [Ignores(check.config, comments=check.comments) for check in checks]
        roots = [{str(r): r for rs in check.config.ignore_only.values() for r in rs} for check in checks]
        targets = set(workspace.targets)
        for name in files.names:
            if name not in targets:
                continue
            path = self.result.sources[name].shown
            part_keys = [check.part_key(keys.get(name, ""), name) for check in checks]
            about = [[key, found.get(name, [])] for key, found in zip(part_keys, verdicts, strict=True)]
            key = hashlib.sha256(repr((path, summaries[name][0], about)).encode()).hexdigest()
            kept = self.state.read("results", key)
            if kept is None:
                kept = self._file_result(checks, files[name], part_keys, [found.get(name, []) for found in verdicts],
                                         summaries[name])  # fmt: skip
                self.state.write("results", key, kept)
            data, count, warnings, used = kept
            if count:
                report.files.append(FileFindings(path, key, data, count))
            report.warnings += [Diagnostic(*row) for row in warnings]
            for i, entries in enumerate(used):
                ignores[i].used |= {("only", entry[1], roots[i][entry[2]]) for entry in entries}
        for check, silenced in zip(checks, ignores, strict=True):
            self.configured.update(Ignores(check.config).unused_only(shown))  # unused before any finding: all
            if all(name in targets for name in files.names):
                self.unused.update(silenced.unused_only(shown))

    def _file_result(
        self,
        checks: list[Check],
        file: FileView,
        part_keys: list[str],
        verdicts: list[list[tuple[str, str, tuple[int, ...], str]]],
        summary: list[Any],
    ) -> list[Any]:
        """A file's result under a module's configurations: its findings (serialized rows in report order) and
        their number, its unused comment ignores (rows) and the ``ignore_only`` entries that silenced something
        under each configuration."""
        rows: list[tuple[Any, ...]] = []
        warnings: list[Diagnostic] = []
        used_only = []
        for check, part_key, found in zip(checks, part_keys, verdicts, strict=True):
            part = self.state.read("parts", part_key)
            used = {tuple(entry) for entry in part["used"]}
            rows += [tuple(row) for row in part["findings"]]
            if found:
                spans = marshal.loads(summary[1])[-1]
                rules = {rule.spec.id: rule for rule in check.module_wide}
                about = [(rules[rule], Verdict(name, tuple(path), message)) for rule, name, path, message in found]
                rows += [d.row() for d in self._verdict_findings(check, file, about, part, spans, used)]
            used_only.append([entry for entry in used if entry[0] == "only"])
            if part["directives"]:
                warnings += unused_comment_ignores(file.shown, file.name, part["directives"], used)
        rows.sort(key=finding_row_order)
        return [marshal.dumps(rows), len(rows), [w.row() for w in warnings], used_only]

    def _verdict_findings(
        self,
        check: Check,
        file: FileView,
        verdicts: list[tuple[Rule, Verdict]],
        part: dict[str, Any],
        spans: dict[tuple[int, ...], Any],
        used: set[tuple[object, ...]],
    ) -> list[Diagnostic]:
        """The module-wide verdicts about a file after ignores (``used`` gains the ignores that silenced them),
        located from the file's summary (or the file itself, for a path the summary did not locate)."""
        directives = {path: comment for path, comment, _ in part["directives"]}
        stub = FileView(None, file.shown, _name=file.name, _mentions_ignores=bool(directives), _directives=directives)
        ignores = Ignores(check.config, comments=check.comments)
        found = []
        for rule, verdict in verdicts:
            span = (spans.get(verdict.path) or file.span(verdict.path)) if verdict.path else NO_SPAN
            hit = Finding(stub, span, verdict.message, verdict.path)
            if not ignores.silence(rule.spec, hit, check.disk[file.name]):
                found.append(make_finding(rule, hit, check.policy))
        used.update(stored(ignores.used))
        return found

    def _verdicts(
        self, config: LintConfig, rules: list[Rule], names: list[str], summaries: dict[str, Any]
    ) -> dict[str, list[tuple[str, str, tuple[int, ...], str]]]:
        """The module-wide rules' verdicts (rule ID, file, source path, message), by file: decided from the files'
        summaries, or recorded when the summaries are those of a previous run (an edit inside a file seldom
        changes its summary)."""
        if not rules:
            return {}
        digests = "\n".join(summaries[name][0] for name in names)
        decided = hashlib.sha256((digests + repr((config, [r.spec.id for r in rules]))).encode())
        recorded = self.state.get("verdicts", decided.hexdigest())
        if recorded is None:
            found = [FileSummary.from_row(marshal.loads(summaries[name][1])) for name in names]
            ctx = Context(config, {})  # module-wide rules read the summaries only
            recorded = [(rule.spec.id, v.file, v.path, v.message) for rule in rules for v in rule.check(ctx, found)]
            self.state.put("verdicts", decided.hexdigest(), recorded)
        verdicts: dict[str, list[tuple[str, str, tuple[int, ...], str]]] = defaultdict(list)
        for verdict in recorded:
            verdicts[verdict[1]].append(verdict)
        return verdicts


def _config_shown(workspace: Workspace) -> str:
    source = workspace.config.source
    return display_path(source) if source else "configuration"
