"""The example checks of PROTOVALIDATE (``protokit.validate.examples``) against Buf's findings.

``TABLE`` holds, per field (and items/keys/values level) of ``PROTOS``, the example findings buf 1.75.0
reported for it (``buf lint`` of these very files); the differential test lints ``PROTOS`` with the buf
binary, when installed, and compares every example finding, Go pointers of message examples masked.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import grpc_tools
import pytest
from conftest import REPO, find_buf, write_tree
from google.protobuf import descriptor_pb2, message_factory
from google.protobuf.descriptor_pool import DescriptorPool
from grpc_tools import protoc

from protokit.validate.examples import GO_MESSAGE_POINTER, example_findings
from protokit.validate.schema import build_pool

VALIDATE_SOURCE = REPO / "protokit/validate/proto/buf/validate/validate.proto"
WKT_INCLUDE = Path(grpc_tools.__file__).parent / "_proto"
PROTOS = {
    "cases.proto": r"""syntax = "proto3";
package cases;
import "buf/validate/validate.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";
import "predef.proto";
enum E { E_UNSPECIFIED = 0; E_A = 1; }
message M {
  option (buf.validate.message).cel = {id: "broken", expression: "this.nope"};
  string s = 1 [(buf.validate.field).string.min_len = 3,
      (buf.validate.field).string.example = "ab",
      (buf.validate.field).string.example = "abc",
      (buf.validate.field).string.example = "a"];
  string s_quote = 2 [(buf.validate.field).string.pattern = "^[a-z]+$",
      (buf.validate.field).string.example = "a b\"c\n",
      (buf.validate.field).string.example = "日本"];
  string s_zero_ignored = 3 [(buf.validate.field).ignore = IGNORE_IF_ZERO_VALUE,
      (buf.validate.field).string.min_len = 3,
      (buf.validate.field).string.example = ""];
  bytes by = 4 [(buf.validate.field).bytes.min_len = 3,
      (buf.validate.field).bytes.example = "\x01\xff",
      (buf.validate.field).bytes.example = "abc"];
  bool bo = 5 [(buf.validate.field).bool.const = true,
      (buf.validate.field).bool.example = false,
      (buf.validate.field).bool.example = true];
  int32 i32 = 6 [(buf.validate.field).int32 = {gt: 5, lt: 10, example: [1, 7, -3]}];
  int64 i64 = 7 [(buf.validate.field).int64 = {gte: -5, example: [-6, -5]}];
  uint32 u32 = 8 [(buf.validate.field).uint32 = {in: [1, 2], example: [3]}];
  uint64 u64 = 9 [(buf.validate.field).uint64 = {
    not_in: [4294967296], example: [4294967296, 18446744073709551615]
  }];
  sint32 si32 = 10 [(buf.validate.field).sint32 = {lte: -1, example: [0]}];
  sint64 si64 = 11 [(buf.validate.field).sint64 = {const: -7, example: [7]}];
  fixed32 f32 = 12 [(buf.validate.field).fixed32 = {gt: 10, example: [3]}];
  fixed64 f64 = 13 [(buf.validate.field).fixed64 = {lt: 10, example: [30]}];
  sfixed32 sf32 = 14 [(buf.validate.field).sfixed32 = {gt: 0, lt: 0, example: [3]}];
  sfixed64 sf64 = 15 [(buf.validate.field).sfixed64 = {gte: 10, lte: 20, example: [30, 15]}];
  float fl = 16 [(buf.validate.field).float.gt = 1.5,
      (buf.validate.field).float.example = 0.1,
      (buf.validate.field).float.example = 1e-7,
      (buf.validate.field).float.example = 123456789,
      (buf.validate.field).float.example = -inf,
      (buf.validate.field).float.example = nan,
      (buf.validate.field).float.example = 2];
  double db = 17 [(buf.validate.field).double.gt = 1.5,
      (buf.validate.field).double.example = 0.1,
      (buf.validate.field).double.example = 1e21,
      (buf.validate.field).double.example = 0.000001,
      (buf.validate.field).double.example = -0.0,
      (buf.validate.field).double.example = 123456789.5];
  double db_in = 18 [(buf.validate.field).double = {in: [0.1, 1e-7, 1e21], example: [0.5]}];
  double finite = 19 [(buf.validate.field).double.finite = true, (buf.validate.field).double.example = inf];
  E en = 20 [(buf.validate.field).enum.defined_only = true,
      (buf.validate.field).enum.example = 5,
      (buf.validate.field).enum.in = 1,
      (buf.validate.field).enum.example = 0,
      (buf.validate.field).enum.example = 1];
  E en_not_in = 21 [(buf.validate.field).enum = {not_in: [1], example: [1, 2]}];
  repeated string items = 22 [(buf.validate.field).repeated.min_items = 2,
      (buf.validate.field).repeated.items.string.min_len = 2,
      (buf.validate.field).repeated.items.string.example = "a",
      (buf.validate.field).repeated.items.string.example = "ab"];
  repeated int32 items_unique = 23 [(buf.validate.field).repeated.unique = true,
      (buf.validate.field).repeated.items.int32.example = 1];
  repeated google.protobuf.Duration items_dur = 24 [(buf.validate.field).repeated.items.duration.gt = {seconds: 10},
      (buf.validate.field).repeated.items.duration.example = {seconds: 1}];
  map<string, int32> map_kv = 25 [(buf.validate.field).map.keys.string.min_len = 2,
      (buf.validate.field).map.keys.string.example = "a",
      (buf.validate.field).map.values.int32.gt = 3,
      (buf.validate.field).map.values.int32.example = 1,
      (buf.validate.field).map.values.int32.example = 4];
  map<int64, string> map_int = 26 [(buf.validate.field).map.min_pairs = 2,
      (buf.validate.field).map.keys.int64.gt = 0,
      (buf.validate.field).map.keys.int64.example = -1,
      (buf.validate.field).map.values.string.min_len = 2,
      (buf.validate.field).map.values.string.example = "a"];
  map<bool, google.protobuf.Duration> map_msg = 27 [(buf.validate.field).map.keys.bool.const = true,
      (buf.validate.field).map.keys.bool.example = false,
      (buf.validate.field).map.values.duration.lt = {seconds: 1},
      (buf.validate.field).map.values.duration.example = {seconds: 2}];
  google.protobuf.Int32Value w_i32 = 28 [(buf.validate.field).int32.gt = 5, (buf.validate.field).int32.example = 1];
  google.protobuf.StringValue w_str = 29 [(buf.validate.field).string.prefix = "x",
      (buf.validate.field).string.example = "y",
      (buf.validate.field).string.example = "xy"];
  google.protobuf.FloatValue w_fl = 30 [(buf.validate.field).float.lt = 0,
      (buf.validate.field).float.example = 0.3];
  google.protobuf.BytesValue w_by = 31 [(buf.validate.field).bytes.max_len = 1,
      (buf.validate.field).bytes.example = "\x00\x10"];
  google.protobuf.Timestamp ts = 32 [(buf.validate.field).timestamp.gt = {seconds: 100},
      (buf.validate.field).timestamp.example = {seconds: 5},
      (buf.validate.field).timestamp.example = {seconds: 500}];
  google.protobuf.Duration dur = 33 [(buf.validate.field).duration = {
    gt: {seconds: 5, nanos: 1}, lt: {seconds: 17}, example: [{seconds: 1}, {seconds: 6}]
  }];
  google.protobuf.FieldMask fm = 34 [(buf.validate.field).field_mask.in = "a",
      (buf.validate.field).field_mask.example = {paths: ["b"]}];
  string cel_only = 35 [(buf.validate.field).cel = {id: "c1", message: "msg c1", expression: "this.size() > 3"},
      (buf.validate.field).string.example = "a",
      (buf.validate.field).string.example = "abcd"];
  string cel_string = 36 [(buf.validate.field).cel = {id: "c2", expression: "this.size() > 3 ? '' : 'too short'"},
      (buf.validate.field).string.example = "a"];
  string cel_expression_only = 37 [(buf.validate.field).cel_expression = "this.size() > 3",
      (buf.validate.field).string.example = "a"];
  string only_example = 38 [(buf.validate.field).string.example = "a"];
  string required_example = 39 [(buf.validate.field).required = true, (buf.validate.field).string.example = ""];
  string broken_cel = 40 [(buf.validate.field).cel = {id: "bad", expression: "this + 1"},
      (buf.validate.field).string.min_len = 3,
      (buf.validate.field).string.example = "ab"];
  string broken_cel_expression = 41 [(buf.validate.field).cel_expression = "this + 1",
      (buf.validate.field).string.min_len = 3,
      (buf.validate.field).string.example = "ab"];
  string int_result = 42 [(buf.validate.field).cel = {id: "int", expression: "1"},
      (buf.validate.field).string.min_len = 3,
      (buf.validate.field).string.example = "ab"];
  repeated string broken_items = 43 [(buf.validate.field).repeated.items.string.min_len = 5,
      (buf.validate.field).repeated.items.string.example = "ab",
      (buf.validate.field).repeated.items.cel = {id: "x", expression: "this + 1"}];
  map<int64, string> broken_values = 44 [(buf.validate.field).map.keys.int64.gt = 5,
      (buf.validate.field).map.keys.int64.example = 1,
      (buf.validate.field).map.values.cel = {id: "bad", expression: "this + 1"}];
  string email = 45 [(buf.validate.field).string.email = true,
      (buf.validate.field).string.example = "foo",
      (buf.validate.field).string.example = "a@b.c"];
  optional int32 opt_zero = 46 [(buf.validate.field).ignore = IGNORE_IF_ZERO_VALUE,
      (buf.validate.field).int32.gt = 5,
      (buf.validate.field).int32.example = 0];
  oneof choice { int32 one_zero = 47 [(buf.validate.field).ignore = IGNORE_IF_ZERO_VALUE,
      (buf.validate.field).int32.gt = 5,
      (buf.validate.field).int32.example = 0]; }
  string predefined = 48 [(buf.validate.field).string.(cases.max3) = true,
      (buf.validate.field).string.example = "abcd",
      (buf.validate.field).string.example = "abc"];
  string predefined_only_const = 49 [(buf.validate.field).string.(cases.max3) = true,
      (buf.validate.field).string.const = "abcd",
      (buf.validate.field).string.example = "abcd"];
  message Inner {
    map<bool, uint32> mb = 1 [(buf.validate.field).map.keys.bool.const = true,
        (buf.validate.field).map.keys.bool.example = false,
        (buf.validate.field).map.values.uint32.lt = 3,
        (buf.validate.field).map.values.uint32.example = 4];
  }
}
""",
    "predef.proto": r"""syntax = "proto2";
package cases;
import "buf/validate/validate.proto";
extend buf.validate.StringRules {
  optional bool max3 = 80048953 [
    (buf.validate.predefined).cel = {id: "string.max3", expression: "this.size() <= 3", message: "at most 3"}
  ];
}
""",
    "editions.proto": r"""edition = "2023";
package editions;
import "buf/validate/validate.proto";
option features.field_presence = IMPLICIT;
message N {
  int32 i = 1 [(buf.validate.field).ignore = IGNORE_IF_ZERO_VALUE, (buf.validate.field).int32.gt = 5,
    (buf.validate.field).int32.example = 0, (buf.validate.field).int32.example = 1];
  int32 e = 2 [features.field_presence = EXPLICIT, (buf.validate.field).ignore = IGNORE_IF_ZERO_VALUE,
    (buf.validate.field).int32.gt = 5, (buf.validate.field).int32.example = 0];
  string broken = 3 [(buf.validate.field).cel = {id: "bad", expression: "this + 1"}];
  string fine = 4 [(buf.validate.field).string.max_len = 1, (buf.validate.field).string.example = "ab"];
}
""",
}
# (field, level, [(path inside the level's FieldRules, example as printed, rule id, violation message)])
TABLE: list[tuple[str, str, list[tuple[tuple[int, ...], str, str, str]]]] = [
    (
        "cases.M.s",
        "field",
        [
            ((14, 34, 0), "ab", "string.min_len", "must be at least 3 characters"),
            ((14, 34, 2), "a", "string.min_len", "must be at least 3 characters"),
        ],
    ),
    (
        "cases.M.s_quote",
        "field",
        [
            ((14, 34, 0), 'a b"c\n', "string.pattern", "does not match regex pattern `^[a-z]+$`"),
            ((14, 34, 1), "日本", "string.pattern", "does not match regex pattern `^[a-z]+$`"),
        ],
    ),
    ("cases.M.s_zero_ignored", "field", []),
    ("cases.M.by", "field", [((15, 14, 0), "[1 255]", "bytes.min_len", "must be at least 3 bytes")]),
    ("cases.M.bo", "field", [((13, 2, 0), "false", "bool.const", "must equal true")]),
    (
        "cases.M.i32",
        "field",
        [
            ((3, 8, 0), "1", "int32.gt_lt", "must be greater than 5 and less than 10"),
            ((3, 8, 2), "-3", "int32.gt_lt", "must be greater than 5 and less than 10"),
        ],
    ),
    ("cases.M.i64", "field", [((4, 9, 0), "-6", "int64.gte", "must be greater than or equal to -5")]),
    ("cases.M.u32", "field", [((5, 8, 0), "3", "uint32.in", "must be in list [1, 2]")]),
    ("cases.M.u64", "field", [((6, 8, 0), "4294967296", "uint64.not_in", "must not be in list [4294967296]")]),
    ("cases.M.si32", "field", [((7, 8, 0), "0", "sint32.lte", "must be less than or equal to -1")]),
    ("cases.M.si64", "field", [((8, 8, 0), "7", "sint64.const", "must equal -7")]),
    ("cases.M.f32", "field", [((9, 8, 0), "3", "fixed32.gt", "must be greater than 10")]),
    ("cases.M.f64", "field", [((10, 8, 0), "30", "fixed64.lt", "must be less than 10")]),
    ("cases.M.sf32", "field", [((11, 8, 0), "3", "sfixed32.gt_lt", "must be greater than 0 and less than 0")]),
    (
        "cases.M.sf64",
        "field",
        [((12, 8, 0), "30", "sfixed64.gte_lte", "must be greater than or equal to 10 and less than or equal to 20")],
    ),
    (
        "cases.M.fl",
        "field",
        [
            ((1, 9, 0), "0.1", "float.gt", "must be greater than 1.5"),
            ((1, 9, 1), "1e-07", "float.gt", "must be greater than 1.5"),
            ((1, 9, 3), "-Inf", "float.gt", "must be greater than 1.5"),
            ((1, 9, 4), "NaN", "float.gt", "must be greater than 1.5"),
        ],
    ),
    (
        "cases.M.db",
        "field",
        [
            ((2, 9, 0), "0.1", "double.gt", "must be greater than 1.5"),
            ((2, 9, 2), "1e-06", "double.gt", "must be greater than 1.5"),
            ((2, 9, 3), "-0", "double.gt", "must be greater than 1.5"),
        ],
    ),
    (
        "cases.M.db_in",
        "field",
        [((2, 9, 0), "0.5", "double.in", "must be in list [0.1, 0.0000001, 1000000000000000000000]")],
    ),
    ("cases.M.finite", "field", [((2, 9, 0), "+Inf", "double.finite", "must be finite")]),
    (
        "cases.M.en",
        "field",
        [
            ((16, 5, 0), "5", "enum.defined_only", "value must be one of the defined enum values"),
            ((16, 5, 0), "5", "enum.in", "must be in list [1]"),
            ((16, 5, 1), "0", "enum.in", "must be in list [1]"),
        ],
    ),
    ("cases.M.en_not_in", "field", [((16, 5, 0), "1", "enum.not_in", "must not be in list [1]")]),
    ("cases.M.items", "items", [((14, 34, 0), "a", "string.min_len", "must be at least 2 characters")]),
    ("cases.M.items_unique", "items", []),
    ("cases.M.items_dur", "items", [((21, 9, 0), GO_MESSAGE_POINTER, "duration.gt", "must be greater than 10s")]),
    ("cases.M.map_kv", "keys", [((14, 34, 0), "a", "string.min_len", "must be at least 2 characters")]),
    ("cases.M.map_kv", "values", [((3, 8, 0), "1", "int32.gt", "must be greater than 3")]),
    ("cases.M.map_int", "keys", [((4, 9, 0), "-1", "int64.gt", "must be greater than 0")]),
    ("cases.M.map_int", "values", [((14, 34, 0), "a", "string.min_len", "must be at least 2 characters")]),
    ("cases.M.map_msg", "keys", [((13, 2, 0), "false", "bool.const", "must equal true")]),
    ("cases.M.map_msg", "values", [((21, 9, 0), GO_MESSAGE_POINTER, "duration.lt", "must be less than 1s")]),
    ("cases.M.w_i32", "field", [((3, 8, 0), "1", "int32.gt", "must be greater than 5")]),
    ("cases.M.w_str", "field", [((14, 34, 0), "y", "string.prefix", "does not have prefix `x`")]),
    ("cases.M.w_fl", "field", [((1, 9, 0), "0.3", "float.lt", "must be less than 0")]),
    ("cases.M.w_by", "field", [((15, 14, 0), "[0 16]", "bytes.max_len", "must be at most 1 bytes")]),
    (
        "cases.M.ts",
        "field",
        [((22, 10, 0), GO_MESSAGE_POINTER, "timestamp.gt", "must be greater than 1970-01-01T00:01:40Z")],
    ),
    (
        "cases.M.dur",
        "field",
        [((21, 9, 0), GO_MESSAGE_POINTER, "duration.gt_lt", "must be greater than 5.000000001s and less than 17s")],
    ),
    ("cases.M.fm", "field", [((28, 4, 0), GO_MESSAGE_POINTER, "field_mask.in", "must only contain paths in [a]")]),
    ("cases.M.cel_only", "field", [((14, 34, 0), "a", "c1", "msg c1")]),
    ("cases.M.cel_string", "field", [((14, 34, 0), "a", "c2", "too short")]),
    ("cases.M.cel_expression_only", "field", []),
    ("cases.M.only_example", "field", []),
    ("cases.M.required_example", "field", []),
    ("cases.M.broken_cel", "field", []),
    ("cases.M.broken_cel_expression", "field", []),
    ("cases.M.int_result", "field", []),
    ("cases.M.broken_items", "items", []),
    ("cases.M.broken_values", "keys", []),
    ("cases.M.email", "field", [((14, 34, 0), "foo", "string.email", "must be a valid email address")]),
    ("cases.M.opt_zero", "field", [((3, 8, 0), "0", "int32.gt", "must be greater than 5")]),
    ("cases.M.one_zero", "field", [((3, 8, 0), "0", "int32.gt", "must be greater than 5")]),
    ("cases.M.predefined", "field", [((14, 34, 0), "abcd", "string.max3", "at most 3")]),
    ("cases.M.predefined_only_const", "field", [((14, 34, 0), "abcd", "string.max3", "at most 3")]),
    ("cases.M.Inner.mb", "keys", [((13, 2, 0), "false", "bool.const", "must equal true")]),
    ("cases.M.Inner.mb", "values", [((5, 8, 0), "4", "uint32.lt", "must be less than 3")]),
    ("editions.N.i", "field", [((3, 8, 1), "1", "int32.gt", "must be greater than 5")]),
    ("editions.N.e", "field", [((3, 8, 0), "0", "int32.gt", "must be greater than 5")]),
    ("editions.N.fine", "field", [((14, 34, 0), "ab", "string.max_len", "must be at most 1 characters")]),
]


def compile_module(root: Path) -> DescriptorPool:
    """A pool (``build_pool``) of ``PROTOS`` under ``root``, compiled by protoc."""
    out = root / "image.binpb"
    args = ["protoc", f"-I{root}", f"-I{WKT_INCLUDE}", "--include_imports", f"--descriptor_set_out={out}", *PROTOS]
    assert protoc.main(args) == 0
    files = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file
    return build_pool(f for f in files if not f.name.startswith(("google/protobuf/", "buf/validate/")))


def write_module(root: Path) -> Path:
    """``PROTOS`` as a buf module that lints PROTOVALIDATE only, with Buf's validate.proto."""
    files = {"buf.yaml": "version: v2\nlint:\n  use: [PROTOVALIDATE]\n", **PROTOS}
    return write_tree(root, {**files, "buf/validate/validate.proto": VALIDATE_SOURCE.read_text()})


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> DescriptorPool:
    return compile_module(write_module(tmp_path_factory.mktemp("examples")))


def levels(pool: DescriptorPool, field: Any) -> dict[str, Any]:
    """The field's decoded ``(buf.validate.field)`` rules by level: ``field``, or ``items``, or ``keys`` and
    ``values``."""
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("google.protobuf.FieldOptions"))
    extension: Any = pool.FindExtensionByName("buf.validate.field")
    rules: Any = cls.FromString(field.GetOptions().SerializeToString()).Extensions[extension]
    if rules.HasField("repeated"):
        return {"items": rules.repeated.items}
    if rules.HasField("map"):
        return {"keys": rules.map.keys, "values": rules.map.values}
    return {"field": rules}


def message(value: str, rule: str, text: str) -> str:
    return f'"{value}" is an example value but does not satisfy rule "{rule}": {text}'


@pytest.mark.parametrize(("name", "target", "expected"), TABLE, ids=[f"{n}-{t}" for n, t, _ in TABLE])
def test_example_findings_are_buf_s(
    pool: DescriptorPool, name: str, target: str, expected: list[tuple[tuple[int, ...], str, str, str]]
) -> None:
    field = pool.FindFieldByName(name)
    found = example_findings(pool, field, levels(pool, field)[target], target)
    assert found == [(path, message(value, rule, text)) for path, value, rule, text in expected]


def test_fields_without_examples_build_nothing(pool: DescriptorPool) -> None:
    field = pool.FindFieldByName("editions.N.broken")
    assert example_findings(pool, field, levels(pool, field)["field"], "field") == []


def test_each_field_is_isolated_once(pool: DescriptorPool) -> None:
    from protokit.validate import examples

    field = pool.FindFieldByName("cases.M.s")
    rules = levels(pool, field)["field"]
    example_findings(pool, field, rules, "field")
    isolated = examples._scratch_pools(pool).isolated[field.full_name]
    example_findings(pool, field, rules, "field")
    assert examples._scratch_pools(pool).isolated[field.full_name] is isolated


def our_findings(pool: DescriptorPool) -> Counter[tuple[str, int, str]]:
    """(file, line of the field, message) of every example finding for ``PROTOS``."""
    found: Counter[tuple[str, int, str]] = Counter()
    for name in PROTOS:
        pending = list(pool.FindFileByName(name).message_types_by_name.values())
        while pending:
            descriptor = pending.pop()
            pending += [nested for nested in descriptor.nested_types if not nested.GetOptions().map_entry]
            for field in descriptor.fields:
                line = declarations(name)[field.name]
                for target, rules in levels(pool, field).items():
                    found.update((name, line, text) for _, text in example_findings(pool, field, rules, target))
    return found


def declarations(name: str) -> dict[str, int]:
    """The line each field of one of ``PROTOS`` starts on, by field name (field names are unique there)."""
    lines = enumerate(PROTOS[name].splitlines(), 1)
    return {match[1]: number for number, text in lines if (match := re.search(r"\b(\w+) = \d+ \[", text))}


def field_line(name: str, line: int) -> int:
    """The line of the field declaration a line of one of ``PROTOS`` belongs to."""
    return max(start for start in declarations(name).values() if start <= line)


def masked(text: str) -> str:
    """A message with the Go pointer of a Duration/Timestamp/FieldMask example replaced by ours."""
    return re.sub(r"&\{\{\} \[\] \[\] 0x[0-9a-f]+\}", GO_MESSAGE_POINTER, text)


@pytest.mark.skipif(find_buf() is None, reason="buf is not installed")
def test_example_findings_match_buf(tmp_path: Path) -> None:
    root = write_module(tmp_path)
    buf = subprocess.run(
        [str(find_buf()), "lint", "--error-format", "json"], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert buf.returncode in (0, 100), buf.stderr
    theirs: Counter[tuple[str, int, str]] = Counter()
    for line in buf.stdout.splitlines():
        finding = json.loads(line)
        if " is an example value but does not satisfy rule " in finding["message"]:
            path = finding["path"]
            theirs[path, field_line(path, finding["start_line"]), masked(finding["message"])] += 1
    ours = our_findings(compile_module(root))
    assert ours == theirs
    assert sum(theirs.values()) >= 50
