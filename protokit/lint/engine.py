"""Running the lint rules of a module's configuration over its files, and applying ignores."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from protokit import __version__
from protokit.checks.catalog import LINT_RULES, named_by, selected
from protokit.compile.cache import DescriptorCache, Entry
from protokit.compile.compiler import CompileResult
from protokit.config.model import LintConfig, Module, under
from protokit.config.yamlread import did_you_mean
from protokit.diagnostics import Diagnostic, display_path
from protokit.lint import rules as _rules  # noqa: F401  (registers every rule)
from protokit.lint.elements import FileView
from protokit.lint.registry import RULES, Context, Hit, Rule
from protokit.workspace import Workspace

UNUSED_IGNORE = "UNUSED_IGNORE"
# The rules' own source: a cached finding is reused only with the code that produced it.
_RULES_SOURCE = hashlib.sha256(
    b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.rglob("*.py")))
).hexdigest()
_COMMENT_IGNORE = re.compile(r"(?:buf|protokit):lint:ignore\s+([A-Za-z0-9_]+)")


def active_rules(config: LintConfig) -> list[Rule]:
    """The implemented rules that ``use`` selects and ``except`` does not, in catalog order."""
    return [RULES[rule_id] for rule_id in selected("lint", config.use, config.except_) if rule_id in RULES]


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
    text = repr((__version__, _RULES_SOURCE, [r.spec.id for r in rules], options))
    return hashlib.sha256(text.encode()).hexdigest()


def _file_hits(
    rules: list[Rule], ctx: Context, file: FileView, cache: DescriptorCache, key: str
) -> list[tuple[Rule, Hit]]:
    """The per-file rules' hits on one file, from the lint cache when the file and configuration are unchanged."""
    entry = cache.get(key)
    if entry is not None:
        return [
            (RULES[rule_id], Hit(file, tuple(path), tuple(span), message))  # type: ignore[arg-type]
            for rule_id, path, span, message in entry.meta["hits"]
        ]
    found = [(rule, hit) for rule in rules for hit in _run(rule, ctx, [file])]
    stored = [[rule.spec.id, list(hit.path), list(hit.span), hit.message] for rule, hit in found]
    cache.put(key, Entry(b"", {"hits": stored}))
    return found


def lint_workspace(workspace: Workspace, result: CompileResult, cache: DescriptorCache | None = None) -> LintReport:
    """Lint every module file with its module's configuration; report findings in the targeted files.

    Rules about single files run on the targeted files only (their results are
    cached per file); rules about a whole module see every file of it.
    """

    by_module: dict[Path, list[FileView]] = defaultdict(list)
    modules = {m.root: m for m in workspace.config.modules}
    for name in result.order:
        if name not in workspace.files:
            continue
        by_module[workspace.files[name].module.root].append(FileView.compiled(result, name))
    targets = set(workspace.targets)
    report = LintReport()
    for root, files in by_module.items():
        module = modules[root]
        suppressions = Suppressions(module, workspace)
        rules = active_rules(module.lint)
        report.rules_run = max(report.rules_run, len(rules))
        ctx = Context(module.lint, files)
        fingerprint = _fingerprint(module.lint, rules)
        found = [(rule, hit) for rule in rules if rule.target == "files" for hit in _run(rule, ctx, files)]
        per_file = [rule for rule in rules if rule.target != "files"]
        store = cache or DescriptorCache(None, "lint")
        for file in files:
            if file.name in targets:
                key = hashlib.sha256(f"{fingerprint}\n{result.keys.get(file.name, '')}".encode()).hexdigest()
                found += _file_hits(per_file, ctx, file, store, key)
        for rule, hit in found:
            if hit.file.name in targets and not suppressions.silence(rule, hit):
                report.findings.append(_finding(rule, hit))
        whole = all(f.name in targets for f in files)
        report.warnings += suppressions.stale(files, targets, whole)
    report.findings.sort(key=lambda d: (d.path, d.line, d.column, d.kind, d.message))
    return report


def _run(rule: Rule, ctx: Context, files: list[FileView]) -> list[Hit]:
    if rule.target == "files":
        return list(rule.check(ctx, files))
    if rule.target == "file":
        return [hit for file in files for hit in rule.check(ctx, file)]
    return [hit for file in files for element in file.walk(rule.target) for hit in rule.check(ctx, element)]


def _finding(rule: Rule, hit: Hit) -> Diagnostic:
    line, column, end_line, end_column = hit.span
    return Diagnostic(hit.file.shown, line, column, hit.message, rule.spec.id, end_line, end_column)


class Suppressions:
    """The ignores of one module's lint configuration, and which of them silenced a finding."""

    def __init__(self, module: Module, workspace: Workspace) -> None:
        self.config = module.lint
        self.workspace = workspace
        self.used: set[tuple[object, ...]] = set()

    def silence(self, rule: Rule, hit: Hit) -> bool:
        """Whether ``ignore``, ``ignore_only`` (rule or category) or a comment on the element silences ``hit``."""
        path = self.workspace.files[hit.file.name].path
        if under(path, self.config.ignore):
            return True
        for key, roots in self.config.ignore_only.items():
            if named_by(rule.spec, key):
                for root in roots:
                    if under(path, (root,)):
                        self.used.add(("only", key, root))
                        return True
        if self.config.allow_comment_ignores:
            # The element's own comment, then those of the elements enclosing it.
            ancestors = [hit.path[:end] for end in range(len(hit.path) - 1, 1, -1) if end % 2 == 0]
            for prefix in [hit.path, *ancestors]:
                if rule.spec.id in _COMMENT_IGNORE.findall(hit.file.comments(prefix)):
                    self.used.add(("comment", hit.file.name, prefix, rule.spec.id))
                    return True
        return False

    def stale(self, files: list[FileView], targets: set[str], whole_module: bool) -> list[Diagnostic]:
        """Ignores that silenced nothing, and comment ignores naming no known rule."""
        found = []
        if whole_module:
            source = self.workspace.config.source
            shown = display_path(source) if source else "configuration"
            for key, roots in self.config.ignore_only.items():
                for root in roots:
                    if ("only", key, root) not in self.used:
                        where = display_path(root)
                        message = f"ignore_only {key} for {where} silences nothing; remove it"
                        found.append(Diagnostic(shown, 0, 0, message, UNUSED_IGNORE))
        if not self.config.allow_comment_ignores:
            return found
        for file in files:
            if file.name not in targets or not file.mentions_ignores:
                continue
            for path, location in file.locations.items():
                for rule_id in _COMMENT_IGNORE.findall(location.leading_comments):
                    line, column, end_line, end_column = file.span(path)
                    if rule_id not in LINT_RULES:
                        message = f'comment ignore names unknown rule "{rule_id}"{did_you_mean(rule_id, LINT_RULES)}'
                        found.append(Diagnostic(file.shown, line, column, message, "WARNING", end_line, end_column))
                    elif ("comment", file.name, path, rule_id) not in self.used:
                        message = f"comment ignore of {rule_id} silences nothing; remove it"
                        found.append(Diagnostic(file.shown, line, column, message, UNUSED_IGNORE, end_line, end_column))
        return found
