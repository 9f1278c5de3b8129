"""Reading YAML with positions: every value keeps its line and column for error messages."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import TypeAlias

import yaml

from protokit.catalog import RuleKind, deprecated_categories, deprecated_category, known_names, rules
from protokit.diagnostics import Diagnostic, ProtokitError, display_path

Node: TypeAlias = yaml.Node


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean "x"?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.upper(), list(choices), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


class YamlFile:
    """One parsed YAML file and typed accessors that fail with ``file:line:column`` errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shown = display_path(path)
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtokitError(
                Diagnostic(self.shown, 1, 1, f"configuration is not valid UTF-8 ({exc.reason})", "CONFIG")
            ) from None
        except OSError as exc:
            raise ProtokitError(Diagnostic(self.shown, 0, 0, f"cannot read: {exc.strerror}", "CONFIG")) from None
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            problem = exc.problem or exc.context or "invalid YAML"
            raise ProtokitError(Diagnostic(self.shown, line, column, f"invalid YAML: {problem}", "CONFIG")) from None
        except yaml.YAMLError as exc:
            raise ProtokitError(Diagnostic(self.shown, 0, 0, f"invalid YAML: {exc}", "CONFIG")) from None
        self.root: Node | None = root
        self.warnings: list[Diagnostic] = []

    def error(self, node: Node | None, message: str) -> ProtokitError:
        """An error located at ``node``."""
        if node is None:
            return ProtokitError(Diagnostic(self.shown, 1, 1, message, "CONFIG"))
        mark = node.start_mark
        return ProtokitError(Diagnostic(self.shown, mark.line + 1, mark.column + 1, message, "CONFIG"))

    def pairs(self, node: Node | None, where: str) -> list[tuple[Node, Node]]:
        """The (key, value) node pairs of a mapping node (nothing for an empty value)."""
        if node is None or _is_null(node):
            return []
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{where} must be a mapping, got {_describe(node)}")
        return list(node.value)

    def mapping(self, node: Node | None, where: str, allowed: Iterable[str]) -> dict[str, Node]:
        """The keys of a mapping node; unknown or repeated keys are errors naming the closest valid key."""
        allowed = tuple(allowed)
        result: dict[str, Node] = {}
        for key_node, value_node in self.pairs(node, where):
            key = self.string(key_node, f"a key in {where}")
            if key not in allowed:
                raise self.error(key_node, f'unknown key "{key}" in {where}{did_you_mean(key, allowed)}')
            if key in result:
                raise self.error(key_node, f'key "{key}" appears twice in {where}')
            result[key] = value_node
        return result

    def string(self, node: Node, where: str) -> str:
        """A string scalar (numbers are refused: a key of the wrong type is an error)."""
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            raise self.error(node, f"{where} must be a string, got {_describe(node)}")
        return str(node.value)

    def boolean(self, node: Node, where: str) -> bool:
        """A boolean scalar."""
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
            raise self.error(node, f"{where} must be true or false, got {_describe(node)}")
        return str(node.value).lower() in ("true", "yes", "on")

    def strings(self, node: Node | None, where: str) -> list[tuple[str, Node]]:
        """A list of strings, each with its node (for later located errors); nothing when absent."""
        if node is None or _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, f"{where} must be a list of strings, got {_describe(node)}")
        return [(self.string(item, f"an entry of {where}"), item) for item in node.value]

    def sequence(self, node: Node | None, where: str) -> list[Node]:
        """The items of a list; nothing when absent."""
        if node is None or _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, f"{where} must be a list, got {_describe(node)}")
        return list(node.value)

    def rule_ids(self, node: Node, where: str, kind: RuleKind, version: str) -> tuple[str, ...]:
        """A list of rule IDs or categories known to ``version``; deprecated ones become their replacements."""
        ids: list[str] = []
        for value, item in self.strings(node, where):
            ids += self._current_names(item, value, where, kind, version)
        return tuple(dict.fromkeys(ids))

    def rule_id_keys(self, node: Node, where: str, kind: RuleKind, version: str) -> tuple[str, ...]:
        """A mapping key that must be a rule ID or category: the IDs it stands for today."""
        return self._current_names(node, self.string(node, where), where, kind, version)

    def _current_names(self, node: Node, value: str, where: str, kind: RuleKind, version: str) -> tuple[str, ...]:
        """``value`` checked against the catalog of ``version``; a deprecated name is replaced, with a warning."""
        valid = known_names(kind, version) + deprecated_categories(kind, version)
        if value not in valid:
            raise self.error(
                node,
                f'unknown {kind} rule or category "{value}" in {where}{did_you_mean(value, valid)}'
                + _other_version_hint(kind, version, value),
            )
        category = deprecated_category(kind, version, value)
        if category is not None:
            self.warn(node, f"category {value} is deprecated; it now means {category}: write {category} instead")
            return (category,)
        spec = rules(kind).get(value)
        if spec is not None and spec.status == "deprecated":
            if spec.replaced_by:
                self.warn(node, f"rule {value} is deprecated; it now means {', '.join(spec.replaced_by)}: "
                          "write that instead")  # fmt: skip
            else:
                self.warn(node, f"rule {value} is deprecated and checks nothing; remove it")
            return spec.replaced_by
        return (value,)

    def warn(self, node: Node, message: str) -> None:
        """Note a warning located at ``node`` (the configuration still loads)."""
        mark = node.start_mark
        self.warnings.append(Diagnostic(self.shown, mark.line + 1, mark.column + 1, message, "WARNING"))


def _other_version_hint(kind: RuleKind, version: str, value: str) -> str:
    """Where a name unknown to ``version`` exists in other versions, say so."""
    spec = rules(kind).get(value)
    if spec is None or not spec.versions:
        return ""
    return f" ({value} exists in configuration version {', '.join(spec.versions)}, not in {version})"


def _is_null(node: Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _describe(node: Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kind = node.tag.rsplit(":", 1)[-1]
    names = {"int": "a number", "float": "a number", "bool": "a boolean", "null": "nothing", "str": "a string"}
    if kind == "null":
        return "nothing"
    value = repr(node.value) if kind == "str" else node.value
    return f"{names.get(kind, kind)} ({value})"
