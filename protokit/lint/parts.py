"""A file's part of a lint run and its summary, made in this process or in the compile worker that has just
compiled the file.

A file's part is what the per-file rules of one configuration found in it after ignores, located, with the
ignores they used and the file's comment ignores; its summary is what the module-wide rules read of it
(:mod:`protokit.lint.summary`).  A compile worker holds the file's parsed descriptor and those of everything
it imports, so a cold run makes both there (:class:`PartsWork`), on every core while other chunks compile;
the engine makes in this process only what the workers did not.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from protokit.checks.ignores import Ignores
from protokit.checks.registry import Finding, Rule
from protokit.checks.selection import select
from protokit.compile.cache import Entry
from protokit.config.model import LintConfig
from protokit.diagnostics import Diagnostic
from protokit.index.elements import FileView
from protokit.lint import rules as _rules  # noqa: F401  (registers every rule)
from protokit.lint.context import Context
from protokit.lint.summary import FileSummary, row_digest

# A configuration as the compile workers receive it: the config, whether comment ignores apply, the policy.
Configuration = tuple[LintConfig, bool, str]


class Check:
    """One configuration (a module's or one of its policies') as run on a module: its rules and ignores."""

    def __init__(self, config: LintConfig, comments: bool, policy: str, disk: Mapping[str, Path]) -> None:
        self.config, self.comments, self.policy, self.disk = config, comments, policy, disk
        self.selection = select("lint", config)
        rules = self.selection.rules
        self.per_file = [rule for rule in rules if rule.target != "module"]
        self.module_wide = [rule for rule in rules if rule.target == "module"]
        self.settings = hashlib.sha256(repr((config, comments, policy, [rule.spec.id for rule in rules])).encode())
        self._part_keys: dict[tuple[str, str], str] = {}

    def part_key(self, compile_key: str, name: str) -> str:
        """The key of a file's part: the settings, the file's compile key and its path on disk (worked out
        once per file and run)."""
        found = self._part_keys.get((compile_key, name))
        if found is None:
            about = self.settings.copy()
            about.update(f"\n{compile_key}\n{self.disk[name]}\n".encode())
            found = self._part_keys[(compile_key, name)] = about.hexdigest()
        return found

    def part(self, ctx: Context, file: FileView, also: set[tuple[int, ...]]) -> dict[str, Any]:
        """The per-file rules' findings in ``file`` after ignores, located, the ignores they used and the
        file's comment ignores (with their spans); the paths ``also`` are located in the same pass."""
        ignores = Ignores(self.config, comments=self.comments)
        hits = [(rule, hit) for rule in self.per_file for hit in run_rule(rule, ctx, file)]
        disk = self.disk[file.name]
        kept = [(rule, hit) for rule, hit in hits if not ignores.silence(rule.spec, hit, disk)]
        wanted = also | {hit.path for _, hit in kept if hit.span is None}
        if ignores.comments and file.mentions_ignores:
            wanted |= set(file.directives)
        file.locate(wanted)  # one pass over the file's locations
        findings = [make_finding(rule, hit, self.policy).row() for rule, hit in kept]
        return {"findings": findings, "used": stored(ignores.used), "directives": ignores.directive_rows(file)}


def summary_and_parts(
    checks: list[Check], contexts: list[Context], file: FileView, summary: bool, parts: Iterable[int]
) -> tuple[list[Any] | None, dict[int, bytes]]:
    """What a run lacks of one file, serialized as the lint state keeps it (``marshal``; made where the file
    is, often a worker, so that the run's process only stores it): its summary row with the row's digest
    (if ``summary``), and its part for each of ``checks`` numbered in ``parts`` (located in one pass with the
    paths the summary needs)."""
    also = FileSummary.verdict_paths(file) if summary else set()
    made = {i: marshal.dumps(checks[i].part(contexts[i], file, also)) for i in parts}
    row = FileSummary.of(file, also).to_row() if summary else None
    return (None if row is None else [row_digest(row), marshal.dumps(row)]), made


@dataclass
class PartsWork:
    """The summaries and parts a lint run asks of the compile workers, for the files they compile: the
    configurations of each module, each module file's module, the targets, and the disk path, display path
    and imports of the files a chunk sees.  :meth:`for_chunk` cuts it down to one chunk's share before it is
    sent; called there with the chunk's compiled files, it returns each file's :func:`summary_and_parts`."""

    configurations: dict[str, list[Configuration]]
    modules: dict[str, str]
    targets: frozenset[str]
    disk: dict[str, Path]
    shown: dict[str, str]
    imports: Mapping[str, list[str]]

    def for_chunk(self, names: Iterable[str], seen: Iterable[str]) -> PartsWork:
        """The work of a chunk compiling ``names`` and seeing ``seen`` (its files and all they import)."""
        seen = list(seen)
        modules = {name: self.modules[name] for name in seen if name in self.modules}
        keys = {modules[name] for name in names if name in modules}
        return PartsWork(
            {key: self.configurations[key] for key in keys},
            modules,
            self.targets.intersection(names),
            {name: self.disk[name] for name in modules},
            {name: self.shown[name] for name in seen},
            {name: self.imports[name] for name in seen},
        )

    def __call__(self, compiled: list[tuple[str, Any, bytes, dict[str, Any]]], seen: Mapping[str, bytes]) -> dict:
        """By compiled module file, its summary (row and digest) and, for a target, its parts under each of its
        module's configurations.  ``compiled`` holds (name, descriptor, serialized, metadata) of each file the
        chunk compiled; ``seen`` the serialized descriptor of every file the chunk saw."""
        entries = {name: Entry(raw) for name, raw in seen.items()}
        views = {
            name: FileView.cached(raw, name, self.shown[name], {}) for name, raw in seen.items() if name in self.modules
        }
        for name, proto, raw, meta in compiled:
            if name not in self.modules:
                continue
            directives = {tuple(path): comment for path, comment in meta.get("directives", [])}
            warnings = [w[2] for w in meta.get("warnings", [])]
            mentions = b"lint:ignore" in raw
            views[name] = FileView(
                proto,
                self.shown[name],
                warnings,
                _raw=raw,
                _name=name,
                _mentions_ignores=mentions,
                _directives=directives,
            )
        made: dict[str, Any] = {}
        for key, configurations in self.configurations.items():
            module = {name: view for name, view in views.items() if self.modules.get(name) == key}
            checks = [Check(config, comments, policy, self.disk) for config, comments, policy in configurations]
            contexts = [Context(check.config, module, entries, self.imports) for check in checks]
            for name, _, _, _ in compiled:
                if self.modules.get(name) == key:
                    parts = range(len(checks)) if name in self.targets else ()
                    made[name] = summary_and_parts(checks, contexts, views[name], True, parts)
        for view in views.values():
            view.release()  # a worker compiles chunk after chunk: what this one made is freed now
        return made


class ImportNames(Mapping[str, list[str]]):
    """The names each source imports, read from the sources when asked (a run compiling one file asks for few)."""

    def __init__(self, sources: Mapping[str, Any]) -> None:
        self.sources = sources

    def __getitem__(self, name: str) -> list[str]:
        return [i.name for i in self.sources[name].imports]

    def __iter__(self) -> Iterator[str]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


def run_rule(rule: Rule, ctx: Context, file: FileView) -> list[Finding]:
    """One per-file rule's findings in ``file``: on the file itself, or on each of its elements of the rule's kind."""
    if rule.target == "file":
        return list(rule.check(ctx, file))
    return [hit for element in file.walk(rule.target) for hit in rule.check(ctx, element)]


def make_finding(rule: Rule, hit: Finding, policy: str = "") -> Diagnostic:
    """The diagnostic of one rule's hit, located (a policy's findings name the policy)."""
    assert hit.file is not None
    line, column, end_line, end_column = hit.located()
    return Diagnostic(hit.file.shown, line, column, hit.message, rule.spec.id, end_line, end_column, policy)


def stored(used: set[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Ignores that silenced a finding, as the lint state keeps them: ``ignore_only`` roots as text."""
    return sorted((("only", e[1], str(e[2])) if e[0] == "only" else e for e in used), key=repr)
