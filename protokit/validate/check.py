"""Checking one file's protovalidate rules as Buf's PROTOVALIDATE does: decode them, check every message,
field and predefined-rule extension, and locate each finding at the option sub-path it is about.

The file's descriptor and its transitive imports go into one pool with Buf's validate.proto (a module's
own copy of it is replaced by that one, as Buf decodes with its embedded copy), so rule messages decode
by field number and CEL sees the file's types and its imports'.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from google.protobuf import descriptor_pb2, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from protokit.validate.fields import CEL, CEL_EXPRESSION, FieldCheck, Finding, beyond_cel
from protokit.validate.gofmt import go_quote
from protokit.validate.schema import PREDEFINED_EXTENSION, RULES_EXTENSION, VALIDATE_PROTO, build_pool

# Source-path numbers: a message's fields, nested messages, extensions and options; a field's options;
# the file's messages and extensions.
_FIELD, _NESTED, _EXTENSION, _MESSAGE_OPTIONS = 2, 3, 6, 7
_FIELD_OPTIONS = 8
_FILE_MESSAGE, _FILE_EXTENSION = 4, 7
# MessageRules: cel, oneof, cel_expression.
_MESSAGE_CEL, _MESSAGE_ONEOF, _MESSAGE_CEL_EXPRESSION = 3, 4, 5


def uses_protovalidate(imported: set[str]) -> bool:
    """Whether a file can carry protovalidate options: validate.proto is among the files it imports,
    transitively (a public import re-exports it from there)."""
    return any(name == VALIDATE_PROTO or name.endswith("/" + VALIDATE_PROTO) for name in imported)


def check_file(proto: Any, closure: list[Any]) -> list[Finding]:
    """Buf's PROTOVALIDATE findings in a file as (source path, message); ``closure`` holds the
    ``FileDescriptorProto`` of every file it imports, transitively, dependencies first."""
    return _FileChecks(proto, closure).run()


def _renamed(files: list[Any]) -> list[Any]:
    """The files with any copy of validate.proto left out and imports of it renamed to Buf's name."""
    copies = {f.name for f in files if f.package == "buf.validate" and f.name.endswith("validate.proto")}
    kept = []
    for proto in files:
        if proto.name in copies:
            continue
        if copies & set(proto.dependency):
            proto = descriptor_pb2.FileDescriptorProto.FromString(proto.SerializeToString())
            proto.dependency[:] = [VALIDATE_PROTO if d in copies else d for d in proto.dependency]
        kept.append(proto)
    return kept


@dataclass
class _FileChecks:
    proto: Any
    closure: list[Any]
    found: list[Finding] = field(default_factory=list)
    pending: list[tuple[FieldCheck, Any]] = field(default_factory=list)  # levels whose examples wait

    @cached_property
    def pool(self) -> Any:
        return build_pool(_renamed([*self.closure, self.proto]))

    @cached_property
    def cel(self) -> Any:
        from protokit.validate.cel import CelEnvironments

        return CelEnvironments(self.pool)

    def decode(self, options: Any, owner: str, extension: str) -> Any:
        """The value of a protovalidate extension in an options message, or None when it is not set."""
        if not options.ByteSize():
            return None
        cls = message_factory.GetMessageClass(self.pool.FindMessageTypeByName(f"google.protobuf.{owner}"))
        decoded = cls.FromString(options.SerializeToString())
        handle = self.pool.FindExtensionByName(extension)
        return decoded.Extensions[handle] if decoded.HasExtension(handle) else None

    def run(self) -> list[Finding]:
        package = f"{self.proto.package}." if self.proto.package else ""
        for index, message in enumerate(self.proto.message_type):
            self.message(message, (_FILE_MESSAGE, index), package + message.name)
        for index, extension in enumerate(self.proto.extension):
            self.extension(extension, (_FILE_EXTENSION, index), package)
        return self.found

    def message(self, proto: Any, path: tuple[int, ...], full_name: str) -> None:
        descriptor = self.pool.FindMessageTypeByName(full_name)
        rules = self.decode(proto.options, "MessageOptions", "buf.validate.message")
        if rules is not None:
            self.add(path + (_MESSAGE_OPTIONS,), self.message_rules(descriptor, rules))
        for index, fld in enumerate(proto.field):
            self.field(descriptor.fields_by_name[fld.name], fld, path + (_FIELD, index))
        for index, extension in enumerate(proto.extension):
            self.extension(extension, path + (_EXTENSION, index), full_name + ".")
        for index, nested in enumerate(proto.nested_type):
            self.message(nested, path + (_NESTED, index), f"{full_name}.{nested.name}")

    def extension(self, proto: Any, path: tuple[int, ...], scope: str) -> None:
        descriptor = self.pool.FindExtensionByName(scope + proto.name)
        extendee = proto.extendee.lstrip(".")
        if extendee.startswith("buf.validate.") and extendee.endswith("Rules"):
            predefined = self.decode(proto.options, "FieldOptions", "buf.validate.predefined")
            if predefined is not None and len(predefined.cel):
                self.add(path + (_FIELD_OPTIONS,), self.predefined(descriptor, extendee, predefined))
        self.field(descriptor, proto, path)

    def field(self, descriptor: FieldDescriptor, proto: Any, path: tuple[int, ...]) -> None:
        rules = self.decode(proto.options, "FieldOptions", "buf.validate.field")
        if rules is None:
            return
        check = FieldCheck(descriptor, descriptor, (), True, self)
        self.pending = []
        found = list(self.level(check, rules))
        if not any(_refused(message) for _, message in found):  # protovalidate would not compile the rules
            for level, level_rules in self.pending:
                found += self.example_findings(level, level_rules)
        self.add(path + (_FIELD_OPTIONS,), iter(found))

    def add(self, options_path: tuple[int, ...], findings: Iterator[Finding]) -> None:
        self.found += [(options_path + sub, message) for sub, message in findings]

    # The hooks of FieldCheck: a whole level of rules (CEL included) and its examples.
    def level(self, check: FieldCheck, rules: Any) -> Iterator[Finding]:
        """Every check of one level of a field's rules."""
        yield from check.check_flags(rules)
        yield from self.field_cel(check, rules)
        yield from check.check_types(rules)

    def examples(self, check: FieldCheck, rules: Any) -> Iterator[Finding]:
        """A level whose example values are checked once all the field's levels are (see :meth:`field`)."""
        self.pending.append((check, rules))
        return iter(())

    def example_findings(self, check: FieldCheck, rules: Any) -> list[Finding]:
        """The findings about a level's example values (none when protovalidate-go, which Buf runs them with,
        would refuse the rules: a duration or timestamp in them beyond CEL's range)."""
        from protokit.validate.examples import example_findings

        if _invalid_times(rules):
            return []
        found = example_findings(self.pool, check.outer, rules, check.target)
        return [((RULES_EXTENSION, *check.base, *sub), message) for sub, message in found]

    def field_cel(self, check: FieldCheck, rules: Any) -> Iterator[Finding]:
        if not len(rules.cel) and not len(rules.cel_expression):
            return
        from protokit.validate.cel import field_type

        outer = check.outer
        this = field_type(check.field, element=check.target == "items")
        if check.target == "field":
            this = field_type(outer)
        quoted = go_quote(outer.name)
        variables = {"this": this, "now": "timestamp"}
        yield from self.cel_rules(
            rules, check.at(), check.name(CEL), check.name(CEL_EXPRESSION), (CEL, CEL_EXPRESSION),
            (f"field {quoted}", f"Field {quoted}"), variables,
        )  # fmt: skip

    def cel_rules(
        self,
        rules: Any,
        at: tuple[int, ...],
        cel_name: str,
        expression_name: str,
        numbers: tuple[int, int],
        parent: tuple[str, str],
        variables: dict[str, str],
    ) -> Iterator[Finding]:
        """The CEL findings of a rules message's ``cel`` and ``cel_expression`` entries (at ``at`` + number)."""
        from protokit.validate.cel import CelRule, CelScope

        entries = [CelRule(r.id, r.message, r.expression) for r in rules.cel]
        scope = CelScope(cel_name, cel_name + ".expression", *parent)
        for index, message in self.cel.check(entries, scope, variables):
            yield (*at, numbers[0], index), message
        plain = [CelRule("", "", text) for text in rules.cel_expression]
        scope = CelScope(expression_name, expression_name, *parent)
        for index, message in self.cel.check(plain, scope, variables):
            yield (*at, numbers[1], index), message

    def message_rules(self, descriptor: Descriptor, rules: Any) -> Iterator[Finding]:
        quoted = go_quote(descriptor.name)
        at = (RULES_EXTENSION,)
        names = {f.name for f in descriptor.fields}
        entries_of: dict[str, list[int]] = {}
        for index, oneof in enumerate(rules.oneof):
            if not len(oneof.fields):
                yield (
                    (*at, _MESSAGE_ONEOF, index),
                    f"Message {quoted} has a (buf.validate.message).oneof entry with no fields. "
                    "Each oneof entry must specify at least one field.",
                )
            seen: set[str] = set()
            for position, name in enumerate(oneof.fields):
                where = (*at, _MESSAGE_ONEOF, index, 1, position)
                if name in seen:
                    yield (
                        where,
                        f"Message {quoted} has a (buf.validate.message).oneof entry that references field "
                        f"{go_quote(name)} more than once. Duplicate field names are not permitted.",
                    )
                    continue
                seen.add(name)
                if name not in names:
                    yield (
                        where,
                        f"Message {quoted} has a (buf.validate.message).oneof entry that references field "
                        f"{go_quote(name)}, which is not defined in the message.",
                    )
                    continue
                entries_of.setdefault(name, []).append(index)
        for name, indexes in entries_of.items():
            if len(indexes) > 1:
                for index in indexes:
                    yield (
                        (*at, _MESSAGE_ONEOF, index),
                        f"Message {quoted} references field {go_quote(name)} in more than one "
                        "(buf.validate.message).oneof entry. A field may only appear in one oneof entry.",
                    )
        variables = {"this": descriptor.full_name, "now": "timestamp"}
        yield from self.cel_rules(
            rules, at, "(buf.validate.message).cel", "(buf.validate.message).cel_expression",
            (_MESSAGE_CEL, _MESSAGE_CEL_EXPRESSION), (f"message {quoted}", f"Message {quoted}"), variables,
        )  # fmt: skip

    def predefined(self, descriptor: FieldDescriptor, extendee: str, rules: Any) -> Iterator[Finding]:
        from protokit.validate.cel import CelRule, CelScope, field_type, predefined_this

        variables = {
            "this": predefined_this(extendee),
            "rules": extendee,
            "rule": field_type(descriptor),
            "now": "timestamp",
        }
        name = "(buf.validate.predefined).cel"
        scope = CelScope(name, name + ".expression", "extension field", "Extension field")
        entries = [CelRule(r.id, r.message, r.expression) for r in rules.cel]
        for index, message in self.cel.check(entries, scope, variables):
            yield (PREDEFINED_EXTENSION, 1, index), message


# The CEL findings that mean protovalidate cannot compile a field's rules (and so checks no example of it).
_REFUSED = (" fails to compile: ", ", only string and boolean are allowed.", " has an empty ")


def _refused(message: str) -> bool:
    """Whether a finding says that a CEL expression of the field does not compile to a usable rule."""
    return any(part in message for part in _REFUSED)


def _invalid_times(rules: Any) -> bool:
    """Whether duration or timestamp rules hold a value beyond what CEL can hold (protovalidate refuses them)."""
    kind = rules.WhichOneof("type")
    if kind not in ("duration", "timestamp"):
        return False
    typed = getattr(rules, kind)
    values = [value for f, value in typed.ListFields() if f.name in ("const", "lt", "lte", "gt", "gte")]
    values += [v for name in ("in", "not_in") if name in typed.DESCRIPTOR.fields_by_name for v in getattr(typed, name)]
    return any(beyond_cel(v, kind == "timestamp") for v in values)  # ``within`` saturates instead


def locate(locations: Any, options_path: tuple[int, ...], path: tuple[int, ...]) -> Any:
    """The location Buf reports a finding at: the path's own, else (in file order) the first location
    below it, else the longest one above it that includes the extension number; None when neither exists.

    ``options_path`` is the path of the options message the finding is about (its extension number follows).
    """
    best = None
    size = len(path)
    for location in locations:
        candidate = tuple(location.path)
        if candidate == path:
            return location
    for location in locations:
        candidate = tuple(location.path)
        if len(candidate) <= size and path[: len(candidate)] == candidate:
            if len(candidate) >= len(options_path) + 1 and (best is None or len(candidate) > len(best.path)):
                best = location
        elif candidate[:size] == path:
            return location
    return best


def options_path_of(path: tuple[int, ...]) -> tuple[int, ...]:
    """The options part of a finding path: everything before the protovalidate extension number."""
    for index, number in enumerate(path):
        if (
            number in (RULES_EXTENSION, PREDEFINED_EXTENSION)
            and index
            and path[index - 1]
            in (
                _FIELD_OPTIONS,
                _MESSAGE_OPTIONS,
            )
        ):
            return path[:index]
    return path
