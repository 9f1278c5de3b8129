"""What the breaking rules share: descriptor field numbers, how fields are described, resolved features."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from google.protobuf import descriptor_pb2, empty_pb2
from google.protobuf.internal import wire_format
from google.protobuf.unknown_fields import UnknownFieldSet

from protokit.index.elements import MESSAGE_FIELD, MESSAGE_NESTED, Element, FileView, Span

FDP = descriptor_pb2.FieldDescriptorProto
FEATURES = descriptor_pb2.FeatureSet
SCALARS = {value: name.removeprefix("TYPE_").lower() for name, value in FDP.Type.items()}

# Source-info path parts (field numbers in descriptor.proto).
FIELD_TYPE, FIELD_TYPE_NAME, FIELD_DEFAULT, FIELD_OPTIONS = 5, 6, 7, 8
MESSAGE_OPTIONS, ENUM_OPTIONS, FILE_OPTIONS = 7, 3, 8
MESSAGE_FEATURES, ENUM_FEATURES, FIELD_FEATURES = 12, 7, 21
FEATURE_ENUM_TYPE, FEATURE_UTF8_VALIDATION, FEATURE_JSON_FORMAT = 2, 4, 6
FIELD_JSON_NAME, FILE_JAVA_STRING_CHECK_UTF8 = 10, 27

# Feature values of files without editions (proto2 and proto3), and the defaults of edition 2023.
_LEGACY_FEATURES = {
    "proto2": {"field_presence": FEATURES.EXPLICIT, "enum_type": FEATURES.CLOSED,
               "utf8_validation": FEATURES.NONE, "json_format": FEATURES.LEGACY_BEST_EFFORT,
               "message_encoding": FEATURES.LENGTH_PREFIXED},
    "proto3": {"field_presence": FEATURES.IMPLICIT, "enum_type": FEATURES.OPEN,
               "utf8_validation": FEATURES.VERIFY, "json_format": FEATURES.ALLOW,
               "message_encoding": FEATURES.LENGTH_PREFIXED},
}  # fmt: skip
_EDITION_DEFAULTS = {"field_presence": FEATURES.EXPLICIT, "enum_type": FEATURES.OPEN,
                     "utf8_validation": FEATURES.VERIFY, "json_format": FEATURES.ALLOW,
                     "message_encoding": FEATURES.LENGTH_PREFIXED}  # fmt: skip


class MapEntryPart(Element):
    """A synthetic map entry message, or its key or value field: located at the map field's ``map<K, V>``."""

    __slots__ = ("at",)

    def __init__(self, kind: str, proto: Any, file: FileView, path: tuple[int, ...], parent: Element, at: Span) -> None:
        super().__init__(kind, proto, file, path, parent.full_name, parent)
        self.at = at

    def span(self, *sub: int) -> Span:
        """The map field's type, whatever part is asked for: the source has no entry (as Buf does)."""
        return self.at

    def fixed_span(self) -> Span | None:
        """The map field's type (the entry has no location of its own)."""
        return self.at


def walk(file: FileView, kind: str) -> Iterator[Element]:
    """A file's elements of ``kind``, with map entries among messages and their key and value among fields.

    Buf checks map entries like nested messages; the lint view of a file leaves them out.
    """
    yield from file.walk(kind)
    if kind in ("message", "field"):
        key = f"breaking:map_entry_{kind}"
        if key not in file.elements:
            _index_map_entries(file)
        yield from file.elements[key]


def _index_map_entries(file: FileView) -> None:
    entries: list[Element] = []
    fields: list[Element] = []
    for message in file.walk("message"):
        for i, nested in enumerate(message.proto.nested_type):
            if not nested.options.map_entry:
                continue
            type_name = f".{message.full_name}.{nested.name}"
            map_field = next((j for j, f in enumerate(message.proto.field) if f.type_name == type_name), None)
            at = (
                file.span(message.path + (MESSAGE_FIELD, map_field, FIELD_TYPE_NAME))
                if map_field is not None
                else (message.span())
            )
            entry = MapEntryPart("message", nested, file, message.path + (MESSAGE_NESTED, i), message, at)
            entries.append(entry)
            for j, item in enumerate(nested.field):
                fields.append(MapEntryPart("field", item, file, entry.path + (MESSAGE_FIELD, j), entry, at))
    file.elements["breaking:map_entry_message"] = entries
    file.elements["breaking:map_entry_field"] = fields


def in_map_entry(field: Element) -> bool:
    """Whether a field is the key or value of a map entry."""
    return field.parent is not None and bool(field.parent.proto.options.map_entry)


def feature(element: Element, name: str) -> int:
    """The resolved value of feature ``name`` for an element: its own, its parents', its file's or the default."""
    file = element.file.proto
    if file.syntax != "editions":
        return _LEGACY_FEATURES.get(file.syntax, _LEGACY_FEATURES["proto2"])[name]
    node: Element | None = element
    while node is not None:
        value = getattr(node.proto.options.features, name)
        if value:
            return int(value)
        node = node.parent
    return int(getattr(file.options.features, name)) or _EDITION_DEFAULTS[name]


# Language features are extensions of FeatureSet that this protobuf runtime does not ship: read as unknown fields.
CPP_FEATURES, CPP_STRING_TYPE = 1000, 2  # (pb.cpp).string_type: VIEW = 1, CORD = 2, STRING = 3
JAVA_FEATURES, JAVA_UTF8_VALIDATION = 1001, 2  # (pb.java).utf8_validation: DEFAULT = 1, VERIFY = 2


def _unknown_fields(message: Any) -> list[Any]:
    """The fields of a message that its descriptor does not know (number, wire type, data)."""
    fields = UnknownFieldSet(message)
    return [fields[i] for i in range(len(fields))]


def _language_feature_set(features: Any, extension: int, number: int) -> int:
    """The value of varint field ``number`` in the language features ``extension`` of a FeatureSet (0: not set).

    The runtime does not know these extensions, so protobuf keeps them as unknown fields.
    """
    value = 0
    for outer in _unknown_fields(features):
        if outer.field_number == extension and outer.wire_type == wire_format.WIRETYPE_LENGTH_DELIMITED:
            for inner in _unknown_fields(empty_pb2.Empty.FromString(outer.data)):
                if inner.field_number == number and inner.wire_type == wire_format.WIRETYPE_VARINT:
                    value = inner.data
    return value


def language_feature(element: Element, extension: int, number: int, default: int) -> int:
    """The resolved value of a language feature (``(pb.cpp)``, ``(pb.java)``): own, parents', file's, or default."""
    node: Element | None = element
    while node is not None:
        value = _language_feature_set(node.proto.options.features, extension, number)
        if value:
            return value
        node = node.parent
    return _language_feature_set(element.file.proto.options.features, extension, number) or default


def kind(field: Element) -> int:
    """The field's type, with editions' delimited-encoded messages counted as groups (they are on the wire)."""
    proto = field.proto
    if proto.type == FDP.TYPE_MESSAGE and feature(field, "message_encoding") == FEATURES.DELIMITED:
        return FDP.TYPE_GROUP
    return int(proto.type)


def type_name(field: Element) -> str:
    """The field's type as a person writes it: a scalar name or the full name of a message or enum."""
    if field.proto.type_name:
        return str(field.proto.type_name).lstrip(".")
    return SCALARS[field.proto.type]


def describe(field: Element) -> str:
    """``Field "3" with name "email" on message "acme.users.v1.User"`` (extensions by full name and extendee)."""
    proto = field.proto
    if proto.extendee:
        return f'Extension "{proto.number}" with name "{field.full_name}" on message "{proto.extendee.lstrip(".")}"'
    return f'Field "{proto.number}" with name "{field.name}" on message "{field.scope}"'


def is_map(field: Element) -> bool:
    """Whether a field is a map (a repeated field of its message's synthetic map-entry type)."""
    proto, parent = field.proto, field.parent
    if proto.label != FDP.LABEL_REPEATED or proto.type != FDP.TYPE_MESSAGE or parent is None:
        return False
    entry = proto.type_name.lstrip(".")
    return any(n.options.map_entry and f"{parent.full_name}.{n.name}" == entry for n in parent.proto.nested_type)


def cardinality(field: Element) -> str:
    """``repeated``, ``map``, ``required``, or ``optional`` with explicit or implicit presence, as Buf words them."""
    proto = field.proto
    if proto.label == FDP.LABEL_REPEATED:
        return "map" if is_map(field) else "repeated"
    presence = feature(field, "field_presence")
    if proto.label == FDP.LABEL_REQUIRED or presence == FEATURES.LEGACY_REQUIRED:
        return "required"
    explicit = (
        presence == FEATURES.EXPLICIT
        or proto.proto3_optional
        or proto.HasField("oneof_index")
        or proto.type in (FDP.TYPE_MESSAGE, FDP.TYPE_GROUP)
        or bool(proto.extendee)
    )
    return "optional with explicit presence" if explicit else "optional with implicit presence"


def option_span(element: Element, options: int, *path: int) -> tuple[int, int, int, int]:
    """Where an option of an element is set, or the element itself when the option is not written."""
    span = element.span(options, *path)
    return span if element.file.locations.get(element.path + (options, *path)) is not None else element.span()


def kept_parent(element: Element, new: FileView) -> Element | None:
    """The nearest enclosing message of a deleted element that the new file still has, by its name inside the
    package (as Buf looks it up: a file whose package changed still has ``Pet`` for a deleted ``Pet.Kind``)."""
    messages = {_nested_name(m): m for m in walk(new, "message")}
    node = element.parent
    while node is not None:
        if node.kind == "message" and _nested_name(node) in messages:
            return messages[_nested_name(node)]
        node = node.parent
    return None


def _nested_name(element: Element) -> str:
    """An element's name inside its package: ``Pet.Kind`` for ``acme.pets.v1.Pet.Kind``."""
    package = element.file.package
    return element.full_name[len(package) + 1 :] if package else element.full_name


def synthetic_oneofs(message: Any) -> set[int]:
    """Indexes of the oneofs proto3 makes for ``optional`` fields (not written by the user)."""
    return {f.oneof_index for f in message.field if f.proto3_optional}


def enum_name(wrapper: Any, value: int) -> str:
    """The name of ``value`` in a generated enum type (``FeatureSet.Utf8Validation``, ...)."""
    return str(wrapper.Name(value))
