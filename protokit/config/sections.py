"""Parsers for the ``lint`` and ``breaking`` sections, shared by every configuration format."""

from __future__ import annotations

import os.path
from dataclasses import replace
from pathlib import Path
from typing import Any

from protokit.catalog import RuleKind
from protokit.config.model import BreakingConfig, LintConfig
from protokit.config.yamlread import Node, YamlFile

CHECK_KEYS = ("use", "except", "ignore", "ignore_only", "disable_builtin")
LINT_STRING_OPTIONS = ("enum_zero_value_suffix", "service_suffix")
LINT_BOOL_OPTIONS = (
    "rpc_allow_same_request_response",
    "rpc_allow_google_protobuf_empty_requests",
    "rpc_allow_google_protobuf_empty_responses",
)
_LINT_OPTIONS = LINT_STRING_OPTIONS + LINT_BOOL_OPTIONS
# The keys of a lint section in each kind of file, exactly as Buf's decoder accepts them:
# buf.yaml v1beta1/v1 know allow_comment_ignores only, v2 disallow_comment_ignores only, a
# buf.policy.yaml has no paths and no comment ignores; protokit.yaml takes either spelling.
LINT_KEYS = {
    "protokit": CHECK_KEYS + _LINT_OPTIONS + ("allow_comment_ignores", "disallow_comment_ignores"),
    "v1": CHECK_KEYS + _LINT_OPTIONS + ("allow_comment_ignores",),
    "v2": CHECK_KEYS + _LINT_OPTIONS + ("disallow_comment_ignores",),
    "policy": ("use", "except", "disable_builtin") + _LINT_OPTIONS,
}
BREAKING_KEYS = {
    "protokit": CHECK_KEYS + ("ignore_unstable_packages",),
    "policy": ("use", "except", "disable_builtin", "ignore_unstable_packages"),
}


def relative_path(doc: YamlFile, node: Node, where: str, base: Path) -> Path:
    """A path written relative to ``base``; absolute paths and escapes with ``..`` are errors."""
    text = doc.string(node, where)
    if not text or Path(text).is_absolute():
        raise doc.error(node, f'{where} must be a relative path, got "{text}"')
    resolved = Path(os.path.normpath(base / text))
    if resolved != base and base not in resolved.parents:
        raise doc.error(node, f'{where} "{text}" points outside {base.name or base}')
    return resolved


def _common(
    doc: YamlFile, keys: dict[str, Node], where: str, kind: RuleKind, base: Path, version: str
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "use" in keys:
        values["use"] = doc.rule_ids(keys["use"], f"{where}.use", kind, version)
        if not doc.strings(keys["use"], f"{where}.use"):  # an empty list selects the defaults, as in Buf
            values["use"] = None
    if "except" in keys:
        values["except_"] = doc.rule_ids(keys["except"], f"{where}.except", kind, version)
    if "disable_builtin" in keys:
        values["disable_builtin"] = doc.boolean(keys["disable_builtin"], f"{where}.disable_builtin")
    if "ignore" in keys:
        values["ignore"] = tuple(
            relative_path(doc, item, f"{where}.ignore", base)
            for _, item in doc.strings(keys["ignore"], f"{where}.ignore")
        )
    if "ignore_only" in keys:
        only: dict[str, tuple[Path, ...]] = {}
        for key_node, paths_node in doc.pairs(keys["ignore_only"], f"{where}.ignore_only"):
            name = doc.string(key_node, f"a key of {where}.ignore_only")
            paths = tuple(
                relative_path(doc, item, f"{where}.ignore_only.{name}", base)
                for _, item in doc.strings(paths_node, f"{where}.ignore_only.{name}")
            )
            for rule in doc.rule_id_keys(key_node, f"{where}.ignore_only", kind, version):
                only[rule] = tuple(dict.fromkeys(only.get(rule, ()) + paths))
        values["ignore_only"] = only
    return values


def parse_lint(
    doc: YamlFile, node: Node | None, where: str, base: Path, default: LintConfig, *, flavour: str = "protokit"
) -> LintConfig:
    """The ``lint`` section; keys not given keep the values of ``default``.

    ``flavour`` (a key of :data:`LINT_KEYS`) says which keys the file's format accepts.
    """
    keys = doc.mapping(node, where, LINT_KEYS[flavour])
    values = _common(doc, keys, where, "lint", base, default.version)
    for option in LINT_STRING_OPTIONS:
        if option in keys:
            values[option] = doc.string(keys[option], f"{where}.{option}")
    for option in LINT_BOOL_OPTIONS:
        if option in keys:
            values[option] = doc.boolean(keys[option], f"{where}.{option}")
    if "allow_comment_ignores" in keys:
        values["allow_comment_ignores"] = doc.boolean(keys["allow_comment_ignores"], f"{where}.allow_comment_ignores")
    if "disallow_comment_ignores" in keys:
        values["allow_comment_ignores"] = not doc.boolean(
            keys["disallow_comment_ignores"], f"{where}.disallow_comment_ignores"
        )
    return replace(default, **values)


def parse_breaking(
    doc: YamlFile, node: Node | None, where: str, base: Path, default: BreakingConfig, *, flavour: str = "protokit"
) -> BreakingConfig:
    """The ``breaking`` section; keys not given keep the values of ``default``.

    ``flavour`` is ``policy`` in a buf.policy.yaml (no paths), else ``protokit`` (every buf.yaml version too).
    """
    keys = doc.mapping(node, where, BREAKING_KEYS[flavour])
    values = _common(doc, keys, where, "breaking", base, default.version)
    if "ignore_unstable_packages" in keys:
        values["ignore_unstable_packages"] = doc.boolean(
            keys["ignore_unstable_packages"], f"{where}.ignore_unstable_packages"
        )
    return replace(default, **values)


GEN_KEYS = (
    "version",
    "tag",
    "stubs",
    "protoc",
    "distributions",
    "import_prefix",
    "python",
    "license",
    "authors",
    "urls",
    "dependencies",
)


def parse_gen(doc: YamlFile, node: Node | None) -> dict[str, Any]:
    """The ``gen`` section: ``version`` (X.Y.Z, ``git-tag``, ``git-tag:PATTERN``), ``distributions``
    (proto package -> distribution name), ``import_prefix``, ``python``, ``license``, ``authors``,
    ``urls``, extra ``dependencies`` and ``protoc`` (the grpcio-tools to generate with)."""
    keys = doc.mapping(node, "gen", GEN_KEYS)
    gen: dict[str, Any] = {}
    for name in ("version", "tag", "stubs", "protoc", "import_prefix", "python", "license"):
        if name in keys:
            gen[name] = doc.string(keys[name], f"gen.{name}")
    for name in ("authors", "dependencies"):
        if name in keys:
            gen[name] = [value for value, _ in doc.strings(keys[name], f"gen.{name}")]
    for name in ("distributions", "urls"):
        if name in keys:
            gen[name] = {
                doc.string(k, f"a key of gen.{name}"): doc.string(v, f"gen.{name}")
                for k, v in doc.pairs(keys[name], f"gen.{name}")
            }
    return gen
