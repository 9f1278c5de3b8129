"""Running the lint rules of a module's configuration over its files, and applying ignores."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from protokit import __version__
from protokit.checks.ignores import UNUSED_IGNORE, Ignores
from protokit.checks.registry import Finding, Rule, implemented
from protokit.checks.selection import select
from protokit.compile.cache import DescriptorCache, Entry
from protokit.compile.compiler import CompileResult
from protokit.config.model import LintConfig
from protokit.diagnostics import Diagnostic, ProtokitError, display_path
from protokit.index.elements import FileView
from protokit.lint import rules as _rules  # noqa: F401  (registers every rule)
from protokit.lint.context import Context
from protokit.workspace import Workspace, module_key

# The rules' own source: a cached finding is reused only with the code that produced it.
RULES_SOURCE = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.rglob("*.py")))).hexdigest()
__all__ = ["UNUSED_IGNORE", "LintReport", "lint_workspace"]


@dataclass
class LintReport:
    """Findings, and what the run noticed about its configuration."""

    findings: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    rules_run: int = 0


def _fingerprint(config: LintConfig, rules: list[Rule]) -> str:
    """What per-file findings depend on besides the file: version, rules and their options (not ignores)."""
    options = (
        config.enum_zero_value_suffix,
        config.service_suffix,
        config.rpc_allow_same_request_response,
        config.rpc_allow_google_protobuf_empty_requests,
        config.rpc_allow_google_protobuf_empty_responses,
    )
    text = repr((__version__, RULES_SOURCE, config.version, [r.spec.id for r in rules], options))
    return hashlib.sha256(text.encode()).hexdigest()


def _file_hits(
    rules: list[Rule], ctx: Context, file: FileView, cache: DescriptorCache, key: str
) -> list[tuple[Rule, Finding]]:
    """The per-file rules' findings on one file, from the lint cache when the file and configuration are unchanged."""
    entry = cache.get(key)
    if entry is not None:
        by_id = implemented("lint")
        return [
            (by_id[rule_id], Finding(file, tuple(span), message, tuple(path)))  # type: ignore[arg-type]
            for rule_id, path, span, message in entry.meta["hits"]
        ]
    found = [(rule, hit) for rule in rules for hit in _run(rule, ctx, [file])]
    stored = [[rule.spec.id, list(hit.path), list(hit.span), hit.message] for rule, hit in found]
    cache.put(key, Entry(b"", {"hits": stored}))
    return found


def lint_workspace(workspace: Workspace, result: CompileResult, cache: DescriptorCache | None = None) -> LintReport:
    """Lint every module file with its module's configuration, then with each of the module's
    policies; report findings in the targeted files.

    Rules about single files run on the targeted files only (their results are
    cached per file); rules about a whole module see every file of it.
    """
    by_module: dict[str, list[FileView]] = defaultdict(list)
    modules = {module_key(workspace.config, m): m for m in workspace.config.modules}
    for name in result.order:
        if name not in workspace.files:
            continue
        by_module[module_key(workspace.config, workspace.files[name].module)].append(FileView.compiled(result, name))
    report = LintReport()
    report.warnings += workspace.config.warnings
    run = _Run(workspace, result, cache or DescriptorCache(None, "lint"), report)
    for key, files in by_module.items():
        module = modules[key]
        run.check(module.lint, files, module.lint.allow_comment_ignores)
        for policy in module.policies:
            if policy.lint_error:
                raise ProtokitError(policy.lint_error)
            run.check(policy.lint, files, False, policy.name)
    report.warnings += run.unused_everywhere()
    report.warnings = list(dict.fromkeys(report.warnings))  # the same note from a module and its policies: once
    report.findings.sort(key=lambda d: (d.path, d.line, d.column, d.kind, d.message))
    return report


@dataclass
class _Run:
    """One lint run: the workspace, its compiled files, the per-file cache and the report being filled."""

    workspace: Workspace
    result: CompileResult
    store: DescriptorCache
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
        workspace, report = self.workspace, self.report
        targets = set(workspace.targets)
        ignores = Ignores(config, comments=comments)
        selection = select("lint", config)
        rules = selection.rules
        report.warnings += [Diagnostic(_config_shown(workspace), 0, 0, note, "WARNING") for note in selection.notes]
        report.rules_run = max(report.rules_run, len(rules))
        ctx = Context(config, files)
        fingerprint = _fingerprint(config, rules)
        found = [(rule, hit) for rule in rules if rule.target == "files" for hit in _run(rule, ctx, files)]
        per_file = [rule for rule in rules if rule.target != "files"]
        for file in files:
            if file.name in targets:
                key = hashlib.sha256(f"{fingerprint}\n{self.result.keys.get(file.name, '')}".encode()).hexdigest()
                found += _file_hits(per_file, ctx, file, self.store, key)
        for rule, hit in found:
            assert hit.file is not None
            if hit.file.name in targets and not ignores.silence(rule.spec, hit, workspace.files[hit.file.name].path):
                report.findings.append(_finding(rule, hit, policy))
        shown = _config_shown(workspace)
        self.configured.update(Ignores(config).unused_only(shown))  # unused before any finding: every entry
        if all(f.name in targets for f in files):
            self.unused.update(ignores.unused_only(shown))
        if comments:
            for file in files:
                if file.name in targets:
                    report.warnings += ignores.unused_comments(file)


def _config_shown(workspace: Workspace) -> str:
    source = workspace.config.source
    return display_path(source) if source else "configuration"


def _run(rule: Rule, ctx: Context, files: list[FileView]) -> list[Finding]:
    if rule.target == "files":
        return list(rule.check(ctx, files))
    if rule.target == "file":
        return [hit for file in files for hit in rule.check(ctx, file)]
    return [hit for file in files for element in file.walk(rule.target) for hit in rule.check(ctx, element)]


def _finding(rule: Rule, hit: Finding, policy: str = "") -> Diagnostic:
    assert hit.file is not None
    line, column, end_line, end_column = hit.span
    return Diagnostic(hit.file.shown, line, column, hit.message, rule.spec.id, end_line, end_column, policy)
