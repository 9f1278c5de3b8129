"""``protokit breaking`` from arguments to findings: pick the baseline, build both sides, compare per module."""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from protokit import __version__
from protokit.breaking import against as refs
from protokit.breaking.compare import RULES_SOURCE, by_module, compare
from protokit.breaking.history import History, collect
from protokit.breaking.sides import Baseline, Side, against_config, baseline, module_views, repository_root
from protokit.breaking.wheel import fetch_wheel, wheel_descriptor_set
from protokit.checks.registry import implemented
from protokit.checks.run_cache import RunCache, run_key
from protokit.compile.cache import DescriptorCache, default_cache_dir
from protokit.compile.compiler import plan_compile
from protokit.diagnostics import Diagnostic, ProtokitError, finding_order
from protokit.workspace import Workspace, module_key, open_workspace, whole_workspace


class NothingToCompare(Exception):
    """There is no baseline yet (before the first commit, or no release tag): a note, not an error."""


@dataclass(frozen=True)
class Request:
    """What to compare: the input and exactly one of the three ways to name a baseline."""

    input: Path
    against: str = ""
    merge_base: str = ""
    tags: str = ""
    against_config: Path | None = None
    wheel: str = ""
    exclude_imports: bool = False


@dataclass(frozen=True)
class Outcome:
    """The findings, each rule's fix hint, the directory finding paths are relative to, and warnings."""

    findings: list[Diagnostic]
    hints: dict[str, str]
    base: Path
    warnings: list[Diagnostic]


def check(request: Request) -> Outcome:
    """Compare the input with its baseline."""
    if sum(map(bool, (request.against, request.merge_base, request.tags, request.wheel))) != 1:
        raise ProtokitError(
            "give one of --against (a git ref, directory or descriptor set), --against-merge-base, --against-tags "
            "or --against-wheel"
        )
    selected = open_workspace([request.input])
    current = whole_workspace(selected)
    cache = DescriptorCache(default_cache_dir())
    plan = plan_compile(current, cache)
    hints = {rule_id: rule.fix for rule_id, rule in implemented("breaking").items()}
    with Baseline(current, cache, against_config(request.against_config)) as builder:
        tags: list[tuple[str, str]] = []
        try:
            spec = _git_against(request)
            # a baseline known by its files' blob ids, or a release history by its tags' commits: the whole
            # comparison can be cached
            old_files = builder.identity(spec.ref, spec.subdir) if spec is not None else ""
            if request.tags:
                tags = refs.release_tags(repository_root(current.config.directory), request.tags)
                old_files = repr(tags) if tags else ""
        except refs.NothingToCompare as before:
            raise NothingToCompare(f"{before} is before the repository's first commit") from None
        runs = RunCache(default_cache_dir(), "breaking", current.config.directory)
        key = ""
        if old_files:
            key = run_key(__version__, RULES_SOURCE, current.config, request, old_files, sorted(plan.keys.items()))
            cached = runs.get(key)
            if cached is not None:
                return Outcome(cached[0], hints, current.config.directory, cached[1])
        new = module_views(current, cache, plan=plan)
        history = None
        skipped: list[Diagnostic] = []
        try:
            if request.tags:
                old, history, skipped = _releases(builder, request.tags, tags, new)
            elif request.wheel:
                old = _wheel(builder, request.wheel)
            else:
                old = baseline(spec or refs.parse_against(request.against), builder)
        except refs.NothingToCompare as before:
            raise NothingToCompare(f"{before} is before the repository's first commit") from None
    findings = _compare(old, new, current, history, request.exclude_imports)
    shown = {new.views[n].shown for n in (*selected.targets, *new.imports)}
    findings = [f for f in findings if not f.path or f.path in shown]
    warnings = [*current.config.warnings, *skipped]
    if key:
        runs.put(key, findings, warnings)
    return Outcome(findings, hints, current.config.directory, warnings)


def _git_against(request: Request) -> refs.Against | None:
    """The baseline when it is a git ref (``--against REF`` or ``--against-merge-base``), else None."""
    if request.tags or request.wheel:
        return None
    if request.merge_base:
        return refs.Against("git", refs.merge_base(request.input, request.merge_base))
    spec = refs.parse_against(request.against)
    return spec if spec.kind == "git" else None


def _wheel(builder: Baseline, requirement: str) -> Side:
    """The files of a published client package, from the descriptor set it ships."""
    with tempfile.TemporaryDirectory(prefix="protokit-wheel-") as scratch:
        wheel = fetch_wheel(requirement, Path(scratch))
        return baseline(refs.Against("image", path=wheel_descriptor_set(wheel, Path(scratch))), builder)


def _compare(
    old: Side, new: Side, current: Workspace, history: History | None, exclude_imports: bool
) -> list[Diagnostic]:
    """Each module of the current configuration compared with its own breaking settings, then with
    each of its policies' (their findings name the policy); a finding reported by several modules
    (about a file they all import) is reported once."""
    modules = {module_key(current.config, m): m for m in current.config.modules}
    disk = {name: f.path for name, f in current.files.items()}
    unchanged = frozenset(n for n, key in new.keys.items() if old.keys.get(n) == key)
    exclude = old.imports | new.imports if exclude_imports else frozenset()
    findings: list[Diagnostic] = []
    for key, previous, present in by_module(old, new, list(modules)):
        module = modules[key]
        for name in previous.keys() - disk.keys():  # a deleted file: where it was, for ignores
            disk[name] = module.root / name
        findings += compare(previous, present, module.breaking, disk, history, unchanged, exclude)
        for policy in module.policies:
            if policy.breaking_error:
                raise ProtokitError(policy.breaking_error)
            found = compare(previous, present, policy.breaking, disk, history, unchanged, exclude)
            findings += [replace(f, policy=policy.name) for f in found]
    return sorted(dict.fromkeys(findings), key=finding_order)


def _releases(
    builder: Baseline, pattern: str, tags: list[tuple[str, str]], new: Side
) -> tuple[Side, History, list[Diagnostic]]:
    """The newest release of ``tags`` (those matching ``pattern``, newest first) as the baseline, the history
    of all of them, and a warning about each older release that no longer builds (left out).

    The history covers only the packages of files that changed since the newest release: a
    number can only come back in a file that changed.
    """
    if not tags:
        raise NothingToCompare(f'no tag matches "{pattern}" yet')
    newest = builder.git(tags[0][0])
    changed = frozenset(new.packages[n] for n, key in _own(new.keys, new).items() if newest.keys.get(n) != key)
    releases = [(tags[0][0], newest)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        older = list(pool.map(lambda tag: _release(builder, tag, changed), [name for name, _ in tags[1:]]))
    releases += [(name, side) for name, side in older if isinstance(side, Side)]
    skipped = [Diagnostic("", 0, 0, f"release {name} skipped in the history check: {error}", "WARNING")
               for name, error in older if isinstance(error, str)]  # fmt: skip
    history = [(tag, _own(side.keys, side), side.packages) for tag, side in releases]
    return newest, collect(history, builder.cache, set(changed)), skipped


def _own(keys: dict[str, str], side: Side) -> dict[str, str]:
    """``keys`` without the imported files': the history is about the module's own files."""
    return {name: key for name, key in keys.items() if name not in side.imports}


def _release(builder: Baseline, tag: str, packages: frozenset[str]) -> tuple[str, Side | str]:
    """One older release's compiled files of ``packages``, or why it no longer builds (it is skipped, with a
    warning)."""
    if not packages:
        return tag, Side()
    try:
        return tag, builder.git(tag, views=False, packages=packages)
    except ProtokitError as error:
        return tag, str(error)
