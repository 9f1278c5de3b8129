"""CEL checks of the PROTOVALIDATE rule: Buf's ``checkCEL`` over cel-expr-python (cel-cpp).

Buf type-checks every ``cel``/``cel_expression`` entry with cel-go plus protovalidate-go's CEL library.
Here cel-cpp does the type-checking, in an environment with the same declarations (the ext strings
library, protovalidate's functions, cross-type numeric comparisons, bytes ``contains``/``startsWith``/
``endsWith``), and its issue texts are rewritten into cel-go's: cel-go type names (``null``,
``duration``, ``list(int)``, ``wrapper(int)``), member-call overload texts (``'string.(int)'``), the
first segment of an undeclared qualified name, select on a non-message, undefined fields, ``has()``, and
the known functions called with a wrong number of arguments. cel-go's compile-time validation of
``'<literal>'.format([<list literal>])`` calls is reimplemented.

Known differences from Buf (cel-go):

* issues inside macro expansions are rewritten only as probed: a non-bool ``all``/``exists`` predicate
  (cel-go's ``expected type 'bool' but found 'int'``) and the ``filter``/``map`` accumulator type; other
  macro-internal texts are cel-cpp's;
* a wrong-arity call of a known function whose receiver or arguments use comprehension variables, or
  whose receiver is neither an identifier chain, a number nor bracketed, keeps cel-cpp's
  ``undeclared reference`` text;
* format-call validation types each list element on its own, so elements that use comprehension
  variables are taken as ``dyn``; of a ``%s`` argument, list literals are checked element-wise but map
  literals are not;
* an output type that is a wrapper inside a list or map (``[this]`` with ``this`` an ``Int32Value``) is
  named without ``wrapper(…)``;
* issues cel-go reports that cel-cpp does not (or the reverse) beyond those above are not emulated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cel_expr_python import cel  # type: ignore[import-untyped]
from cel_expr_python.ext import ext_strings  # type: ignore[import-untyped]
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.descriptor_pool import DescriptorPool

from protokit.validate.gofmt import go_quote

__all__ = ["CelEnvironments", "CelRule", "CelScope", "field_type", "predefined_this"]


@dataclass(frozen=True)
class CelRule:
    """One ``cel`` entry (a ``buf.validate.Rule``); a ``cel_expression`` string is ``CelRule("", "", expr)``."""

    id: str
    message: str
    expression: str


@dataclass(frozen=True)
class CelScope:
    """Where a list of rules sits, as Buf names it in messages."""

    cel_name: str
    expression_field: str
    parent: str
    parent_title: str


# --- CEL types of fields (spec §3.1) -------------------------------------------------------------------

_SCALAR_TYPES = {
    FieldDescriptor.TYPE_DOUBLE: "double",
    FieldDescriptor.TYPE_FLOAT: "double",
    FieldDescriptor.TYPE_INT64: "int",
    FieldDescriptor.TYPE_INT32: "int",
    FieldDescriptor.TYPE_SINT32: "int",
    FieldDescriptor.TYPE_SINT64: "int",
    FieldDescriptor.TYPE_SFIXED32: "int",
    FieldDescriptor.TYPE_SFIXED64: "int",
    FieldDescriptor.TYPE_UINT64: "uint",
    FieldDescriptor.TYPE_UINT32: "uint",
    FieldDescriptor.TYPE_FIXED64: "uint",
    FieldDescriptor.TYPE_FIXED32: "uint",
    FieldDescriptor.TYPE_BOOL: "bool",
    FieldDescriptor.TYPE_STRING: "string",
    FieldDescriptor.TYPE_BYTES: "bytes",
}

_MESSAGE_TYPES = {
    "google.protobuf.Any": "any",
    "google.protobuf.Duration": "duration",
    "google.protobuf.Timestamp": "timestamp",
    "google.protobuf.Struct": "map(string, dyn)",
    "google.protobuf.Value": "dyn",
    "google.protobuf.ListValue": "list(dyn)",
    "google.protobuf.BoolValue": "wrapper(bool)",
    "google.protobuf.BytesValue": "wrapper(bytes)",
    "google.protobuf.DoubleValue": "wrapper(double)",
    "google.protobuf.FloatValue": "wrapper(double)",
    "google.protobuf.Int32Value": "wrapper(int)",
    "google.protobuf.Int64Value": "wrapper(int)",
    "google.protobuf.StringValue": "wrapper(string)",
    "google.protobuf.UInt32Value": "wrapper(uint)",
    "google.protobuf.UInt64Value": "wrapper(uint)",
}

# The wrapper message cel-cpp is given for a cel-go wrapper(T) variable.
_WRAPPER_MESSAGES = {
    "bool": "google.protobuf.BoolValue",
    "bytes": "google.protobuf.BytesValue",
    "double": "google.protobuf.DoubleValue",
    "int": "google.protobuf.Int64Value",
    "string": "google.protobuf.StringValue",
    "uint": "google.protobuf.UInt64Value",
}


def field_type(field: FieldDescriptor, *, element: bool = False) -> str:
    """The cel-go type Buf declares ``this`` with for ``field``: ``list(T)`` for a repeated field unless
    ``element``, ``map(K, V)`` for a map, wrappers as ``wrapper(T)``, enums as ``int``."""
    message: Descriptor | None = field.message_type
    if not element and message is not None and message.GetOptions().map_entry:
        return f"map({field_type(message.fields_by_number[1])}, {field_type(message.fields_by_number[2])})"
    if not element and field.is_repeated:
        return f"list({field_type(field, element=True)})"
    if message is not None:
        return _MESSAGE_TYPES.get(message.full_name, message.full_name)
    if field.enum_type is not None:
        return "null" if field.enum_type.full_name == "google.protobuf.NullValue" else "int"
    return _SCALAR_TYPES[field.type]


_PREDEFINED_THIS = {
    "Float": "double",
    "Double": "double",
    "Int32": "int",
    "Int64": "int",
    "SInt32": "int",
    "SInt64": "int",
    "SFixed32": "int",
    "SFixed64": "int",
    "Enum": "int",
    "UInt32": "uint",
    "UInt64": "uint",
    "Fixed32": "uint",
    "Fixed64": "uint",
    "Bool": "bool",
    "String": "string",
    "Bytes": "bytes",
    "Repeated": "list(dyn)",
    "Map": "map(dyn, dyn)",
    "Duration": "duration",
    "Timestamp": "timestamp",
    "FieldMask": "google.protobuf.FieldMask",
    "Any": "any",
}


def predefined_this(rules_message: str) -> str:
    """``this`` of a predefined rule extending ``rules_message`` (``buf.validate.StringRules`` -> ``string``)."""
    kind = rules_message.removeprefix("buf.validate.").removesuffix("Rules")
    return _PREDEFINED_THIS.get(kind, "dyn")


# --- cel-go type names <-> cel-cpp types ---------------------------------------------------------------

_SIMPLE_TYPES = {
    "bool": cel.Type.BOOL,
    "int": cel.Type.INT,
    "uint": cel.Type.UINT,
    "double": cel.Type.DOUBLE,
    "string": cel.Type.STRING,
    "bytes": cel.Type.BYTES,
    "duration": cel.Type.DURATION,
    "timestamp": cel.Type.TIMESTAMP,
    "null": cel.Type.NULL,
    "dyn": cel.Type.DYN,
    "any": cel.Type.DYN,  # cel-cpp cannot declare google.protobuf.Any; any output is accepted alike
}


def _split_top(text: str, opening: str = "(<[{", closing: str = ")>]}") -> list[str]:
    """``text`` split at commas outside brackets, each part stripped."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in opening:
            depth += 1
        elif char in closing:
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def _cel_type(name: str) -> cel.Type:
    """The cel-cpp type for a cel-go type name."""
    match = re.fullmatch(r"(list|map|wrapper)\((.*)\)", name)
    if match is None:
        return _SIMPLE_TYPES.get(name) or cel.Type(name)
    kind, args = match.group(1), _split_top(match.group(2))
    if kind == "list":
        return cel.Type.List(_cel_type(args[0]))
    if kind == "map":
        return cel.Type.Map(_cel_type(args[0]), _cel_type(args[1]))
    return cel.Type(_WRAPPER_MESSAGES[args[0]])


_CPP_SIMPLE_NAMES = {
    "BOOL": "bool",
    "INT": "int",
    "UINT": "uint",
    "DOUBLE": "double",
    "STRING": "string",
    "BYTES": "bytes",
    "NULL": "null",
    "DURATION": "duration",
    "TIMESTAMP": "timestamp",
    "DYN": "dyn",
    "ERROR": "!error!",
    "ANY": "any",
    "google.protobuf.Duration": "duration",
    "google.protobuf.Timestamp": "timestamp",
}


def _go_type_name(cpp_name: str) -> str:
    """cel-go's name of a cel-cpp return type name (``LIST<INT>`` -> ``list(int)``)."""
    name = cpp_name.strip()
    match = re.fullmatch(r"(LIST|MAP|TYPE)<(.*)>", name)
    if match is None:
        return _CPP_SIMPLE_NAMES.get(name, name)
    args = ", ".join(_go_type_name(arg) for arg in _split_top(match.group(2), "<", ">"))
    return f"{match.group(1).lower()}({args})"


# --- the environment ------------------------------------------------------------------------------------


def _overload(overload_id: str, result: cel.Type, params: list[cel.Type], *, member: bool = True) -> cel.Overload:
    return cel.Overload(id=overload_id, return_type=result, parameters=params, is_member=member)


def _protovalidate_functions() -> list[cel.FunctionDecl]:
    """protovalidate-go's functions and the bytes overloads it adds to the string functions."""
    t = cel.Type
    s, b, i, d, by = t.STRING, t.BOOL, t.INT, t.DOUBLE, t.BYTES
    uniques = [("bool", b), ("int", i), ("uint", t.UINT), ("double", d), ("string", s), ("bytes", by)]
    return [
        cel.FunctionDecl("isNan", [_overload("double_is_nan_bool", b, [d])]),
        cel.FunctionDecl(
            "isInf", [_overload("double_is_inf_bool", b, [d]), _overload("double_int_is_inf_bool", b, [d, i])]
        ),
        cel.FunctionDecl("isHostname", [_overload("string_is_hostname_bool", b, [s])]),
        cel.FunctionDecl("isEmail", [_overload("string_is_email_bool", b, [s])]),
        cel.FunctionDecl(
            "isIp", [_overload("string_is_ip_bool", b, [s]), _overload("string_int_is_ip_bool", b, [s, i])]
        ),
        cel.FunctionDecl(
            "isIpPrefix",
            [
                _overload("string_is_ip_prefix_bool", b, [s]),
                _overload("string_int_is_ip_prefix_bool", b, [s, i]),
                _overload("string_bool_is_ip_prefix_bool", b, [s, b]),
                _overload("string_int_bool_is_ip_prefix_bool", b, [s, i, b]),
            ],
        ),
        cel.FunctionDecl("isUri", [_overload("string_is_uri_bool", b, [s])]),
        cel.FunctionDecl("isUriRef", [_overload("string_is_uri_ref_bool", b, [s])]),
        cel.FunctionDecl("isHostAndPort", [_overload("string_bool_is_host_and_port_bool", b, [s, b])]),
        cel.FunctionDecl("unique", [_overload(f"list_{n}_unique_bool", b, [t.List(e)]) for n, e in uniques]),
        cel.FunctionDecl("getField", [_overload("get_field_any_string", t.DYN, [t.DYN, s], member=False)]),
        cel.FunctionDecl("contains", [_overload("contains_bytes", b, [by, by])]),
        cel.FunctionDecl("startsWith", [_overload("starts_with_bytes", b, [by, by])]),
        cel.FunctionDecl("endsWith", [_overload("ends_with_bytes", b, [by, by])]),
    ]


def _cross_type_comparisons() -> list[cel.FunctionDecl]:
    """cel-go's ``CrossTypeNumericComparisons``: ``< <= > >=`` between int, uint and double."""
    t = cel.Type
    kinds = [(t.INT, "int64"), (t.UINT, "uint64"), (t.DOUBLE, "double")]
    pairs = [(a, b) for a in kinds for b in kinds if a[1] != b[1]]
    operators = (("_<_", "less"), ("_<=_", "less_equals"), ("_>_", "greater"), ("_>=_", "greater_equals"))
    return [
        cel.FunctionDecl(
            op, [_overload(f"{name}_{an}_{bn}", t.BOOL, [a, b], member=False) for (a, an), (b, bn) in pairs]
        )
        for op, name in operators
    ]


# Functions cel-go knows, whose wrong-arity calls it reports as overload mismatches (cel-cpp: undeclared).
_KNOWN_FUNCTIONS = frozenset(
    "size contains startsWith endsWith matches int uint double string bytes bool duration timestamp dyn type "
    "getFullYear getMonth getDayOfYear getDayOfMonth getDate getDayOfWeek getHours getMinutes getSeconds "
    "getMilliseconds charAt indexOf lastIndexOf lowerAscii upperAscii replace split substring trim join "
    "reverse format quote isNan isInf isHostname isEmail isIp isIpPrefix isUri isUriRef isHostAndPort unique "
    "getField".split()
)


class CelEnvironments:
    """CEL environments over one descriptor pool (the checked file, its transitive imports, the WKTs and
    validate.proto), made once per distinct variable set and reused."""

    def __init__(self, pool: DescriptorPool) -> None:
        self._pool = pool
        self._envs: dict[tuple[tuple[str, str], ...], cel.Env] = {}

    def _env(self, variables: dict[str, str]) -> cel.Env:
        key = tuple(sorted(variables.items()))
        env = self._envs.get(key)
        if env is None:
            declared = {name: _cel_type(type_name) for name, type_name in key}
            extension = cel.CelExtension("buf.protovalidate", _protovalidate_functions() + _cross_type_comparisons())
            env = cel.NewEnv(self._pool, variables=declared, extensions=[ext_strings.ExtStrings(), extension])
            self._envs[key] = env
        return env

    def check(self, rules: list[CelRule], scope: CelScope, variables: dict[str, str]) -> list[tuple[int, str]]:
        """Buf's findings for ``rules`` as (index of the rule entry, message): invalid id characters,
        empty expressions, each compile issue, a result type other than bool/string, a string result
        with a message, and ids that are not unique (at each entry)."""
        env = self._env(variables)
        findings: list[tuple[int, str]] = []
        for index, rule in enumerate(rules):
            findings.extend((index, message) for message in _check_rule(env, rule, scope))
        findings.extend(_duplicate_ids(rules, scope))
        return findings


# --- checkCEL (spec §3.2) -------------------------------------------------------------------------------

_ID_RE = re.compile(r"[A-Za-z0-9_.\-]*")
# Go's unicode.IsSpace, which strings.TrimSpace trims.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
_ACCEPTED_BOOL = frozenset({"bool", "dyn", "any", "wrapper(bool)", "!error!"})
_ACCEPTED_STRING = frozenset({"string", "wrapper(string)"})


def _check_rule(env: cel.Env, rule: CelRule, scope: CelScope) -> list[str]:
    """The findings of one entry, deduplicated, in Buf's order."""
    found: list[str] = []
    if rule.id and not _ID_RE.fullmatch(rule.id):
        found.append(
            f"{scope.parent_title} has invalid characters for {scope.cel_name}.id. "
            "IDs must contain only characters a-z, A-Z, 0-9, '.', '_', '-'."
        )
    if not rule.expression.strip(_GO_SPACE):
        found.append(
            f"{scope.parent_title} has an empty {scope.expression_field}. Expressions should always be specified."
        )
        return found
    output, issues = _compile(env, rule.expression)
    prefix = f"{scope.expression_field} on {scope.parent}"
    found.extend(dict.fromkeys(f"{prefix} fails to compile: {issue}" for issue in issues))
    if output is None or output in _ACCEPTED_BOOL:
        return found
    if output in _ACCEPTED_STRING:
        if rule.message:
            found.append(
                f"{scope.parent_title} has a {scope.cel_name} with an expression that evaluates to a string, "
                "and also has a message. The message is redundant - since the expression evaluates to a "
                "string, its result will be printed instead of the message, so the message should be removed."
            )
        return found
    found.append(f"{prefix} evaluates to a {output}, only string and boolean are allowed.")
    return found


def _duplicate_ids(rules: list[CelRule], scope: CelScope) -> list[tuple[int, str]]:
    """``… is not unique within …`` at every entry whose non-empty id another entry shares."""
    counts: dict[str, int] = {}
    for rule in rules:
        if rule.id:
            counts[rule.id] = counts.get(rule.id, 0) + 1
    return [
        (index, f"{scope.cel_name}.id ({go_quote(rule.id)}) is not unique within {scope.parent}.")
        for index, rule in enumerate(rules)
        if rule.id and counts[rule.id] > 1
    ]


def _compile(env: cel.Env, expression: str) -> tuple[str | None, list[str]]:
    """(cel-go name of the output type, or None when it does not compile; cel-go's issue texts)."""
    try:
        output = _go_type_name(env.compile(expression).return_type().name())
    except RuntimeError as error:
        issues = [_go_issue(env, expression, issue) for issue in _cpp_issues(str(error), expression)]
        return None, [text for text in issues if text]
    format_issues = _format_issues(env, expression)
    if format_issues:
        return None, format_issues
    if output in ("int", "uint", "double", "bytes") and _compiles(env, f"({expression}) == null"):
        output = f"wrapper({output})"  # cel-cpp drops the wrapper-ness of a result
    return output, []


def _compiles(env: cel.Env, expression: str) -> bool:
    try:
        env.compile(expression)
    except RuntimeError:
        return False
    return True


def _type_of(env: cel.Env, expression: str) -> str | None:
    """cel-go's name of the type of ``expression`` on its own, or None when it does not compile."""
    try:
        return _go_type_name(env.compile(expression).return_type().name())
    except RuntimeError:
        return None


# --- cel-cpp issue texts -> cel-go's ---------------------------------------------------------------------

_ISSUE_RE = re.compile(r"ERROR: <input>:(\d+):(\d+): (.*?)(?=\n \| |\nERROR: <input>:| \[[A-Z_]+\]$|\Z)", re.S)


@dataclass(frozen=True)
class _Issue:
    offset: int  # index into the expression of cel-cpp's location
    text: str


def _cpp_issues(error: str, expression: str) -> list[_Issue]:
    """The issues of a cel-cpp compile error, with their offsets into ``expression``."""
    lines = expression.split("\n")
    issues = []
    for match in _ISSUE_RE.finditer(error):
        line, column = int(match.group(1)), int(match.group(2))
        offset = sum(len(text) + 1 for text in lines[: line - 1]) + column - 1
        issues.append(_Issue(offset, match.group(3).removeprefix("Syntax error: ")))
    return issues


_OVERLOAD_RE = re.compile(r"found no matching overload for '([^']*)' applied to '\((.*)\)'", re.S)
_UNDECLARED_RE = re.compile(r"undeclared reference to '([^']*)' \(in container '([^']*)'\)")
_SELECT_RE = re.compile(r"expression of type '(.*)' cannot be the operand of a select operation")
_TYPE_NAME_RE = re.compile(r"\bnull_type\b|\bgoogle\.protobuf\.(?:Duration|Timestamp)\b|\*error\*")
_TYPE_NAMES = {
    "null_type": "null",
    "google.protobuf.Duration": "duration",
    "google.protobuf.Timestamp": "timestamp",
    "*error*": "!error!",
}


def _go_types(text: str) -> str:
    """cel-cpp type names inside an issue text, as cel-go prints them."""
    return _TYPE_NAME_RE.sub(lambda match: _TYPE_NAMES[match.group(0)], text)


def _go_issue(env: cel.Env, expression: str, issue: _Issue) -> str:
    """cel-go's text for one cel-cpp issue ("" for one cel-go does not report: a selection on what already
    failed to type-check)."""
    text = issue.text
    if match := _OVERLOAD_RE.fullmatch(text):
        function, args = match.group(1), _split_top(_go_types(match.group(2)))
        if function in ("_&&_", "_||_") and _macro_call(expression, issue.offset) in ("all", "exists"):
            return f"expected type 'bool' but found '{args[1]}'"  # the predicate of all()/exists()
        if function == "_?_:_" and _macro_call(expression, issue.offset) in ("filter", "map"):
            args[2] = args[1]  # cel-cpp names the empty accumulator's type parameter (list(T%1))
        member = not function.startswith("_") and _member_call(expression, issue.offset)
        return _overload_text(function, args if args != [""] else [], member)
    if match := _UNDECLARED_RE.fullmatch(text):
        return _undeclared_text(env, expression, issue.offset, match.group(1), match.group(2))
    if match := _SELECT_RE.fullmatch(text):
        selected = _go_types(match.group(1))
        if selected == "type(!error!)":
            return _undeclared(_qualified_name_before(expression, issue.offset).split(".")[0], "")
        if selected == "!error!":
            return ""
        return f"type '{selected}' does not support field selection"
    if text == "has() argument must be a field selection":
        return "invalid argument to has() macro"
    text = text.replace("cannot be the range of a comprehension", "cannot be range of a comprehension")
    return _go_types(re.sub(r" not found in struct '[^']*'$", "", text))


def _undeclared(name: str, container: str) -> str:
    return f"undeclared reference to '{name}' (in container '{container}')"


def _overload_text(function: str, args: list[str], member: bool) -> str:
    rendered = f"{args[0]}.({', '.join(args[1:])})" if member and args else f"({', '.join(args)})"
    return f"found no matching overload for '{function}' applied to '{rendered}'"


def _member_call(expression: str, paren: int) -> bool:
    """Whether the call whose ``(`` is at ``paren`` is ``receiver.name(…)``."""
    before = expression[:paren].rstrip()
    match = re.search(r"\.\s*[A-Za-z_][A-Za-z0-9_]*$", before)
    return match is not None


def _macro_call(expression: str, paren: int) -> str | None:
    """The name of the macro whose ``(`` is at ``paren`` (``receiver.all(``), or None."""
    match = re.search(r"\.\s*(all|exists|exists_one|map|filter)\s*$", expression[:paren])
    return match.group(1) if match and expression[paren : paren + 1] == "(" else None


def _qualified_name_before(expression: str, offset: int) -> str:
    """The dotted name that ends just before ``offset``."""
    match = re.search(r"\.?[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*\s*$", expression[:offset])
    return re.sub(r"\s", "", match.group(0)).lstrip(".") if match else ""


def _undeclared_text(env: cel.Env, expression: str, offset: int, name: str, container: str) -> str:
    """cel-go's text for cel-cpp's ``undeclared reference``: the first segment of a qualified name, or an
    overload mismatch for a known function called with the wrong number of arguments."""
    if name in _KNOWN_FUNCTIONS and expression[offset : offset + 1] == "(":
        args = _call_argument_types(env, expression, offset)
        if args is not None:
            return _overload_text(name, args, _member_call(expression, offset))
    segments = [re.escape(segment) for segment in name.split(".")]
    if re.match(r"\.?" + r"\s*\.\s*".join(segments) + r"\s*\{", expression[offset:]):
        return _undeclared(name, container)  # a message creation names the whole type
    return _undeclared(name.split(".")[0], container)


def _call_argument_types(env: cel.Env, expression: str, paren: int) -> list[str] | None:
    """The types of the receiver (for a member call) and arguments of the call at ``paren``, or None."""
    close = _matching(expression, paren)
    if close is None:
        return None
    inner = expression[paren + 1 : close].strip()
    texts = _split_top(inner) if inner else []
    if _member_call(expression, paren):
        receiver = _receiver(expression, paren)
        if receiver is None:
            return None
        texts.insert(0, receiver)
    types = [_type_of(env, text) for text in texts]
    return None if None in types else [t for t in types if t is not None]


def _matching(expression: str, start: int) -> int | None:
    """The index of the bracket closing the one at ``start`` (string literals not considered)."""
    depth = 0
    for i in range(start, len(expression)):
        depth += (expression[i] in "([{") - (expression[i] in ")]}")
        if depth == 0:
            return i
    return None


def _receiver(expression: str, paren: int) -> str | None:
    """The receiver text of ``receiver.name(`` when it is an identifier chain, a number or bracketed."""
    before = expression[:paren].rstrip()
    dot = re.search(r"\.\s*[A-Za-z_][A-Za-z0-9_]*$", before)
    if dot is None:
        return None
    head = before[: dot.start()].rstrip()
    if head.endswith((")", "]")):
        opening = _matching_backward(head, len(head) - 1)
        return None if opening is None else head[opening:]
    operand = r"(?:[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?u?)(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*$"
    match = re.search(operand, head)
    return match.group(0) if match else None


def _matching_backward(expression: str, end: int) -> int | None:
    """The index of the bracket opening the one at ``end`` (string literals not considered)."""
    depth = 0
    for i in range(end, -1, -1):
        depth += (expression[i] in ")]}") - (expression[i] in "([{")
        if depth == 0:
            return i
    return None


# --- cel-go's validation of format calls (ext strings, StringsValidateFormatCalls) -----------------------

_STRING_LITERAL = re.compile(r"""(?<![A-Za-z0-9_])(?P<raw>[rR]?)(?P<q>'''|\"\"\"|'|")""")


@dataclass(frozen=True)
class _FormatCall:
    template: str
    args: list[str]


def _format_calls(expression: str) -> list[_FormatCall]:
    """The ``'<literal>'.format([<elements>])`` calls of ``expression``."""
    calls: list[_FormatCall] = []
    pos = 0
    while (match := _STRING_LITERAL.search(expression, pos)) is not None:
        end = _literal_end(expression, match.end(), match.group("q"), raw=bool(match.group("raw")))
        if end is None:
            return calls
        pos = end
        call = re.compile(r"\s*\.\s*format\s*\(\s*\[").match(expression, end)
        if call is None:
            continue
        close = _matching(expression, call.end() - 1)
        if close is None or not re.match(r"\s*\)", expression[close + 1 :]):
            continue
        inner = expression[call.end() : close].strip()
        body = expression[match.end() : end - len(match.group("q"))]
        template = body if match.group("raw") else _unescape(body)
        calls.append(_FormatCall(template, _split_top(inner) if inner else []))
    return calls


def _literal_end(expression: str, start: int, quote: str, *, raw: bool) -> int | None:
    """The index just past the string literal whose body starts at ``start``."""
    i = start
    while i < len(expression):
        if expression.startswith(quote, i):
            return i + len(quote)
        i += 2 if expression[i] == "\\" and not raw else 1
    return None


_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _unescape(body: str) -> str:
    """The value of a (non-raw) CEL string literal body."""

    def replace(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape[0] in "xuU":
            return chr(int(escape[1:], 16))
        if escape[0].isdigit():
            return chr(int(escape, 8))
        return _SIMPLE_ESCAPES.get(escape, escape)

    return re.sub(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{3}|.)", replace, body, flags=re.S)


# clause -> (accepted cel-go type kinds, message before ", was given X")
_CLAUSES = {
    "s": (
        {"list", "map", "int", "uint", "double", "bool", "string", "timestamp", "bytes", "duration", "type", "null"},
        "string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, "
        "and timestamps",
    ),
    "d": ({"int", "uint", "double"}, "decimal clause can only be used on ints, uints, and doubles"),
    "f": ({"int", "uint", "double"}, "fixed-point clause can only be used on ints, uints, and doubles"),
    "e": ({"int", "uint", "double"}, "scientific clause can only be used on ints, uints, and doubles"),
    "x": ({"int", "uint", "bytes", "string"}, "only ints, uints, bytes, and strings can be formatted as hex"),
    "X": ({"int", "uint", "bytes", "string"}, "only ints, uints, bytes, and strings can be formatted as hex"),
    "o": ({"int", "uint"}, "octal clause can only be used on ints and uints"),
    "b": ({"int", "uint", "bool"}, "only ints, uints, and bools can be formatted as binary"),
}
_MAX_PRECISION = 100


def _format_issues(env: cel.Env, expression: str) -> list[str]:
    """cel-go's compile-time issues for the format calls of ``expression`` (one per bad call)."""
    issues = []
    for call in _format_calls(expression):
        issue = _format_issue(env, call)
        if issue:
            issues.append(issue)
    return issues


def _format_issue(env: cel.Env, call: _FormatCall) -> str | None:
    """The first issue of one format call, or None."""
    template, used, i = call.template, 0, 0
    while i < len(template):
        if template[i] != "%":
            i += 1
            continue
        if template.startswith("%%", i):
            i += 2
            continue
        clause, i, error = _parse_clause(template, i + 1)
        if error:
            return error
        if used >= len(call.args):
            return f"index {used} out of range"
        kind_error = _clause_type_error(env, clause, call.args[used])
        if kind_error:
            return f"error during formatting: {kind_error}"
        used += 1
    if len(call.args) > used:
        return f"too many arguments supplied to string.format (expected {used}, got {len(call.args)})"
    return None


def _parse_clause(template: str, i: int) -> tuple[str, int, str | None]:
    """(clause letter, index after it, parse error) for the clause after a ``%`` at ``i - 1``."""
    if i < len(template) and template[i] == ".":
        digits = re.match(r"\d*", template[i + 1 :])
        text = digits.group(0) if digits else ""
        prefix = "could not parse formatting clause: error while parsing precision: "
        if not text:
            return (
                "",
                i,
                f'{prefix}error while converting precision to integer: strconv.Atoi: parsing "": invalid syntax',
            )
        if int(text) > _MAX_PRECISION:
            return "", i, f"{prefix}precision {int(text)} exceeds maximum allowed precision {_MAX_PRECISION}"
        i += 1 + len(text)
    if i >= len(template):
        return "", i, "unexpected end of string"
    clause = template[i]
    if clause not in _CLAUSES:
        return clause, i + 1, f"could not parse formatting clause: unrecognized formatting clause {go_quote(clause)}"
    return clause, i + 1, None


def _clause_type_error(env: cel.Env, clause: str, arg: str) -> str | None:
    """The text of a clause used on an argument of a type it does not take, or None."""
    arg_type = _type_of(env, arg)
    if arg_type is None or arg_type == "dyn":
        return None
    if clause == "s" and arg.startswith("[") and _matching(arg, 0) == len(arg) - 1:
        for element in _split_top(arg[1:-1]) if arg[1:-1].strip() else []:
            element_error = _clause_type_error(env, clause, element)
            if element_error:
                return element_error  # cel-go checks the elements of a list literal too
    kinds, text = _CLAUSES[clause]
    kind = arg_type.split("(")[0]
    given = kind if kind in ("list", "map") else arg_type  # cel-go names a list or map by its kind alone
    return None if kind in kinds else f"{text}, was given {given}"
