"""Associated source paths: where a comment may be attached for a finding at a given source path.

A port of Buf's ``private/pkg/protosourcepath`` (``GetAssociatedSourcePaths``), which Buf uses to
decide whether a ``// buf:lint:ignore RULE_ID`` comment silences a finding: the leading comments of
every associated path of the finding's source path are searched for the ignore comment.

A source path is a ``SourceCodeInfo.Location`` path: field numbers of ``descriptor.proto``
interleaved with indices into repeated fields, from the ``FileDescriptorProto`` down to one element.
For ``(4, 0, 2, 0, 1)`` (``.message_type[0].field[0].name``):

- the **parent paths** are the complete declarations that contain the element, outermost first:
  the message ``(4, 0)`` and the field ``(4, 0, 2, 0)``; a complete declaration runs from its
  keyword, label or name to its opening brace or semicolon;
- the **child paths** (only with ``exclude_children=False``) are the parts of those declarations
  that are not complete declarations themselves: the message name ``(4, 0, 1)`` and the field's
  name, number, label, type and type name.

Buf only ever asks for parent paths (``exclude_children=True``); the option exists, as in Go, for
the tests.  A few paths that are not declarations are returned as they are, because a comment can
precede them in the source: an option statement (the full path, e.g. ``(4, 0, 7, 11)``), a
``reserved``/``extensions`` statement (``(4, 0, 9)``, ``(4, 0, 5)``) and its elements, a file-level
or nested ``extend`` block (``(7,)``, ``(4, 0, 6)``) and a proto2 default value.

The Go code is a deterministic finite automaton: each state reads one token of the path, yields
the associated paths found so far and returns the state for the next token, or ``None`` when the
path must end there.  It is ported one function per Go state, under the same names.  The result
is exactly Go's, in the same order, duplicates included; where Go returns an error this module
raises :class:`ValueError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

SourcePath = tuple[int, ...]

# FileDescriptorProto
FILE_PACKAGE = 2
FILE_DEPENDENCY = 3
FILE_MESSAGE_TYPE = 4
FILE_ENUM_TYPE = 5
FILE_SERVICE = 6
FILE_EXTENSION = 7
FILE_OPTIONS = 8
FILE_SYNTAX = 12
FILE_EDITION = 14

# DescriptorProto (a message)
MESSAGE_NAME = 1
MESSAGE_FIELD = 2
MESSAGE_NESTED_TYPE = 3
MESSAGE_ENUM_TYPE = 4
MESSAGE_EXTENSION_RANGE = 5
MESSAGE_EXTENSION = 6
MESSAGE_OPTIONS = 7
MESSAGE_ONEOF_DECL = 8
MESSAGE_RESERVED_RANGE = 9
MESSAGE_RESERVED_NAME = 10

# DescriptorProto.ExtensionRange
EXTENSION_RANGE_START = 1
EXTENSION_RANGE_END = 2
EXTENSION_RANGE_OPTIONS = 3

# DescriptorProto.ReservedRange and EnumDescriptorProto.EnumReservedRange
RESERVED_RANGE_START = 1
RESERVED_RANGE_END = 2

# OneofDescriptorProto
ONEOF_NAME = 1
ONEOF_OPTIONS = 2

# FieldDescriptorProto (a field or an extension)
FIELD_NAME = 1
FIELD_EXTENDEE = 2
FIELD_NUMBER = 3
FIELD_LABEL = 4
FIELD_TYPE = 5
FIELD_TYPE_NAME = 6
FIELD_DEFAULT_VALUE = 7
FIELD_OPTIONS = 8

# EnumDescriptorProto
ENUM_NAME = 1
ENUM_VALUE = 2
ENUM_OPTIONS = 3
ENUM_RESERVED_RANGE = 4
ENUM_RESERVED_NAME = 5

# EnumValueDescriptorProto
ENUM_VALUE_NAME = 1
ENUM_VALUE_NUMBER = 2
ENUM_VALUE_OPTIONS = 3

# ServiceDescriptorProto
SERVICE_NAME = 1
SERVICE_METHOD = 2
SERVICE_OPTIONS = 3

# MethodDescriptorProto
METHOD_NAME = 1
METHOD_INPUT_TYPE = 2
METHOD_OUTPUT_TYPE = 3
METHOD_OPTIONS = 4
METHOD_CLIENT_STREAMING = 5
METHOD_SERVER_STREAMING = 6

# Tokens that end a path without adding anything: attributes of a declaration already added.
_TERMINAL_RESERVED_RANGE_TOKENS = frozenset({RESERVED_RANGE_START, RESERVED_RANGE_END})
_TERMINAL_EXTENSION_RANGE_TOKENS = frozenset({EXTENSION_RANGE_START, EXTENSION_RANGE_END})
_TERMINAL_ONEOF_TOKENS = frozenset({ONEOF_NAME})
_TERMINAL_FIELD_TOKENS = frozenset({FIELD_NAME, FIELD_NUMBER, FIELD_LABEL, FIELD_TYPE, FIELD_TYPE_NAME, FIELD_EXTENDEE})
_TERMINAL_ENUM_VALUE_TOKENS = frozenset({ENUM_VALUE_NAME, ENUM_VALUE_NUMBER})
_TERMINAL_METHOD_TOKENS = frozenset(
    {METHOD_NAME, METHOD_INPUT_TYPE, METHOD_OUTPUT_TYPE, METHOD_CLIENT_STREAMING, METHOD_SERVER_STREAMING}
)

# The child paths of each declaration, in Go's order (used when children are not excluded).
_MESSAGE_CHILDREN = (MESSAGE_NAME,)
_ONEOF_CHILDREN = (ONEOF_NAME,)
_EXTENSION_RANGE_CHILDREN = (EXTENSION_RANGE_START, EXTENSION_RANGE_END)
_RESERVED_RANGE_CHILDREN = (RESERVED_RANGE_START, RESERVED_RANGE_END)
_FIELD_CHILDREN = (FIELD_NAME, FIELD_NUMBER, FIELD_LABEL, FIELD_TYPE, FIELD_TYPE_NAME)
_EXTENSION_CHILDREN = (*_FIELD_CHILDREN, FIELD_EXTENDEE)
_ENUM_CHILDREN = (ENUM_NAME,)
_ENUM_VALUE_CHILDREN = (ENUM_VALUE_NAME, ENUM_VALUE_NUMBER)
_SERVICE_CHILDREN = (SERVICE_NAME,)
_METHOD_CHILDREN = (
    METHOD_NAME,
    METHOD_INPUT_TYPE,
    METHOD_OUTPUT_TYPE,
    METHOD_CLIENT_STREAMING,
    METHOD_SERVER_STREAMING,
)


class _State(Protocol):
    """One state of the automaton: reads ``path[index]`` and returns the next state and the paths found."""

    def __call__(self, token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step: ...


# What a state returns: the state for the next token (``None``: the path must end here) and the paths found.
_Step = tuple[_State | None, list[SourcePath]]


def associated_paths(path: tuple[int, ...], *, exclude_children: bool = True) -> list[tuple[int, ...]]:
    """The source paths associated with ``path``, as Buf's ``GetAssociatedSourcePaths`` returns them.

    Parent declarations come first, outermost first, then the declaration itself; a path into an
    option, a ``reserved`` or ``extensions`` statement or an ``extend`` block also yields that
    statement's path (the full path for an option).  With ``exclude_children=False`` each
    declaration is followed by its child paths (name, number...).  The empty path has none.

    Raises :class:`ValueError` for a path that is not a valid source path (an unknown field
    number, a repeated field without an index, or elements after an attribute that has none).
    """
    path = tuple(path)
    result: list[SourcePath] = []
    state: _State | None = _start
    for index, token in enumerate(path):
        if state is None:
            # A terminal state was reached before the end of the path.
            raise _invalid(path, "unexpected termination, invalid source path")
        state, found = state(token, path, index, exclude_children)
        result.extend(found)
    return result


# *** helpers ***


def _invalid(path: SourcePath, reason: str) -> ValueError:
    return ValueError(f"{reason}: {list(path)}")


def _current(path: SourcePath, index: int) -> SourcePath:
    """The path up to ``index``, inclusive."""
    return path[: index + 1]


def _child(path: SourcePath, index: int, tag: int) -> SourcePath:
    """The path up to ``index``, inclusive, followed by ``tag``."""
    return (*path[: index + 1], tag)


def _declaration(path: SourcePath, index: int, exclude_children: bool, children: Sequence[int]) -> list[SourcePath]:
    """The declaration ending at ``index`` (its index), followed by its child paths unless excluded."""
    found = [_current(path, index)]
    if not exclude_children:
        found.extend(_child(path, index, tag) for tag in children)
    return found


def _require_index(path: SourcePath, index: int, what: str) -> None:
    """Repeated declarations need an index after their field number."""
    if len(path) < index + 2:
        raise _invalid(path, f"cannot have {what} declaration without index")


# *** file (protosourcepath.go) ***


def _start(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The first element of the path: a field of ``FileDescriptorProto``."""
    if token in (FILE_PACKAGE, FILE_SYNTAX, FILE_EDITION):
        return None, [_current(path, index)]
    if token == FILE_DEPENDENCY:
        _require_index(path, index, "dependency")
        return _dependencies, []
    if token == FILE_MESSAGE_TYPE:
        _require_index(path, index, "message")
        return _messages, []
    if token == FILE_ENUM_TYPE:
        _require_index(path, index, "enum")
        return _enums, []
    if token == FILE_SERVICE:
        _require_index(path, index, "service")
        return _services, []
    if token == FILE_OPTIONS:
        return _options, [path]
    if token == FILE_EXTENSION:
        return _extensions, [_current(path, index)]
    raise _invalid(path, "invalid source path")


def _dependencies(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of an import: the import statement, the end of the path."""
    return None, [_current(path, index)]


def _options(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """Anything inside an option: the full path was already added when the options field was read."""
    if len(path) == index + 1:
        return None, []
    return _options, []


def _reserved_ranges(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of a reserved range (of a message or an enum)."""
    return _reserved_range, _declaration(path, index, exclude_children, _RESERVED_RANGE_CHILDREN)


def _reserved_range(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """A field of a reserved range: its start or end, the end of the path."""
    if token not in _TERMINAL_RESERVED_RANGE_TOKENS:
        raise _invalid(path, "invalid reserved range path")
    return None, []


def _reserved_names(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of a reserved name, the end of the path."""
    return None, [_current(path, index)]


# *** messages (message.go) ***


def _messages(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of a message (top-level or nested)."""
    found = _declaration(path, index, exclude_children, _MESSAGE_CHILDREN)
    if len(path) == index + 1:
        return None, found
    return _message, found


def _message(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """A field of ``DescriptorProto``."""
    if token == MESSAGE_NAME:
        return None, []
    if token == MESSAGE_FIELD:
        _require_index(path, index, "field")
        return _fields, []
    if token == MESSAGE_ONEOF_DECL:
        _require_index(path, index, "oneof")
        return _oneofs, []
    if token == MESSAGE_NESTED_TYPE:
        _require_index(path, index, "a nested message")
        return _messages, []
    if token == MESSAGE_ENUM_TYPE:
        _require_index(path, index, "a nested enum")
        return _enums, []
    if token == MESSAGE_OPTIONS:
        return _options, [path]
    if token == MESSAGE_EXTENSION_RANGE:
        return _extension_ranges, [_current(path, index)]
    if token == MESSAGE_EXTENSION:
        return _extensions, [_current(path, index)]
    if token == MESSAGE_RESERVED_RANGE:
        return _reserved_ranges, [_current(path, index)]
    if token == MESSAGE_RESERVED_NAME:
        return _reserved_names, [_current(path, index)]
    raise _invalid(path, "invalid message path")


def _oneofs(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of a oneof."""
    return _oneof, _declaration(path, index, exclude_children, _ONEOF_CHILDREN)


def _oneof(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """A field of ``OneofDescriptorProto``."""
    if token in _TERMINAL_ONEOF_TOKENS:
        return None, []
    if token == ONEOF_OPTIONS:
        return _options, [path]
    raise _invalid(path, "invalid one of path")


def _extension_ranges(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of an extension range."""
    found = _declaration(path, index, exclude_children, _EXTENSION_RANGE_CHILDREN)
    if len(path) == index + 1:
        return None, found
    return _extension_range, found


def _extension_range(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """A field of ``DescriptorProto.ExtensionRange``."""
    if token in _TERMINAL_EXTENSION_RANGE_TOKENS:
        return None, []
    if token == EXTENSION_RANGE_OPTIONS:
        return _options, [path]
    raise _invalid(path, "invalid extension range path")


# *** fields and extensions (field.go) ***


def _fields(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of a field."""
    found = _declaration(path, index, exclude_children, _FIELD_CHILDREN)
    if len(path) == index + 1:
        return None, found
    return _field, found


def _field(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """A field of ``FieldDescriptorProto``: options and the (proto2) default value add a path."""
    if token in _TERMINAL_FIELD_TOKENS:
        return None, []
    if token == FIELD_OPTIONS:
        return _options, [path]
    if token == FIELD_DEFAULT_VALUE:
        return None, [_current(path, index)]
    raise _invalid(path, "invalid field path")


def _extensions(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of an extension: a field whose child paths include the extendee."""
    found = _declaration(path, index, exclude_children, _EXTENSION_CHILDREN)
    if len(path) == index + 1:
        return None, found
    return _field, found


# *** enums (enum.go, enumvalue.go) ***


def _enums(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of an enum (top-level or nested)."""
    found = _declaration(path, index, exclude_children, _ENUM_CHILDREN)
    if len(path) == index + 1:
        return None, found
    return _enum, found


def _enum(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """A field of ``EnumDescriptorProto``."""
    if token == ENUM_NAME:
        return None, []
    if token == ENUM_VALUE:
        _require_index(path, index, "enum value")
        return _enum_values, []
    if token == ENUM_OPTIONS:
        return _options, [path]
    if token == ENUM_RESERVED_RANGE:
        return _reserved_ranges, [_current(path, index)]
    if token == ENUM_RESERVED_NAME:
        return _reserved_names, [_current(path, index)]
    raise _invalid(path, "invalid enum path")


def _enum_values(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of an enum value."""
    found = _declaration(path, index, exclude_children, _ENUM_VALUE_CHILDREN)
    if len(path) == index + 1:
        return None, found
    return _enum_value, found


def _enum_value(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """A field of ``EnumValueDescriptorProto``."""
    if token in _TERMINAL_ENUM_VALUE_TOKENS:
        return None, []
    if token == ENUM_VALUE_OPTIONS:
        return _options, [path]
    raise _invalid(path, "invalid enum value path")


# *** services (service.go, method.go) ***


def _services(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of a service.

    Go tests ``len(path) == +1`` here (a typo for ``index + 1``) which never holds, since a service
    path has at least two elements; so the next state is always ``service``, which makes no
    difference: at the end of the path the next state is not used.
    """
    return _service, _declaration(path, index, exclude_children, _SERVICE_CHILDREN)


def _service(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """A field of ``ServiceDescriptorProto``."""
    if token == SERVICE_NAME:
        return None, []
    if token == SERVICE_METHOD:
        _require_index(path, index, "method")
        return _methods, []
    if token == SERVICE_OPTIONS:
        return _options, [path]
    raise _invalid(path, "invalid service path")


def _methods(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """The index of a method."""
    found = _declaration(path, index, exclude_children, _METHOD_CHILDREN)
    if len(path) == index + 1:
        return None, found
    return _method, found


def _method(token: int, path: SourcePath, index: int, exclude_children: bool) -> _Step:
    """A field of ``MethodDescriptorProto``."""
    if token in _TERMINAL_METHOD_TOKENS:
        return None, []
    if token == METHOD_OPTIONS:
        return _options, [path]
    raise _invalid(path, "invalid method path")
