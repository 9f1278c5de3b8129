"""buf.yaml v2 ``policies``: local ``buf.policy.yaml`` files, each an extra lint and breaking configuration.

An entry is ``{policy: PATH, ignore: [...], ignore_only: {...}}``.  As in Buf, the policy file
(version v2) holds ``lint`` (use, except, the lint options, disable_builtin), ``breaking`` (use,
except, ignore_unstable_packages, disable_builtin) and ``plugins``; a missing section means the
v2 defaults.  The entry's ``ignore`` and ``ignore_only`` paths are matched against import paths,
that is relative to each module's root, and comment ignores never silence a policy's findings.

Two deliberate differences from Buf: a policy path is relative to the buf.yaml (Buf opens it
relative to the working directory, so it only works when run from there; like Buf, the path may
lead out of the repository to a shared file), and remote policies (BSR names) are an error, as
protokit works offline.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from protokit.catalog import RuleKind, known_names
from protokit.config.model import BreakingConfig, CheckConfig, LintConfig, Policy
from protokit.config.sections import parse_breaking, parse_lint, relative_path
from protokit.config.yamlread import Node, YamlFile, did_you_mean
from protokit.diagnostics import Diagnostic

C = TypeVar("C", bound=CheckConfig)
POLICY_FILE_KEYS = ("version", "name", "lint", "breaking", "plugins")
ENTRY_KEYS = ("policy", "ignore", "ignore_only")
# A BSR reference: remote/owner/name, optionally :label or @commit.  As Buf's bufparse.ParseRef,
# any three components qualify: Buf takes such a name for a remote policy unless the file exists.
_REMOTE = re.compile(r"^[^/:@]+/[^/:@]+/[^/:@]+([:@][^/]+)?$")


@dataclass(frozen=True)
class PolicyEntry:
    """One ``policies`` entry: the policy file's sections and the entry's ignores, not yet tied to a module."""

    name: str
    lint: LintConfig
    breaking: BreakingConfig
    ignore: tuple[tuple[str, Node], ...]
    ignore_only: tuple[tuple[str, Node, tuple[tuple[str, Node], ...]], ...]


def parse_policies(doc: YamlFile, node: Node | None) -> tuple[PolicyEntry, ...]:
    """The ``policies`` list of a buf.yaml v2; each policy file is read and checked now."""
    entries = []
    for index, item in enumerate(doc.sequence(node, "policies")):
        where = f"policies[{index}]"
        keys = doc.mapping(item, where, ENTRY_KEYS)
        if "policy" not in keys:
            raise doc.error(item, f'{where} needs a "policy" (the path of a buf.policy.yaml)')
        name = doc.string(keys["policy"], f"{where}.policy")
        path = _policy_path(doc, keys["policy"], name, f"{where}.policy")
        lint, breaking = load_policy_yaml(path, doc.warnings)
        ignore = tuple(doc.strings(keys.get("ignore"), f"{where}.ignore"))
        only = tuple(
            (
                doc.string(key, f"a key of {where}.ignore_only"),
                key,
                tuple(doc.strings(paths, f"{where}.ignore_only.{key.value}")),
            )
            for key, paths in doc.pairs(keys.get("ignore_only"), f"{where}.ignore_only")
        )
        for rule, key, _ in only:
            _check_rule(doc, key, rule, f"{where}.ignore_only")
        entries.append(PolicyEntry(name, lint, breaking, ignore, only))
    return tuple(entries)


def _policy_path(doc: YamlFile, node: Node, name: str, where: str) -> Path:
    """The policy file an entry names; a BSR name is the clear error of an offline tool."""
    local = doc.path.parent / name
    if not local.is_file() and _REMOTE.match(name):
        raise doc.error(
            node,
            f"remote policies are not supported: {name} (no such file next to buf.yaml either; protokit works "
            "offline: copy the policy's buf.policy.yaml into the repository and list its path)",
        )
    if not name:
        raise doc.error(node, f"{where} must name a policy file")
    path = Path(os.path.normpath(doc.path.parent / name))  # may lie outside, e.g. a policy shared by repositories
    if not path.is_file():
        raise doc.error(node, f'{where}: policy file "{name}" does not exist')
    return path


def _check_rule(doc: YamlFile, node: Node, rule: str, where: str) -> None:
    """An ignore_only key must be a v2 lint or breaking rule or category (the command decides which applies)."""
    valid = known_names("lint", "v2") + known_names("breaking", "v2")
    if rule not in valid:
        raise doc.error(node, f'unknown rule or category "{rule}" in {where}{did_you_mean(rule, valid)}')


def load_policy_yaml(path: Path, warnings: list[Diagnostic] | None = None) -> tuple[LintConfig, BreakingConfig]:
    """Read a ``buf.policy.yaml`` (version v2 only): its lint and breaking configurations.

    ``plugins`` must be empty: Buf check plugins add rules protokit cannot run.  The file's
    warnings (deprecated names) are added to ``warnings``.
    """
    doc = YamlFile(path)
    keys = doc.mapping(doc.root, "the top level", POLICY_FILE_KEYS)
    if "version" not in keys:
        raise doc.error(doc.root, 'missing key "version" (a buf.policy.yaml must say version: v2)')
    version = doc.string(keys["version"], "version")
    if version != "v2":
        raise doc.error(keys["version"], f'unsupported buf.policy.yaml version "{version}" (only v2 exists)')
    if "name" in keys:
        doc.string(keys["name"], "name")  # the policy's BSR name; it changes no finding
    if doc.sequence(keys.get("plugins"), "plugins"):
        raise doc.error(keys["plugins"], "plugins are not supported: protokit cannot run Buf check plugins")
    base = path.parent
    no_comments = LintConfig(version="v2", allow_comment_ignores=False)
    lint = parse_lint(doc, keys.get("lint"), "lint", base, no_comments, flavour="policy")
    defaults = BreakingConfig(version="v2")
    breaking = parse_breaking(doc, keys.get("breaking"), "breaking", base, defaults, flavour="policy")
    if warnings is not None:
        warnings += doc.warnings
    return lint, breaking


def module_policies(
    doc: YamlFile, entries: tuple[PolicyEntry, ...], root: Path, roots: tuple[Path, ...]
) -> tuple[Policy, ...]:
    """The policies as applied to the module at ``root`` (one of the workspace's ``roots``).

    Ignore paths are import paths: resolved against the module root.  A path kept for a module
    is one that exists there; one that exists in no module is kept for the first module only, so
    that an ignore that silences nothing is reported once, not once per module.
    """
    policies = []
    for index, entry in enumerate(entries):
        where = f"policies[{index}]"
        ignore = _kept(doc, entry.ignore, f"{where}.ignore", root, roots)
        lint_only = _ignore_only(doc, entry, "lint", root, roots, where)
        breaking_only = _ignore_only(doc, entry, "breaking", root, roots, where)
        lint = _with_ignores(entry.lint, ignore, lint_only)
        breaking = _with_ignores(entry.breaking, ignore, breaking_only)
        errors = (_unknown(doc, entry, "lint"), _unknown(doc, entry, "breaking"))
        policies.append(Policy(entry.name, lint, breaking, *errors))
    return tuple(policies)


def _kept(
    doc: YamlFile, paths: tuple[tuple[str, Node], ...], where: str, root: Path, roots: tuple[Path, ...]
) -> tuple[Path, ...]:
    """The paths below ``root`` this module keeps (see :func:`module_policies`), each checked."""
    kept = []
    for text, node in paths:
        path = relative_path(doc, node, where, root)
        if path.exists() or (root == roots[0] and not any((other / text).exists() for other in roots)):
            kept.append(path)
    return tuple(dict.fromkeys(kept))


def _ignore_only(
    doc: YamlFile, entry: PolicyEntry, kind: RuleKind, root: Path, roots: tuple[Path, ...], where: str
) -> dict[str, tuple[Path, ...]]:
    """The entry's ignore_only keys known to ``kind``, with today's IDs, and their paths this module keeps."""
    only: dict[str, tuple[Path, ...]] = {}
    for rule, key, paths in entry.ignore_only:
        if rule not in known_names(kind, "v2"):
            continue
        kept = _kept(doc, paths, f"{where}.ignore_only.{rule}", root, roots)
        for current in doc.rule_id_keys(key, f"{where}.ignore_only", kind, "v2"):
            if kept:
                only[current] = tuple(dict.fromkeys(only.get(current, ()) + kept))
    return only


def _unknown(doc: YamlFile, entry: PolicyEntry, kind: RuleKind) -> str:
    """Buf's error when the entry's ignore_only names a rule of the other kind (it fails that command)."""
    for rule, key, _ in entry.ignore_only:
        if rule not in known_names(kind, "v2"):
            mark = key.start_mark
            return f'{doc.shown}:{mark.line + 1}:{mark.column + 1}: "{rule}" is not a known {kind} rule or category ID'
    return ""


def _with_ignores(config: C, ignore: tuple[Path, ...], only: dict[str, tuple[Path, ...]]) -> C:
    """``config`` with the entry's ignores (a policy file has none of its own)."""
    return replace(config, ignore=ignore, ignore_only=only)
