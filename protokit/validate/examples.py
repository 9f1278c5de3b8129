"""Buf's checks of the ``example`` values in a field's protovalidate rules (Buf's ``checkExampleValues``).

Each example value is put into a message that holds only the field and is validated with the protovalidate
runtime; every violation of the field's own rules is a finding. Buf validates the field's containing message
with a filter that keeps only this field; here the field is copied, with its options and its file's syntax
and features, into a scratch message of a scratch pool, so that broken rules elsewhere in the containing
message (which make protovalidate-py reject the whole message) and message-level rules play no part.

Known differences from Buf 1.75.0:

* Duration, Timestamp and FieldMask examples print as Go's pointer to their internal state, whose address
  changes from run to run in Buf; :data:`GO_MESSAGE_POINTER` stands in for it.
* protovalidate-py reports CEL type errors when it evaluates an expression, as ``EvaluationError``; Buf skips
  a field's examples when its rules fail to compile. Both errors skip the rest of the field's examples here,
  so an ill-typed branch that no example reaches goes unnoticed (Buf would skip all the field's examples).
* An undefined number cannot be set on a closed enum field in Python (Go's dynamicpb can), so such an
  example yields no finding here.
* Buf panics on examples of extension fields, of enum or wrapper ``repeated.items`` and of enum or wrapper
  ``map.values``; these are validated here as the other fields are.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import FieldDescriptor

from protokit.validate.fields import (
    BOOL,
    BYTES,
    DOUBLE,
    DURATION,
    FIELD_MASK,
    FLOAT,
    STRING,
    TIMESTAMP,
    Finding,
)
from protokit.validate.gofmt import go_bytes, go_float, go_quote
from protokit.validate.schema import VALIDATE_PROTO

# Go's %v of a Duration, Timestamp or FieldMask example (a pointer to its internal state), address masked.
GO_MESSAGE_POINTER = "&{{} [] [] 0x0}"
_WRAPPERS = frozenset(
    f"google.protobuf.{name}Value"
    for name in ("Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes")
)
_FORMATS: dict[int, Callable[[Any], str]] = {
    FLOAT: lambda value: go_float(value, 32),
    DOUBLE: lambda value: go_float(value, 64),
    BOOL: lambda value: "true" if value else "false",
    STRING: str,
    BYTES: go_bytes,
    DURATION: lambda _: GO_MESSAGE_POINTER,
    TIMESTAMP: lambda _: GO_MESSAGE_POINTER,
    FIELD_MASK: lambda _: GO_MESSAGE_POINTER,
}
_names = itertools.count()


def example_findings(pool: Any, field: FieldDescriptor, rules: Any, target: str) -> list[Finding]:
    """Buf's findings about the ``example`` values of one level of a field's rules.

    ``field`` (from ``pool``) is the field whose ``(buf.validate.field)`` is checked; ``rules`` the decoded
    ``buf.validate.FieldRules`` at this level: the field's own (``target`` ``"field"``), or its
    ``repeated.items``, ``map.keys`` or ``map.values`` (``"items"``, ``"keys"``, ``"values"``); its type
    rules are assumed to fit the field. Returns (path inside ``rules``, message) per finding, e.g.
    ``((14, 34, 0), '"ab" is an example value but does not satisfy rule "string.min_len": ...')``.
    """
    kind = rules.WhichOneof("type")
    if kind is None:
        return []
    typed = getattr(rules, kind)
    example = typed.DESCRIPTOR.fields_by_name.get("example")
    if example is None or not len(typed.example) or not _has_rules(rules, typed):
        return []
    number = rules.DESCRIPTOR.fields_by_name[kind].number
    isolated = _scratch_pools(pool).isolate(field)
    findings: list[Finding] = []
    for index, value in enumerate(typed.example):
        violations = isolated.violations(value, target)
        if violations is None:  # this field's rules do not compile
            break
        shown = _FORMATS.get(number, str)(value)
        findings += [
            ((number, example.number, index), f'"{shown}" is an example value but does not satisfy rule {rule}')
            for rule in violations
        ]
    return findings


def _has_rules(rules: Any, typed: Any) -> bool:
    """Whether a level has rules to check examples against: ``cel`` entries (``cel_expression`` does not
    count) or any other field of the type rules, predefined-rule extensions included."""
    return len(rules.cel) > 0 or any(f.name != "example" for f, _ in typed.ListFields())


@dataclass
class _Isolated:
    """A message class holding only a copy of one field (with its options), and that copy."""

    cls: Any
    field: Any

    def violations(self, value: Any, target: str) -> list[str] | None:
        """``rule_id: message`` (rule id Go-quoted) of each of the field's violations by a message holding
        the example value, or None when the field's rules do not compile."""
        import protovalidate

        message = self.cls()
        try:
            self._set(message, value, target)
        except ValueError:  # a closed enum cannot hold an undefined number here (Go's dynamicpb can)
            return []
        try:
            found = _validator().collect_violations(message)
        except (protovalidate.CompilationError, protovalidate.EvaluationError):
            return None
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001 (a panic of the Rust runtime is a BaseException): no finding, no crash
            return None
        return [f"{go_quote(v.proto.rule_id)}: {v.proto.message}" for v in found if self._owns(v.proto, target)]

    def _set(self, message: Any, value: Any, target: str) -> None:
        """Sets the field of ``message`` as Buf does for an example at ``target``."""
        name = self.field.name
        if target == "items":
            container = getattr(message, name)
            if self.field.message_type is not None:
                _assign(container.add(), value)
            else:
                container.append(value)
        elif target in ("keys", "values"):
            entry = self.field.message_type
            key_field, value_field = entry.fields_by_name["key"], entry.fields_by_name["value"]
            key = value if target == "keys" else key_field.default_value
            container = getattr(message, name)
            if value_field.message_type is None:
                container[key] = value if target == "values" else value_field.default_value
            elif target == "values":
                _assign(container[key], value)
            else:
                container.get_or_create(key)
        elif self.field.message_type is not None:
            _assign(getattr(message, name), value)
        else:
            setattr(message, name, value)

    def _owns(self, violation: Any, target: str) -> bool:
        """Whether a violation is about the field at ``target`` (Buf's filter)."""
        elements = list(violation.field.elements)
        if len(elements) != 1 or elements[0].field_number != self.field.number:
            return False
        subscript = elements[0].subscript
        if target == "field":
            return subscript is None
        if subscript is None:
            return False
        if target == "items":
            return bool(subscript.field == "index")
        return subscript.field != "index" and bool(violation.for_key) == (target == "keys")


def _assign(message: Any, value: Any) -> None:
    """Sets a message field to an example: a wrapper's ``value``, or the example message itself."""
    if message.DESCRIPTOR.full_name in _WRAPPERS:
        message.value = value
    else:
        message.MergeFromString(value.SerializeToString())


@cache
def _validator() -> Any:
    """One protovalidate validator for all scratch messages (it caches their compiled rules by type)."""
    import protovalidate

    return protovalidate.Validator()


@dataclass
class _ScratchPool:
    """A pool with copies of the files fields come from, and a scratch file per isolated field."""

    pool: Any = dataclass_field(default_factory=descriptor_pool.DescriptorPool)
    files: dict[str, descriptor_pb2.FileDescriptorProto] = dataclass_field(default_factory=dict)
    isolated: dict[str, _Isolated] = dataclass_field(default_factory=dict)

    def isolate(self, field: Any) -> _Isolated:
        """The isolated copy of ``field`` (made once per field)."""
        if field.full_name not in self.isolated:
            self._add_closure(field.file)
            name = f"ProtokitExample{next(_names)}"
            scratch = _scratch_file(field, self.files[field.file.name], name)
            self.pool.Add(scratch)
            descriptor = self.pool.FindMessageTypeByName(_qualified(scratch.package, name))
            cls = message_factory.GetMessageClass(descriptor)
            self.isolated[field.full_name] = _Isolated(cls, descriptor.fields_by_name[field.name])
        return self.isolated[field.full_name]

    def _add_closure(self, file: Any) -> None:
        """Adds ``file`` and the files it imports, transitively, dependencies first."""
        if file.name in self.files:
            return
        for dependency in file.dependencies:
            self._add_closure(dependency)
        proto = descriptor_pb2.FileDescriptorProto()
        file.CopyToProto(proto)
        self.pool.Add(proto)
        self.files[file.name] = proto


_last_scratch: tuple[Any, _ScratchPool] | None = None


def _scratch_pools(pool: Any) -> _ScratchPool:
    """The scratch pool of ``pool``'s fields (the last pool's is kept: fields come one pool at a time)."""
    global _last_scratch
    if _last_scratch is None or _last_scratch[0] is not pool:
        _last_scratch = (pool, _ScratchPool())
    return _last_scratch[1]


def _scratch_file(
    field: Any, file: descriptor_pb2.FileDescriptorProto, name: str
) -> descriptor_pb2.FileDescriptorProto:
    """A file in ``field``'s package, with its file's syntax and features, whose one message ``name`` holds
    a copy of the field (and of its map entry)."""
    scratch = descriptor_pb2.FileDescriptorProto(
        name=f"protokit/examples/{name}.proto",
        package=file.package,
        dependency=sorted({file.name, VALIDATE_PROTO, *file.dependency}),
    )
    if file.syntax:
        scratch.syntax = file.syntax
    if file.HasField("edition"):
        scratch.edition = file.edition
    if file.options.HasField("features"):
        scratch.options.features.CopyFrom(file.options.features)
    message = scratch.message_type.add(name=name)
    copy = message.field.add()
    copy.CopyFrom(_field_proto(field, file))
    copy.ClearField("extendee")  # an extension is validated as a field of the scratch message
    if field.containing_oneof is not None:
        copy.oneof_index = 0
        message.oneof_decl.add(name=field.containing_oneof.name)
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        entry = message.nested_type.add()
        field.message_type.CopyToProto(entry)
        copy.type_name = f".{_qualified(scratch.package, name)}.{entry.name}"
    return scratch


def _field_proto(field: Any, file: descriptor_pb2.FileDescriptorProto) -> descriptor_pb2.FieldDescriptorProto:
    """The ``FieldDescriptorProto`` of a field or extension of ``file``."""
    scope = field.extension_scope if field.is_extension else field.containing_type
    if scope is None:
        protos: Any = file.extension
    else:
        message = descriptor_pb2.DescriptorProto()
        scope.CopyToProto(message)
        protos = message.extension if field.is_extension else message.field
    return next(p for p in protos if p.name == field.name)


def _qualified(package: str, name: str) -> str:
    return f"{package}.{name}" if package else name
