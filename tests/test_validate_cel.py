"""The CEL checks of PROTOVALIDATE (``protokit.validate.cel``) against Buf's texts.

``TABLE`` holds expressions with the issues Buf 1.75.0 reported for them (probes linted with buf, each
expression in a ``cel_expression`` on a field whose CEL type is the first column); the differential test
lints more expressions with the buf binary, when installed, and compares every CEL finding.
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from pathlib import Path

import grpc_tools
import pytest
from conftest import REPO, find_buf, write_tree
from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.descriptor_pool import DescriptorPool
from grpc_tools import protoc

from protokit.validate.cel import CelEnvironments, CelRule, CelScope, field_type, predefined_this
from protokit.validate.schema import build_pool

VALIDATE_SOURCE = REPO / "protokit/validate/proto/buf/validate/validate.proto"
WKT_INCLUDE = Path(grpc_tools.__file__).parent / "_proto"
WKT_IMPORTS = "".join(
    f'import "google/protobuf/{name}.proto";\n'
    for name in ("any", "duration", "field_mask", "struct", "timestamp", "wrappers")
)
TYPES_PROTO = f"""syntax = "proto3";
package p;
import "buf/validate/validate.proto";
{WKT_IMPORTS}message Sub {{ string s = 1; }}
enum E {{ E_UNSPECIFIED = 0; E_A = 1; }}
"""
FIELD_CEL = CelScope("(buf.validate.field).cel", "(buf.validate.field).cel.expression", 'field "f"', 'Field "f"')
FIELD_EXPR = CelScope(
    "(buf.validate.field).cel_expression", "(buf.validate.field).cel_expression", 'field "f"', 'Field "f"'
)
MESSAGE_CEL = CelScope(
    "(buf.validate.message).cel", "(buf.validate.message).cel.expression", 'message "M"', 'Message "M"'
)
PREDEFINED_CEL = CelScope(
    "(buf.validate.predefined).cel", "(buf.validate.predefined).cel.expression", "extension field", "Extension field"
)
NOW = {"now": "timestamp"}


def compile_module(root: Path, names: list[str]) -> DescriptorPool:
    """A pool (``build_pool``) of the files ``names`` under ``root`` and their imports, compiled by protoc."""
    out = root / "image.binpb"
    args = ["protoc", f"-I{root}", f"-I{WKT_INCLUDE}", "--include_imports", f"--descriptor_set_out={out}", *names]
    assert protoc.main(args) == 0
    files = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file
    return build_pool(f for f in files if not f.name.startswith("google/protobuf/"))


@pytest.fixture(scope="module")
def envs(tmp_path_factory: pytest.TempPathFactory) -> CelEnvironments:
    """Environments over a pool with ``p.Sub``, ``p.E``, the well-known types and validate.proto."""
    root = write_tree(
        tmp_path_factory.mktemp("cel"),
        {"buf/validate/validate.proto": VALIDATE_SOURCE.read_text(), "p/types.proto": TYPES_PROTO},
    )
    return CelEnvironments(compile_module(root, ["p/types.proto"]))


def issues(envs: CelEnvironments, this: str, expression: str) -> list[str]:
    """The findings of one field ``cel_expression``, without the ``… on field "f" `` prefix."""
    prefix = '(buf.validate.field).cel_expression on field "f" '
    found = envs.check([CelRule("", "", expression)], FIELD_EXPR, {"this": this, **NOW})
    return sorted({message.removeprefix(prefix) for _, message in found})


TABLE = [
    ("string", "this.size() > 0", []),
    ("string", "this + 1", ["fails to compile: found no matching overload for '_+_' applied to '(string, int)'"]),
    ("string", "this > 1", ["fails to compile: found no matching overload for '_>_' applied to '(string, int)'"]),
    ("string", "1", ["evaluates to a int, only string and boolean are allowed."]),
    ("string", "this", []),
    ("string", "null", ["evaluates to a null, only string and boolean are allowed."]),
    ("string", "[1,2]", ["evaluates to a list(int), only string and boolean are allowed."]),
    ("string", "{'a': 1}", ["evaluates to a map(string, int), only string and boolean are allowed."]),
    ("string", "b'abc'", ["evaluates to a bytes, only string and boolean are allowed."]),
    ("string", "1.5", ["evaluates to a double, only string and boolean are allowed."]),
    ("string", "1u", ["evaluates to a uint, only string and boolean are allowed."]),
    ("string", "duration('1s')", ["evaluates to a duration, only string and boolean are allowed."]),
    ("string", "timestamp('2020-01-01T00:00:00Z')", ["evaluates to a timestamp, only string and boolean are allowed."]),
    ("string", "type(this)", ["evaluates to a type(string), only string and boolean are allowed."]),
    ("string", "dyn(this)", []),
    ("string", "xyz", ["fails to compile: undeclared reference to 'xyz' (in container '')"]),
    ("string", "foo.bar", ["fails to compile: undeclared reference to 'foo' (in container '')"]),
    ("string", "this.foo", ["fails to compile: type 'string' does not support field selection"]),
    (
        "string",
        "size(this) >",
        [
            "fails to compile: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}"  # noqa: E501
        ],
    ),
    (
        "string",
        "this == 'a' &&",
        [
            "fails to compile: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}"  # noqa: E501
        ],
    ),
    (
        "string",
        "'abc",
        [
            "fails to compile: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",  # noqa: E501
            "fails to compile: token recognition error at: ''abc'",
        ],
    ),
    ("string", "this.matches('(^|.*/)[^/]+\\\\.lock($|/.*)')", []),
    (
        "string",
        "this.isEmail() && this.isHostname() && this.isUri() && this.isUriRef() && this.isIp() && this.isIp(4) && this.isIpPrefix() && this.isIpPrefix(true) && this.isIpPrefix(6, true) && this.isHostAndPort(true)",  # noqa: E501
        [],
    ),
    (
        "string",
        "this.lowerAscii() == 'a' && this.charAt(0) == 'a' && this.indexOf('a') == 0 && this.trim() == '' && this.split(',').size() > 0 && this.substring(1) == '' && this.replace('a','b') == '' && this.upperAscii() == ''",  # noqa: E501
        [],
    ),
    (
        "string",
        "'%d'.format([this])",
        [
            "fails to compile: error during formatting: decimal clause can only be used on ints, uints, and doubles, was given string"  # noqa: E501
        ],
    ),
    ("string", "'%s'.format([this])", []),
    (
        "string",
        "'%q'.format([this])",
        ['fails to compile: could not parse formatting clause: unrecognized formatting clause "q"'],
    ),
    ("string", "now > timestamp('2020-01-01T00:00:00Z')", []),
    ("string", "rules.min_len > 0", ["fails to compile: undeclared reference to 'rules' (in container '')"]),
    ("string", "rule > 0", ["fails to compile: undeclared reference to 'rule' (in container '')"]),
    ("uint", "this > 1", []),
    ("uint", "this > 1.0", []),
    ("double", "this.isNan() || this.isInf()", []),
    ("double", "this > 1", []),
    ("list(int)", "this.unique()", []),
    ("list(int)", "this > 1", ["fails to compile: found no matching overload for '_>_' applied to '(list(int), int)'"]),
    ("list(int)", "this.all(x, x > 0)", []),
    ("map(string, int)", "this.all(k, this[k] > 0)", []),
    ("map(string, int)", "this.size() > 1u", []),
    ("bytes", "this.startsWith(b'a') && this.endsWith(b'a') && this.contains(b'a')", []),
    ("duration", "this > duration('1s')", []),
    ("timestamp", "this < now", []),
    ("wrapper(int)", "this > 1", []),
    ("wrapper(int)", "this", ["evaluates to a wrapper(int), only string and boolean are allowed."]),
    ("wrapper(bool)", "this", []),
    ("wrapper(string)", "this", []),
    ("any", "this", []),
    ("map(string, dyn)", "this", ["evaluates to a map(string, dyn), only string and boolean are allowed."]),
    ("dyn", "this", []),
    ("p.Sub", "this.s.size() > 0", []),
    ("p.Sub", "this.nope > 0", ["fails to compile: undefined field 'nope'"]),
    ("p.Sub", "this", ["evaluates to a p.Sub, only string and boolean are allowed."]),
    ("p.Sub", "has(this.s)", []),
    ("p.Sub", "this.s", []),
    ("p.Sub", "p.Sub{s: 'a'}.s == this.s", []),
    ("int", "this == 1", []),
    ("int", "this == p.E.E_A", []),
    ("int", "this", ["evaluates to a int, only string and boolean are allowed."]),
    ("string", "getField(this, 'a')", []),
    (
        "string",
        "1 / 'a' + (2 - 'b')",
        [
            "fails to compile: found no matching overload for '_-_' applied to '(int, string)'",
            "fails to compile: found no matching overload for '_/_' applied to '(int, string)'",
        ],
    ),
    ("string", "this.size() > 0 ? 'bad' : ''", []),
    (
        "string",
        "optional.of(1)",
        [
            "fails to compile: undeclared reference to 'of' (in container '')",
            "fails to compile: undeclared reference to 'optional' (in container '')",
        ],
    ),
    ("string", "[1].exists_one(x, x > 0)", []),
    (
        "string",
        "math.greatest(1, 2) > 0",
        [
            "fails to compile: undeclared reference to 'greatest' (in container '')",
            "fails to compile: undeclared reference to 'math' (in container '')",
        ],
    ),
    ("string", "this.reverse() == ''", []),
    ("string", "strings.quote(this) == ''", []),
    (
        "string",
        "base64.encode(b'a') == ''",
        [
            "fails to compile: undeclared reference to 'base64' (in container '')",
            "fails to compile: undeclared reference to 'encode' (in container '')",
        ],
    ),
    ("string", "[1,2].sort() == [1,2]", ["fails to compile: undeclared reference to 'sort' (in container '')"]),
    ("string", "this in ['a']", []),
    ("string", "int(this) > 0", []),
    ("string", "'a' < 1", ["fails to compile: found no matching overload for '_<_' applied to '(string, int)'"]),
    ("int", "this < 1u", []),
    ("int", "this == 1.0", ["fails to compile: found no matching overload for '_==_' applied to '(int, double)'"]),
    (
        "string",
        "this.join(',')",
        ["fails to compile: found no matching overload for 'join' applied to 'string.(string)'"],
    ),
    ("list(string)", "this.join(',') == ''", []),
    ("string", "'abc'.charAt(1) == 'b' && 'x'.lastIndexOf('x') == 0", []),
    (
        "string",
        "cel.bind(x, 1, x > 0)",
        [
            "fails to compile: undeclared reference to 'bind' (in container '')",
            "fails to compile: undeclared reference to 'cel' (in container '')",
            "fails to compile: undeclared reference to 'x' (in container '')",
        ],
    ),
    ("string", "[1,2].map(x, x * 2).size() > 0 && [1].filter(x, x > 0).size() > 0 && [1].exists(x, x > 0)", []),
    (
        "string",
        "this.size() > 0 && ",
        [
            "fails to compile: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}"  # noqa: E501
        ],
    ),
    (
        "string",
        "a.b.c(1)",
        [
            "fails to compile: undeclared reference to 'a' (in container '')",
            "fails to compile: undeclared reference to 'c' (in container '')",
        ],
    ),
    ("string", "this.matches('[')", []),
    ("string", "{1: 'a', 'b': 2}", ["evaluates to a map(dyn, dyn), only string and boolean are allowed."]),
    ("string", "[1, 'a']", ["evaluates to a list(dyn), only string and boolean are allowed."]),
    (
        "string",
        "this.size() > 0 ? 1 : 'a'",
        ["fails to compile: found no matching overload for '_?_:_' applied to '(bool, int, string)'"],
    ),
    ("string", "'%x'.format([this])", []),
    (
        "string",
        "'%z'.format([1])",
        ['fails to compile: could not parse formatting clause: unrecognized formatting clause "z"'],
    ),
    (
        "string",
        "p.Sub{s: 1}.s == this",
        ["fails to compile: expected type of field 's' is 'string' but provided type is 'int'"],
    ),
    ("string", "p.Sub{x: 1}.s == this", ["fails to compile: undefined field 'x'"]),
    ("string", "has(this)", ["fails to compile: invalid argument to has() macro"]),
    ("p.Sub", "has(this.nope)", ["fails to compile: undefined field 'nope'"]),
    ("string", "this.foo()", ["fails to compile: undeclared reference to 'foo' (in container '')"]),
    ("string", "foo(this)", ["fails to compile: undeclared reference to 'foo' (in container '')"]),
    (
        "string",
        "this ? true : false",
        ["fails to compile: found no matching overload for '_?_:_' applied to '(string, bool, bool)'"],
    ),
    ("string", "!this", ["fails to compile: found no matching overload for '!_' applied to '(string)'"]),
    ("string", "-this", ["fails to compile: found no matching overload for '-_' applied to '(string)'"]),
    (
        "string",
        "this[0] == 'a'",
        ["fails to compile: found no matching overload for '_[_]' applied to '(string, int)'"],
    ),
    ("string", "size() == 0", ["fails to compile: found no matching overload for 'size' applied to '()'"]),
    (
        "string",
        "this.all(x)",
        [
            "fails to compile: undeclared reference to 'all' (in container '')",
            "fails to compile: undeclared reference to 'x' (in container '')",
        ],
    ),
    ("list(int)", "this.all(x, x)", ["fails to compile: expected type 'bool' but found 'int'"]),
    (
        "list(int)",
        "this.map(x, x) == 1",
        ["fails to compile: found no matching overload for '_==_' applied to '(list(int), int)'"],
    ),
    (
        "string",
        "this.startsWith(1)",
        ["fails to compile: found no matching overload for 'startsWith' applied to 'string.(int)'"],
    ),
    (
        "string",
        "this.matches(1)",
        ["fails to compile: found no matching overload for 'matches' applied to 'string.(int)'"],
    ),
    ("string", "1 + 1u", ["fails to compile: found no matching overload for '_+_' applied to '(int, uint)'"]),
    (
        "string",
        "[1][0u] == 1",
        ["fails to compile: found no matching overload for '_[_]' applied to '(list(int), uint)'"],
    ),
    (
        "string",
        "{'a': 1}[1] == 1",
        ["fails to compile: found no matching overload for '_[_]' applied to '(map(string, int), int)'"],
    ),
    (
        "string",
        "int('1') + 1.0 > 0.0",
        ["fails to compile: found no matching overload for '_+_' applied to '(int, double)'"],
    ),
    ("p.Sub", "this.s.nope", ["fails to compile: type 'string' does not support field selection"]),
    ("p.Sub", "this == 1", ["fails to compile: found no matching overload for '_==_' applied to '(p.Sub, int)'"]),
    ("string", "this == null", ["fails to compile: found no matching overload for '_==_' applied to '(string, null)'"]),
    ("duration", "this > 1", ["fails to compile: found no matching overload for '_>_' applied to '(duration, int)'"]),
    ("string", "p.Nope{}", ["fails to compile: undeclared reference to 'p.Nope' (in container '')"]),
    ("string", "p.E.NOPE == 1", ["fails to compile: undeclared reference to 'p' (in container '')"]),
    (
        "string",
        "this.size() == 1 && this.size() == 'a' && this.size() == 2.0",
        [
            "fails to compile: found no matching overload for '_==_' applied to '(int, double)'",
            "fails to compile: found no matching overload for '_==_' applied to '(int, string)'",
        ],
    ),
    ("string", "1 == 1 == 1", ["fails to compile: found no matching overload for '_==_' applied to '(bool, int)'"]),
    ("string", "this in {'a': 1}", []),
    ("string", "this in 1", ["fails to compile: found no matching overload for '@in' applied to '(string, int)'"]),
    ("string", "duration('1x') > duration('1s')", []),
    ("string", "timestamp('bad') < now", []),
    (
        "string",
        "'\\z' == this",
        [
            "fails to compile: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",  # noqa: E501
            "fails to compile: token recognition error at: '' == this'",
            "fails to compile: token recognition error at: ''\\z'",
        ],
    ),
    (
        "string",
        "this.substring(1, 'a') == ''",
        ["fails to compile: found no matching overload for 'substring' applied to 'string.(int, string)'"],
    ),
    ("list(string)", "this.unique() && this.exists_one(x, x == 'a') && this.join() == ''", []),
    (
        "list(p.Sub)",
        "this.unique()",
        ["fails to compile: found no matching overload for 'unique' applied to 'list(p.Sub).()'"],
    ),
    (
        "map(string, int)",
        "this.unique()",
        ["fails to compile: found no matching overload for 'unique' applied to 'map(string, int).()'"],
    ),
    (
        "double",
        "this.isInf(1) && this.isNan(1)",
        ["fails to compile: found no matching overload for 'isNan' applied to 'double.(int)'"],
    ),
    (
        "string",
        "getField(this) == 1",
        ["fails to compile: found no matching overload for 'getField' applied to '(string)'"],
    ),
    (
        "bytes",
        "this.contains('a')",
        ["fails to compile: found no matching overload for 'contains' applied to 'bytes.(string)'"],
    ),
    (
        "string",
        "this.isIp('4')",
        ["fails to compile: found no matching overload for 'isIp' applied to 'string.(string)'"],
    ),
    ("uint", "this > -1", []),
    ("string", "0x1 == 1 && 1e3 > 1.0 && 1u > 0u && b'\\x00' == b'' && r'\\d' == ''", []),
    ("string", "'%s %s'.format([1])", ["fails to compile: index 1 out of range"]),
    (
        "string",
        "'%s'.format([1, 2])",
        ["fails to compile: too many arguments supplied to string.format (expected 1, got 2)"],
    ),
    (
        "string",
        "'%.3f'.format(['a'])",
        [
            "fails to compile: error during formatting: fixed-point clause can only be used on ints, uints, and doubles, was given string"  # noqa: E501
        ],
    ),
    (
        "string",
        "'%x'.format([1.0])",
        [
            "fails to compile: error during formatting: only ints, uints, bytes, and strings can be formatted as hex, was given double"  # noqa: E501
        ],
    ),
    (
        "string",
        "'%e'.format(['a'])",
        [
            "fails to compile: error during formatting: scientific clause can only be used on ints, uints, and doubles, was given string"  # noqa: E501
        ],
    ),
    (
        "string",
        "'%b'.format([1.5])",
        [
            "fails to compile: error during formatting: only ints, uints, and bools can be formatted as binary, was given double"  # noqa: E501
        ],
    ),
    (
        "string",
        "'%o'.format([1.5])",
        [
            "fails to compile: error during formatting: octal clause can only be used on ints and uints, was given double"  # noqa: E501
        ],
    ),
    ("string", "'%'.format([])", ["fails to compile: unexpected end of string"]),
    (
        "string",
        "'%.f'.format([1.0])",
        [
            'fails to compile: could not parse formatting clause: error while parsing precision: error while converting precision to integer: strconv.Atoi: parsing "": invalid syntax'  # noqa: E501
        ],
    ),
    (
        "string",
        "'%.200f'.format([1.0])",
        [
            "fails to compile: could not parse formatting clause: error while parsing precision: precision 200 exceeds maximum allowed precision 100"  # noqa: E501
        ],
    ),
    (
        "string",
        "'%s'.format([p.Sub{}])",
        [
            "fails to compile: error during formatting: string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given p.Sub"  # noqa: E501
        ],
    ),
    (
        "string",
        "'%d'.format([this])",
        [
            "fails to compile: error during formatting: decimal clause can only be used on ints, uints, and doubles, was given string"  # noqa: E501
        ],
    ),
    ("string", "'%d %s'.format([1])", ["fails to compile: index 1 out of range"]),
    ("string", "this.format([1])", []),
    ("string", "'%s'.format(this.split(','))", []),
    (
        "string",
        "'%d'.format(['a', 'b'])",
        [
            "fails to compile: error during formatting: decimal clause can only be used on ints, uints, and doubles, was given string"  # noqa: E501
        ],
    ),
    ("string", "'%s'.format([null])", []),
    ("string", "'%d'.format([dyn('a')])", []),
]


@pytest.mark.parametrize(("this", "expression", "expected"), TABLE)
def test_issues_are_buf_s(envs: CelEnvironments, this: str, expression: str, expected: list[str]) -> None:
    assert issues(envs, this, expression) == expected


def test_rule_ids_messages_and_empty_expressions_are_checked_per_entry(envs: CelEnvironments) -> None:
    rules = [
        CelRule("id with space", "", "true"),
        CelRule("id2", "", "true"),
        CelRule("id2", "m", "'a string'"),
        CelRule("", "", " \t\n"),
        CelRule("i\u00e9", "", "this.s.size() > 0"),
        CelRule("ok", "", "1"),
    ]
    found = envs.check(rules, MESSAGE_CEL, {"this": "p.Sub", **NOW})
    ids = "IDs must contain only characters a-z, A-Z, 0-9, '.', '_', '-'."
    not_unique = '(buf.validate.message).cel.id ("id2") is not unique within message "M".'
    assert sorted(found) == sorted(
        [
            (0, f'Message "M" has invalid characters for (buf.validate.message).cel.id. {ids}'),
            (1, not_unique),
            (
                2,
                'Message "M" has a (buf.validate.message).cel with an expression that evaluates to a string, and also '
                "has a message. The message is redundant - since the expression evaluates to a string, its result will "
                "be printed instead of the message, so the message should be removed.",
            ),
            (2, not_unique),
            (
                3,
                'Message "M" has an empty (buf.validate.message).cel.expression. Expressions should always be specified.',  # noqa: E501
            ),
            (4, f'Message "M" has invalid characters for (buf.validate.message).cel.id. {ids}'),
            (
                5,
                '(buf.validate.message).cel.expression on message "M" evaluates to a int, only string and boolean are allowed.',  # noqa: E501
            ),
        ]
    )


def test_cel_expression_entries_never_have_id_or_message_findings(envs: CelEnvironments) -> None:
    rules = [CelRule("", "", "'s'"), CelRule("", "", "'t'"), CelRule("", "", "")]
    assert envs.check(rules, FIELD_EXPR, {"this": "string", **NOW}) == [
        (2, 'Field "f" has an empty (buf.validate.field).cel_expression. Expressions should always be specified.')
    ]


def test_predefined_rules_see_rule_and_rules(envs: CelEnvironments) -> None:
    variables = {"this": "string", "rule": "int", "rules": "buf.validate.StringRules", **NOW}
    prefix = "(buf.validate.predefined).cel.expression on extension field "
    check = [
        ("size(this) < rule && rules.min_len > 0", []),
        ("this + rule", [f"{prefix}fails to compile: found no matching overload for '_+_' applied to '(string, int)'"]),
        ("rule", [f"{prefix}evaluates to a int, only string and boolean are allowed."]),
    ]
    for expression, expected in check:
        assert [m for _, m in envs.check([CelRule("x", "", expression)], PREDEFINED_CEL, variables)] == expected
    repeated = {"this": "list(dyn)", "rule": "int", "rules": "buf.validate.RepeatedRules", **NOW}
    assert envs.check([CelRule("r", "", "this.size() < rule && this + 1")], PREDEFINED_CEL, repeated) == [
        (0, f"{prefix}fails to compile: found no matching overload for '_+_' applied to '(list(dyn), int)'")
    ]


def test_rules_and_rule_are_undeclared_for_field_and_message_cel(envs: CelEnvironments) -> None:
    found = envs.check([CelRule("c", "", "rules.min_len > 0 && rule > 0")], FIELD_CEL, {"this": "string", **NOW})
    assert sorted(m for _, m in found) == [
        f"(buf.validate.field).cel.expression on field \"f\" fails to compile: undeclared reference to '{name}' "
        "(in container '')"
        for name in ("rule", "rules")
    ]


def test_environments_are_made_once_per_variable_set(envs: CelEnvironments) -> None:
    variables = {"this": "bytes", **NOW}
    first = envs._env(variables)
    assert envs._env(dict(reversed(variables.items()))) is first
    assert envs._env({"this": "bool", **NOW}) is not first


def test_predefined_this_follows_the_rules_message() -> None:
    assert [predefined_this(f"buf.validate.{kind}Rules") for kind in ("String", "Fixed32", "Enum", "Map")] == [
        "string",
        "uint",
        "int",
        "map(dyn, dyn)",
    ]
    assert predefined_this("buf.validate.FieldMaskRules") == "google.protobuf.FieldMask"


FIELD_TYPES = {
    "string": "string",
    "repeated int32": "list(int)",
    "repeated Sub": "list(p.Sub)",
    "map<string, int32>": "map(string, int)",
    "map<uint64, Sub>": "map(uint, p.Sub)",
    "E": "int",
    "fixed32": "uint",
    "float": "double",
    "google.protobuf.Int32Value": "wrapper(int)",
    "google.protobuf.Any": "any",
    "google.protobuf.Duration": "duration",
    "repeated google.protobuf.Timestamp": "list(timestamp)",
    "google.protobuf.Struct": "map(string, dyn)",
    "google.protobuf.Value": "dyn",
    "google.protobuf.ListValue": "list(dyn)",
    "google.protobuf.NullValue": "null",
    "google.protobuf.FieldMask": "google.protobuf.FieldMask",
}


def test_field_types_are_buf_s(tmp_path: Path) -> None:
    fields = "".join(f"  {decl} f{i} = {i + 1};\n" for i, decl in enumerate(FIELD_TYPES))
    write_tree(tmp_path, {"buf/validate/validate.proto": VALIDATE_SOURCE.read_text(),
                          "p/t.proto": f"{TYPES_PROTO}message T {{\n{fields}}}\n"})  # fmt: skip
    message = compile_module(tmp_path, ["p/t.proto"]).FindMessageTypeByName("p.T")
    assert [field_type(field) for field in message.fields] == list(FIELD_TYPES.values())
    items: FieldDescriptor = message.fields_by_name["f1"]
    assert field_type(items, element=True) == "int"


# --- differential test against the buf binary ---------------------------------------------------------------

# (proto type of the field, cel_expression)
DIFF_FIELDS = [
    ("string", "this.size() > 0"),
    ("string", "this + 1"),
    ("string", "foo.bar"),
    ("string", "this.foo"),
    ("string", "this.join(',')"),
    ("string", "a.b.c(1)"),
    ("string", "size() == 0"),
    ("string", "size(this, 1) > 0"),
    ("string", "this.size(1) > 0"),
    ("string", "this.isEmail(1)"),
    ("string", "this.startsWith()"),
    ("string", "has(this)"),
    ("string", "this == null"),
    ("string", "p.E.NOPE == 1"),
    ("string", "p.Nope{}"),
    ("string", "p.Sub{x: 1}.s == this"),
    ("string", "'%s'.format([[1]]) == ''"),
    ("string", "'%d'.format([1u]) == ''"),
    ("string", "'%.3s'.format(['a']) == ''"),
    ("string", "'%x'.format(['a']) == ''"),
    ("string", "'%X'.format([b'a']) == ''"),
    ("string", "'%b'.format([true]) == ''"),
    ("string", "'%o'.format([1u]) == ''"),
    ("string", "'%e'.format([1]) == ''"),
    ("string", "'%%'.format([]) == ''"),
    ("string", "'%s'.format([duration('1s'), 1]) == ''"),
    ("string", "'%s'.format([type(1)]) == ''"),
    ("string", "'%s'.format([{'a': 1}]) == ''"),
    ("string", '"%d".format([1.5]) == ""'),
    ("string", "r'%d'.format(['a']) == ''"),
    ("string", "'%d %d'.format([1, 'a', 3]) == ''"),
    ("string", "'%5d'.format([1]) == ''"),
    ("string", "'%s'.format([x]) == ''"),
    ("string", "'%s'.format([this, this]) + '%d'.format(['a'])"),
    ("string", "'a\\n%d'.format(['a']) == ''"),
    ("string", "this.matches('[')"),
    ("string", "this.size() > 0 ? 'bad' : ''"),
    ("string", "int(this) > 0 && this in ['a']"),
    ("string", "'%d'.format(['a'])"),
    ("uint32", "this > 1 && this < 2.0 && this >= -1"),
    ("uint32", "this == 1"),
    ("double", "this.isNan() || this.isInf(1)"),
    ("double", "this.isNan(1)"),
    ("double", "isNan(this)"),
    ("bytes", "this.startsWith(b'a') && this.contains('a')"),
    ("repeated int32", "this.unique() && this.all(x, x > 0)"),
    ("repeated int32", "this.all(x, x)"),
    ("repeated int32", "this.exists(x, x)"),
    ("repeated int32", "this.exists_one(x, x)"),
    ("repeated int32", "this.filter(x, x).size() > 0"),
    ("repeated int32", "this.map(x, x + 'a').size() > 0"),
    ("repeated int32", "this"),
    ("repeated Sub", "this.unique()"),
    ("repeated Sub", "this[0].nope"),
    ("map<string, int32>", "this.all(k, this[k] > 0) && this.size() > 1u"),
    ("map<string, int32>", "this"),
    ("map<string, int32>", "this.unique()"),
    ("google.protobuf.Int32Value", "this > 1"),
    ("google.protobuf.Int32Value", "this"),
    ("google.protobuf.Int32Value", "this + 'a'"),
    ("google.protobuf.StringValue", "this"),
    ("google.protobuf.BoolValue", "this"),
    ("google.protobuf.Any", "this"),
    ("google.protobuf.Any", "this.foo"),
    ("google.protobuf.Struct", "this"),
    ("google.protobuf.Struct", "this.a + 1"),
    ("google.protobuf.Value", "this"),
    ("google.protobuf.ListValue", "this[0] + 1"),
    ("google.protobuf.Timestamp", "this.getFullYear() > 2000 && this < now"),
    ("google.protobuf.Timestamp", "this + 1"),
    ("google.protobuf.Duration", "this.nope"),
    ("google.protobuf.FieldMask", "this.paths.size() > 0"),
    ("google.protobuf.FieldMask", "this.nope"),
    ("E", "this == p.E.E_A"),
    ("E", "this.name"),
    ("Sub", "has(this.nope)"),
    ("Sub", "this.s.nope"),
    ("Sub", "this"),
    ("Sub", "this.s"),
    ("int64", "this < 1u && this == 1.0"),
    ("google.protobuf.Int32Value", "[this]"),
    ("string", "(this + 'a').size(1) > 0"),
    ("repeated string", "this.all(x, x.size(1) > 0)"),
    ("string", "'%s'.format([[p.Sub{}]]) == ''"),
    ("string", "[1, 2].all(x, '%d'.format([x]) == '')"),
    ("string", "this.charAt()"),
    ("string", "timestamp(1, 2)"),
    ("string", "1 + 1u"),
    ("google.protobuf.Int32Value", "this.value"),
    ("string", "{'a': 1}.a + 'b'"),
]
# (proto type, entries of (id, message, expression)) as field `cel` rules
DIFF_RULES = [
    ("string", [("bad id!", "", "this.size() > 0")]),
    ("string", [("s", "m", "this")]),
    ("string", [("s", "", "this")]),
    ("google.protobuf.StringValue", [("s", "m", "this")]),
    ("string", [("d", "", "true"), ("d", "", "'x'"), ("e", "", " ")]),
    ("string", [("x", "m", "this.size() > 0 ? 1 : 'a'")]),
]
# message-level cel_expression; `this` is a message with fields s, sub, n and r
DIFF_MESSAGES = [
    "this.s.size() > 0",
    "this.nope",
    "has(this.s) && has(this.sub.s)",
    "this.n + 'a'",
    "this",
    "this.s",
    "this.r.unique()",
    "rules.x",
    "this.sub.s.size() > this.n",
]
# (extended buf.validate.*Rules, extension type, expression) as (buf.validate.predefined).cel
DIFF_PREDEFINED = [
    ("StringRules", "int32", "size(this) < rule && rules.min_len > 0"),
    ("StringRules", "int32", "rule + 'a'"),
    ("StringRules", "repeated string", "this in rule"),
    ("Int64Rules", "bool", "this + rule"),
    ("RepeatedRules", "int32", "this.size() < rule && this + 1"),
    ("MapRules", "int32", "this.size() < rule"),
    ("DoubleRules", "double", "this"),
    ("FieldMaskRules", "string", "this + 1"),
    ("TimestampRules", "google.protobuf.Duration", "this < now + rule"),
]
# Expressions where protokit's texts are not Buf's (see the docstring of protokit.validate.cel).
KNOWN_DIFFERENT = {
    "[this]",  # Buf: evaluates to a list(wrapper(int)); cel-cpp drops wrapper-ness inside the list: list(int)
    # A wrong-arity call on a comprehension variable: its type is unknown outside the macro, so cel-cpp's
    # "undeclared reference to 'size'" stays (Buf: found no matching overload for 'size' applied to 'string.(int)').
    "this.all(x, x.size(1) > 0)",
}
MESSAGE_FIELDS = "string s = 1; Sub sub = 2; int32 n = 3; repeated string r = 4;"


def proto_string(text: str) -> str:
    """``text`` as a proto string literal."""
    return json.dumps(text, ensure_ascii=False)


def rule_literal(rule_id: str, message: str, expression: str) -> str:
    """A ``buf.validate.Rule`` message literal."""
    return f"{{id: {proto_string(rule_id)}, message: {proto_string(message)}, expression: {proto_string(expression)}}}"


Case = tuple[str, str, str, list[CelRule]]  # (file, kind, declared name, rules)


def diff_protos() -> tuple[dict[str, str], dict[tuple[str, int], Case]]:
    """The probe files and, per (file, line), the case declared on that line."""
    cases: dict[tuple[str, int], Case] = {}
    lines = TYPES_PROTO.splitlines()
    lines.append("message F {")
    for i, (decl, expression) in enumerate(DIFF_FIELDS):
        lines.append(f"  {decl} f{i} = {i + 1} [(buf.validate.field).cel_expression = {proto_string(expression)}];")
        cases["p/f.proto", len(lines)] = ("p/f.proto", "field", f"f{i}", [CelRule("", "", expression)])
    for i, (decl, entries) in enumerate(DIFF_RULES):
        options = ", ".join(f"(buf.validate.field).cel = {rule_literal(*entry)}" for entry in entries)
        lines.append(f"  {decl} r{i} = {100 + i} [{options}];")
        cases["p/f.proto", len(lines)] = ("p/f.proto", "rule", f"r{i}", [CelRule(*entry) for entry in entries])
    lines.append("}")
    for i, expression in enumerate(DIFF_MESSAGES):
        option = f"option (buf.validate.message).cel_expression = {proto_string(expression)};"
        lines.append(f"message M{i} {{ {option} {MESSAGE_FIELDS} }}")
        cases["p/f.proto", len(lines)] = ("p/f.proto", "message", f"M{i}", [CelRule("", "", expression)])
    pre = ['syntax = "proto2";', "package p;", 'import "buf/validate/validate.proto";', *WKT_IMPORTS.splitlines()]
    for i, (rules, decl, expression) in enumerate(DIFF_PREDEFINED):
        label = "" if decl.startswith("repeated") else "optional "
        option = f"(buf.validate.predefined).cel = {rule_literal(f'x{i}', '', expression)}"
        pre.append(f"extend buf.validate.{rules} {{ {label}{decl} x{i} = {50000 + i} [{option}]; }}")
        cases["p/pre.proto", len(pre)] = ("p/pre.proto", "predefined", f"x{i}", [CelRule(f"x{i}", "", expression)])
    files = {"p/f.proto": "\n".join(lines) + "\n", "p/pre.proto": "\n".join(pre) + "\n"}
    return files, cases


def our_messages(envs: CelEnvironments, pool: DescriptorPool, case: Case) -> list[str]:
    """protokit's messages for one differential case."""
    _, kind, name, rules = case
    if kind == "message":
        scope = CelScope(*MESSAGE_EXPR, f'message "{name}"', f'Message "{name}"')
        variables = {"this": f"p.{name}", **NOW}
    elif kind == "predefined":
        extension = pool.FindExtensionByName(f"p.{name}")
        scope, rules_name = PREDEFINED_CEL, extension.containing_type.full_name
        variables = {"this": predefined_this(rules_name), "rules": rules_name, "rule": field_type(extension), **NOW}
    else:
        field = pool.FindFieldByName(f"p.F.{name}")
        names = FIELD_EXPR_NAMES if kind == "field" else FIELD_CEL_NAMES
        scope = CelScope(*names, f'field "{name}"', f'Field "{name}"')
        variables = {"this": field_type(field), **NOW}
    return sorted({message for _, message in envs.check(rules, scope, variables)})


MESSAGE_EXPR = ("(buf.validate.message).cel_expression", "(buf.validate.message).cel_expression")
FIELD_EXPR_NAMES = ("(buf.validate.field).cel_expression", "(buf.validate.field).cel_expression")
FIELD_CEL_NAMES = ("(buf.validate.field).cel", "(buf.validate.field).cel.expression")


@pytest.mark.skipif(find_buf() is None, reason="buf is not installed")
def test_cel_findings_are_buf_s(tmp_path: Path) -> None:
    files, cases = diff_protos()
    root = write_tree(
        tmp_path,
        {
            "buf.yaml": "version: v2\nlint:\n  use: [PROTOVALIDATE]\n",
            "buf/validate/validate.proto": VALIDATE_SOURCE.read_text(),
            **files,
        },
    )
    buf = subprocess.run(
        [str(find_buf()), "lint", "--error-format", "json"], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert buf.returncode in (0, 100), buf.stderr
    theirs: dict[tuple[str, int], set[str]] = defaultdict(set)
    for line in buf.stdout.splitlines():
        finding = json.loads(line)
        theirs[finding["path"], finding["start_line"]].add(finding["message"])
    pool = compile_module(root, list(files))
    envs = CelEnvironments(pool)
    compared = {
        key: (sorted(theirs.get(key, set())), our_messages(envs, pool, case))
        for key, case in cases.items()
        if not KNOWN_DIFFERENT & {rule.expression for rule in case[3]}
    }
    assert set(theirs) <= set(cases), "a finding off the case lines"
    assert {key: pair for key, pair in compared.items() if pair[0] != pair[1]} == {}
    assert len(compared) >= 80
