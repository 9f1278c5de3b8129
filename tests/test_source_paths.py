"""Tests of ``protokit.index.source_paths``, the port of Buf's ``protosourcepath`` package.

The four tables are the cases of Buf's ``protosourcepath_test.go``: for every source location of
its ``testdata/proto{2,3}/test.proto`` (embedded below), the associated paths that
``getAssociatedSourcePaths`` returns, with and without child paths.  They are written as in Go,
keyed by ``protoreflect.SourcePath.String()`` (``.message_type[0].field[1].name``); cases with the
same expectation are grouped.  As the Go test, ``test_every_location_has_a_case`` checks that every
location of the compiled test file has a case (protoc, unlike Buf's compiler, gives no locations
inside the extension range options; those cases are tested all the same).

The other tests cover what the Go test does not: the errors, and paths of declarations absent from
its test files (oneofs, enum options, reserved ranges, file options and extensions, editions),
with the expectations read from the Go code.

``data/comment_ignores/cases.yaml`` holds modules with ``// buf:lint:ignore`` comments in various
places and what ``buf lint`` reports for them; ``test_comment_ignores_against_buf`` checks that data
against buf (when installed), and ``test_comment_ignores_explained_by_associated_paths`` checks that
the associated paths explain which findings the comments silence.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from conftest import find_buf
from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import Descriptor
from grpc_tools import protoc

from protokit.index.source_paths import associated_paths

SourcePath = tuple[int, ...]


class GoTable(NamedTuple):
    """One call of ``testGetAssociatedSourcePaths``: its file, its flag and its cases."""

    file: str
    exclude_children: bool
    cases: list[tuple[list[str], list[SourcePath]]]  # Go paths sharing one expectation


def parse_go_path(text: str) -> SourcePath:
    """The path of a ``protoreflect.SourcePath.String()``: ``.message_type[0].name`` is ``(4, 0, 1)``."""
    message: Descriptor | None = descriptor_pb2.FileDescriptorProto.DESCRIPTOR
    path: list[int] = []
    for name, index in re.findall(r"\.(\w+)(?:\[(\d+)\])?", text):
        assert message is not None, text
        field = message.fields_by_name[name]
        path.append(field.number)
        if index:
            path.append(int(index))
        message = field.message_type
    return tuple(path)


# Buf's private/pkg/protosourcepath/testdata.
GO_TESTDATA = {
    "testdata/proto2/import.proto": """\
syntax = "proto2";

package foo;

message Import {}
""",
    "testdata/proto2/test.proto": """\
syntax = "proto2";

package foo;

import "testdata/proto2/import.proto";

service Foo {
  rpc GetFoo(GetFooRequest) returns (GetFooResponse);
  rpc GetFoos(stream GetFoosRequest) returns (stream GetFooResponse);
}

message GetFooRequest {
  required string id = 1;
}

message GetFooResponse {
  message Value {
    required string id = 1;
    optional foo.Import imported_value = 2;
    extensions 3 to 10 [
     verification = DECLARATION,
      declaration = {
        number: 3,
        full_name: ".foo.Bar.bar",
        repeated: true,
        type: "int32",
      },
      declaration = {
        number: 7,
        full_name: ".foo.Bar.barbar",
        type: "string"
      }
    ];
  }
  repeated Value values = 1;
}

message GetFoosRequest {
  map<string, string> kv = 1;
}

message GetFoosResponse {
  repeated bytes content = 1;
  reserved "id", "values";
}

message Bar {
  extend GetFooResponse.Value {
    repeated int32 bar = 3;
    optional string barbar = 7 [default = "hello"];
  }
}
""",
    "testdata/proto3/import.proto": """\
syntax = "proto3";

package foo;

message Import {}
""",
    "testdata/proto3/test.proto": """\
syntax = "proto3";

package foo;

import "testdata/proto3/import.proto";

service Foo {
  rpc GetFoo(GetFooRequest) returns (GetFooResponse);
  rpc GetFoos(stream GetFoosRequest) returns (stream GetFooResponse);
}

message GetFooRequest {
  string id = 1;
}

message GetFooResponse {
  message Value {
    optional string id = 1;
    foo.Import imported_value = 2;
  }
  enum Status {
    STATUS_UNSPECIFIED = 0;
    STATUS_VERIFIED = 1;
  }
  repeated Value values = 1;
  Status status = 2;
}

message GetFoosRequest {
  map<string, string> kv = 1;
}

message GetFoosResponse {
  repeated bytes content = 1;
  reserved "id", "values";
}
""",
}


PROTO2_PARENTS = GoTable(
    "testdata/proto2/test.proto",
    exclude_children=True,
    cases=[
        ([".syntax"], [(12,)]),
        ([".package"], [(2,)]),
        ([".dependency[0]"], [(3, 0)]),
        ([".service[0]", ".service[0].name"], [(6, 0)]),
        (
            [
                ".service[0].method[0]",
                ".service[0].method[0].name",
                ".service[0].method[0].input_type",
                ".service[0].method[0].output_type",
            ],
            [(6, 0), (6, 0, 2, 0)],
        ),
        (
            [
                ".service[0].method[1]",
                ".service[0].method[1].name",
                ".service[0].method[1].client_streaming",
                ".service[0].method[1].input_type",
                ".service[0].method[1].server_streaming",
                ".service[0].method[1].output_type",
            ],
            [(6, 0), (6, 0, 2, 1)],
        ),
        ([".message_type[0]", ".message_type[0].name"], [(4, 0)]),
        (
            [
                ".message_type[0].field[0]",
                ".message_type[0].field[0].label",
                ".message_type[0].field[0].type",
                ".message_type[0].field[0].name",
                ".message_type[0].field[0].number",
            ],
            [(4, 0), (4, 0, 2, 0)],
        ),
        ([".message_type[1]", ".message_type[1].name"], [(4, 1)]),
        ([".message_type[1].nested_type[0]", ".message_type[1].nested_type[0].name"], [(4, 1), (4, 1, 3, 0)]),
        (
            [
                ".message_type[1].nested_type[0].field[0]",
                ".message_type[1].nested_type[0].field[0].label",
                ".message_type[1].nested_type[0].field[0].type",
                ".message_type[1].nested_type[0].field[0].name",
                ".message_type[1].nested_type[0].field[0].number",
            ],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 2, 0)],
        ),
        (
            [
                ".message_type[1].nested_type[0].field[1]",
                ".message_type[1].nested_type[0].field[1].label",
                ".message_type[1].nested_type[0].field[1].type_name",
                ".message_type[1].nested_type[0].field[1].name",
                ".message_type[1].nested_type[0].field[1].number",
            ],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 2, 1)],
        ),
        ([".message_type[1].nested_type[0].extension_range"], [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5)]),
        (
            [
                ".message_type[1].nested_type[0].extension_range[0]",
                ".message_type[1].nested_type[0].extension_range[0].start",
                ".message_type[1].nested_type[0].extension_range[0].end",
            ],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0)],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options"],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0), (4, 1, 3, 0, 5, 0, 3)],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.verification"],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0), (4, 1, 3, 0, 5, 0, 3, 3)],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[0]"],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0), (4, 1, 3, 0, 5, 0, 3, 2, 0)],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[0].number"],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0), (4, 1, 3, 0, 5, 0, 3, 2, 0, 1)],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[0].full_name"],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0), (4, 1, 3, 0, 5, 0, 3, 2, 0, 2)],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[0].repeated"],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0), (4, 1, 3, 0, 5, 0, 3, 2, 0, 6)],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[0].type"],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0), (4, 1, 3, 0, 5, 0, 3, 2, 0, 3)],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[1]"],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0), (4, 1, 3, 0, 5, 0, 3, 2, 1)],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[1].number"],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0), (4, 1, 3, 0, 5, 0, 3, 2, 1, 1)],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[1].full_name"],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0), (4, 1, 3, 0, 5, 0, 3, 2, 1, 2)],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[1].type"],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 5), (4, 1, 3, 0, 5, 0), (4, 1, 3, 0, 5, 0, 3, 2, 1, 3)],
        ),
        (
            [
                ".message_type[1].field[0]",
                ".message_type[1].field[0].label",
                ".message_type[1].field[0].type_name",
                ".message_type[1].field[0].name",
                ".message_type[1].field[0].number",
            ],
            [(4, 1), (4, 1, 2, 0)],
        ),
        ([".message_type[2]", ".message_type[2].name"], [(4, 2)]),
        (
            [
                ".message_type[2].field[0]",
                ".message_type[2].field[0].type_name",
                ".message_type[2].field[0].name",
                ".message_type[2].field[0].number",
            ],
            [(4, 2), (4, 2, 2, 0)],
        ),
        ([".message_type[3]", ".message_type[3].name"], [(4, 3)]),
        (
            [
                ".message_type[3].field[0]",
                ".message_type[3].field[0].label",
                ".message_type[3].field[0].type",
                ".message_type[3].field[0].name",
                ".message_type[3].field[0].number",
            ],
            [(4, 3), (4, 3, 2, 0)],
        ),
        ([".message_type[3].reserved_name"], [(4, 3), (4, 3, 10)]),
        ([".message_type[3].reserved_name[0]"], [(4, 3), (4, 3, 10), (4, 3, 10, 0)]),
        ([".message_type[3].reserved_name[1]"], [(4, 3), (4, 3, 10), (4, 3, 10, 1)]),
        ([".message_type[4]", ".message_type[4].name"], [(4, 4)]),
        ([".message_type[4].extension"], [(4, 4), (4, 4, 6)]),
        (
            [
                ".message_type[4].extension[0]",
                ".message_type[4].extension[0].extendee",
                ".message_type[4].extension[0].label",
                ".message_type[4].extension[0].type",
                ".message_type[4].extension[0].name",
                ".message_type[4].extension[0].number",
            ],
            [(4, 4), (4, 4, 6), (4, 4, 6, 0)],
        ),
        (
            [
                ".message_type[4].extension[1]",
                ".message_type[4].extension[1].extendee",
                ".message_type[4].extension[1].label",
                ".message_type[4].extension[1].type",
                ".message_type[4].extension[1].name",
                ".message_type[4].extension[1].number",
            ],
            [(4, 4), (4, 4, 6), (4, 4, 6, 1)],
        ),
        ([".message_type[4].extension[1].options"], [(4, 4), (4, 4, 6), (4, 4, 6, 1), (4, 4, 6, 1, 8)]),
        ([".message_type[4].extension[1].default_value"], [(4, 4), (4, 4, 6), (4, 4, 6, 1), (4, 4, 6, 1, 7)]),
    ],
)

PROTO2_ALL = GoTable(
    "testdata/proto2/test.proto",
    exclude_children=False,
    cases=[
        ([".syntax"], [(12,)]),
        ([".package"], [(2,)]),
        ([".dependency[0]"], [(3, 0)]),
        ([".service[0]", ".service[0].name"], [(6, 0), (6, 0, 1)]),
        (
            [
                ".service[0].method[0]",
                ".service[0].method[0].name",
                ".service[0].method[0].input_type",
                ".service[0].method[0].output_type",
            ],
            [
                (6, 0),
                (6, 0, 1),
                (6, 0, 2, 0),
                (6, 0, 2, 0, 1),
                (6, 0, 2, 0, 2),
                (6, 0, 2, 0, 3),
                (6, 0, 2, 0, 5),
                (6, 0, 2, 0, 6),
            ],
        ),
        (
            [
                ".service[0].method[1]",
                ".service[0].method[1].name",
                ".service[0].method[1].client_streaming",
                ".service[0].method[1].input_type",
                ".service[0].method[1].server_streaming",
                ".service[0].method[1].output_type",
            ],
            [
                (6, 0),
                (6, 0, 1),
                (6, 0, 2, 1),
                (6, 0, 2, 1, 1),
                (6, 0, 2, 1, 2),
                (6, 0, 2, 1, 3),
                (6, 0, 2, 1, 5),
                (6, 0, 2, 1, 6),
            ],
        ),
        ([".message_type[0]", ".message_type[0].name"], [(4, 0), (4, 0, 1)]),
        (
            [
                ".message_type[0].field[0]",
                ".message_type[0].field[0].label",
                ".message_type[0].field[0].type",
                ".message_type[0].field[0].name",
                ".message_type[0].field[0].number",
            ],
            [
                (4, 0),
                (4, 0, 1),
                (4, 0, 2, 0),
                (4, 0, 2, 0, 1),
                (4, 0, 2, 0, 3),
                (4, 0, 2, 0, 4),
                (4, 0, 2, 0, 5),
                (4, 0, 2, 0, 6),
            ],
        ),
        ([".message_type[1]", ".message_type[1].name"], [(4, 1), (4, 1, 1)]),
        (
            [".message_type[1].nested_type[0]", ".message_type[1].nested_type[0].name"],
            [(4, 1), (4, 1, 1), (4, 1, 3, 0), (4, 1, 3, 0, 1)],
        ),
        (
            [
                ".message_type[1].nested_type[0].field[0]",
                ".message_type[1].nested_type[0].field[0].label",
                ".message_type[1].nested_type[0].field[0].type",
                ".message_type[1].nested_type[0].field[0].name",
                ".message_type[1].nested_type[0].field[0].number",
            ],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 2, 0),
                (4, 1, 3, 0, 2, 0, 1),
                (4, 1, 3, 0, 2, 0, 3),
                (4, 1, 3, 0, 2, 0, 4),
                (4, 1, 3, 0, 2, 0, 5),
                (4, 1, 3, 0, 2, 0, 6),
            ],
        ),
        (
            [
                ".message_type[1].nested_type[0].field[1]",
                ".message_type[1].nested_type[0].field[1].label",
                ".message_type[1].nested_type[0].field[1].type_name",
                ".message_type[1].nested_type[0].field[1].name",
                ".message_type[1].nested_type[0].field[1].number",
            ],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 2, 1),
                (4, 1, 3, 0, 2, 1, 1),
                (4, 1, 3, 0, 2, 1, 3),
                (4, 1, 3, 0, 2, 1, 4),
                (4, 1, 3, 0, 2, 1, 5),
                (4, 1, 3, 0, 2, 1, 6),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range"],
            [(4, 1), (4, 1, 1), (4, 1, 3, 0), (4, 1, 3, 0, 1), (4, 1, 3, 0, 5)],
        ),
        (
            [
                ".message_type[1].nested_type[0].extension_range[0]",
                ".message_type[1].nested_type[0].extension_range[0].start",
                ".message_type[1].nested_type[0].extension_range[0].end",
            ],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options"],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
                (4, 1, 3, 0, 5, 0, 3),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.verification"],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
                (4, 1, 3, 0, 5, 0, 3, 3),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[0]"],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
                (4, 1, 3, 0, 5, 0, 3, 2, 0),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[0].number"],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
                (4, 1, 3, 0, 5, 0, 3, 2, 0, 1),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[0].full_name"],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
                (4, 1, 3, 0, 5, 0, 3, 2, 0, 2),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[0].repeated"],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
                (4, 1, 3, 0, 5, 0, 3, 2, 0, 6),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[0].type"],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
                (4, 1, 3, 0, 5, 0, 3, 2, 0, 3),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[1]"],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
                (4, 1, 3, 0, 5, 0, 3, 2, 1),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[1].number"],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
                (4, 1, 3, 0, 5, 0, 3, 2, 1, 1),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[1].full_name"],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
                (4, 1, 3, 0, 5, 0, 3, 2, 1, 2),
            ],
        ),
        (
            [".message_type[1].nested_type[0].extension_range[0].options.declaration[1].type"],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 5),
                (4, 1, 3, 0, 5, 0),
                (4, 1, 3, 0, 5, 0, 1),
                (4, 1, 3, 0, 5, 0, 2),
                (4, 1, 3, 0, 5, 0, 3, 2, 1, 3),
            ],
        ),
        (
            [
                ".message_type[1].field[0]",
                ".message_type[1].field[0].label",
                ".message_type[1].field[0].type_name",
                ".message_type[1].field[0].name",
                ".message_type[1].field[0].number",
            ],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 2, 0),
                (4, 1, 2, 0, 1),
                (4, 1, 2, 0, 3),
                (4, 1, 2, 0, 4),
                (4, 1, 2, 0, 5),
                (4, 1, 2, 0, 6),
            ],
        ),
        ([".message_type[2]", ".message_type[2].name"], [(4, 2), (4, 2, 1)]),
        (
            [
                ".message_type[2].field[0]",
                ".message_type[2].field[0].type_name",
                ".message_type[2].field[0].name",
                ".message_type[2].field[0].number",
            ],
            [
                (4, 2),
                (4, 2, 1),
                (4, 2, 2, 0),
                (4, 2, 2, 0, 1),
                (4, 2, 2, 0, 3),
                (4, 2, 2, 0, 4),
                (4, 2, 2, 0, 5),
                (4, 2, 2, 0, 6),
            ],
        ),
        ([".message_type[3]", ".message_type[3].name"], [(4, 3), (4, 3, 1)]),
        (
            [
                ".message_type[3].field[0]",
                ".message_type[3].field[0].label",
                ".message_type[3].field[0].type",
                ".message_type[3].field[0].name",
                ".message_type[3].field[0].number",
            ],
            [
                (4, 3),
                (4, 3, 1),
                (4, 3, 2, 0),
                (4, 3, 2, 0, 1),
                (4, 3, 2, 0, 3),
                (4, 3, 2, 0, 4),
                (4, 3, 2, 0, 5),
                (4, 3, 2, 0, 6),
            ],
        ),
        ([".message_type[3].reserved_name"], [(4, 3), (4, 3, 1), (4, 3, 10)]),
        ([".message_type[3].reserved_name[0]"], [(4, 3), (4, 3, 1), (4, 3, 10), (4, 3, 10, 0)]),
        ([".message_type[3].reserved_name[1]"], [(4, 3), (4, 3, 1), (4, 3, 10), (4, 3, 10, 1)]),
        ([".message_type[4]", ".message_type[4].name"], [(4, 4), (4, 4, 1)]),
        ([".message_type[4].extension"], [(4, 4), (4, 4, 1), (4, 4, 6)]),
        (
            [
                ".message_type[4].extension[0]",
                ".message_type[4].extension[0].extendee",
                ".message_type[4].extension[0].label",
                ".message_type[4].extension[0].type",
                ".message_type[4].extension[0].name",
                ".message_type[4].extension[0].number",
            ],
            [
                (4, 4),
                (4, 4, 1),
                (4, 4, 6),
                (4, 4, 6, 0),
                (4, 4, 6, 0, 1),
                (4, 4, 6, 0, 3),
                (4, 4, 6, 0, 4),
                (4, 4, 6, 0, 5),
                (4, 4, 6, 0, 6),
                (4, 4, 6, 0, 2),
            ],
        ),
        (
            [
                ".message_type[4].extension[1]",
                ".message_type[4].extension[1].extendee",
                ".message_type[4].extension[1].label",
                ".message_type[4].extension[1].type",
                ".message_type[4].extension[1].name",
                ".message_type[4].extension[1].number",
            ],
            [
                (4, 4),
                (4, 4, 1),
                (4, 4, 6),
                (4, 4, 6, 1),
                (4, 4, 6, 1, 1),
                (4, 4, 6, 1, 3),
                (4, 4, 6, 1, 4),
                (4, 4, 6, 1, 5),
                (4, 4, 6, 1, 6),
                (4, 4, 6, 1, 2),
            ],
        ),
        (
            [".message_type[4].extension[1].options"],
            [
                (4, 4),
                (4, 4, 1),
                (4, 4, 6),
                (4, 4, 6, 1),
                (4, 4, 6, 1, 1),
                (4, 4, 6, 1, 3),
                (4, 4, 6, 1, 4),
                (4, 4, 6, 1, 5),
                (4, 4, 6, 1, 6),
                (4, 4, 6, 1, 2),
                (4, 4, 6, 1, 8),
            ],
        ),
        (
            [".message_type[4].extension[1].default_value"],
            [
                (4, 4),
                (4, 4, 1),
                (4, 4, 6),
                (4, 4, 6, 1),
                (4, 4, 6, 1, 1),
                (4, 4, 6, 1, 3),
                (4, 4, 6, 1, 4),
                (4, 4, 6, 1, 5),
                (4, 4, 6, 1, 6),
                (4, 4, 6, 1, 2),
                (4, 4, 6, 1, 7),
            ],
        ),
    ],
)

PROTO3_PARENTS = GoTable(
    "testdata/proto3/test.proto",
    exclude_children=True,
    cases=[
        ([".syntax"], [(12,)]),
        ([".package"], [(2,)]),
        ([".dependency[0]"], [(3, 0)]),
        ([".service[0]", ".service[0].name"], [(6, 0)]),
        (
            [
                ".service[0].method[0]",
                ".service[0].method[0].name",
                ".service[0].method[0].input_type",
                ".service[0].method[0].output_type",
            ],
            [(6, 0), (6, 0, 2, 0)],
        ),
        (
            [
                ".service[0].method[1]",
                ".service[0].method[1].name",
                ".service[0].method[1].client_streaming",
                ".service[0].method[1].input_type",
                ".service[0].method[1].server_streaming",
                ".service[0].method[1].output_type",
            ],
            [(6, 0), (6, 0, 2, 1)],
        ),
        ([".message_type[0]", ".message_type[0].name"], [(4, 0)]),
        (
            [
                ".message_type[0].field[0]",
                ".message_type[0].field[0].type",
                ".message_type[0].field[0].name",
                ".message_type[0].field[0].number",
            ],
            [(4, 0), (4, 0, 2, 0)],
        ),
        ([".message_type[1]", ".message_type[1].name"], [(4, 1)]),
        ([".message_type[1].nested_type[0]", ".message_type[1].nested_type[0].name"], [(4, 1), (4, 1, 3, 0)]),
        (
            [
                ".message_type[1].nested_type[0].field[0]",
                ".message_type[1].nested_type[0].field[0].label",
                ".message_type[1].nested_type[0].field[0].type",
                ".message_type[1].nested_type[0].field[0].name",
                ".message_type[1].nested_type[0].field[0].number",
            ],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 2, 0)],
        ),
        (
            [
                ".message_type[1].nested_type[0].field[1]",
                ".message_type[1].nested_type[0].field[1].type_name",
                ".message_type[1].nested_type[0].field[1].name",
                ".message_type[1].nested_type[0].field[1].number",
            ],
            [(4, 1), (4, 1, 3, 0), (4, 1, 3, 0, 2, 1)],
        ),
        ([".message_type[1].enum_type[0]", ".message_type[1].enum_type[0].name"], [(4, 1), (4, 1, 4, 0)]),
        (
            [
                ".message_type[1].enum_type[0].value[0]",
                ".message_type[1].enum_type[0].value[0].name",
                ".message_type[1].enum_type[0].value[0].number",
            ],
            [(4, 1), (4, 1, 4, 0), (4, 1, 4, 0, 2, 0)],
        ),
        (
            [
                ".message_type[1].enum_type[0].value[1]",
                ".message_type[1].enum_type[0].value[1].name",
                ".message_type[1].enum_type[0].value[1].number",
            ],
            [(4, 1), (4, 1, 4, 0), (4, 1, 4, 0, 2, 1)],
        ),
        (
            [
                ".message_type[1].field[0]",
                ".message_type[1].field[0].label",
                ".message_type[1].field[0].type_name",
                ".message_type[1].field[0].name",
                ".message_type[1].field[0].number",
            ],
            [(4, 1), (4, 1, 2, 0)],
        ),
        (
            [
                ".message_type[1].field[1]",
                ".message_type[1].field[1].type_name",
                ".message_type[1].field[1].name",
                ".message_type[1].field[1].number",
            ],
            [(4, 1), (4, 1, 2, 1)],
        ),
        ([".message_type[2]", ".message_type[2].name"], [(4, 2)]),
        (
            [
                ".message_type[2].field[0]",
                ".message_type[2].field[0].type_name",
                ".message_type[2].field[0].name",
                ".message_type[2].field[0].number",
            ],
            [(4, 2), (4, 2, 2, 0)],
        ),
        ([".message_type[3]", ".message_type[3].name"], [(4, 3)]),
        (
            [
                ".message_type[3].field[0]",
                ".message_type[3].field[0].label",
                ".message_type[3].field[0].type",
                ".message_type[3].field[0].name",
                ".message_type[3].field[0].number",
            ],
            [(4, 3), (4, 3, 2, 0)],
        ),
        ([".message_type[3].reserved_name"], [(4, 3), (4, 3, 10)]),
        ([".message_type[3].reserved_name[0]"], [(4, 3), (4, 3, 10), (4, 3, 10, 0)]),
        ([".message_type[3].reserved_name[1]"], [(4, 3), (4, 3, 10), (4, 3, 10, 1)]),
    ],
)

PROTO3_ALL = GoTable(
    "testdata/proto3/test.proto",
    exclude_children=False,
    cases=[
        ([".syntax"], [(12,)]),
        ([".package"], [(2,)]),
        ([".dependency[0]"], [(3, 0)]),
        ([".service[0]", ".service[0].name"], [(6, 0), (6, 0, 1)]),
        (
            [
                ".service[0].method[0]",
                ".service[0].method[0].name",
                ".service[0].method[0].input_type",
                ".service[0].method[0].output_type",
            ],
            [
                (6, 0),
                (6, 0, 1),
                (6, 0, 2, 0),
                (6, 0, 2, 0, 1),
                (6, 0, 2, 0, 2),
                (6, 0, 2, 0, 3),
                (6, 0, 2, 0, 5),
                (6, 0, 2, 0, 6),
            ],
        ),
        (
            [
                ".service[0].method[1]",
                ".service[0].method[1].name",
                ".service[0].method[1].client_streaming",
                ".service[0].method[1].input_type",
                ".service[0].method[1].server_streaming",
                ".service[0].method[1].output_type",
            ],
            [
                (6, 0),
                (6, 0, 1),
                (6, 0, 2, 1),
                (6, 0, 2, 1, 1),
                (6, 0, 2, 1, 2),
                (6, 0, 2, 1, 3),
                (6, 0, 2, 1, 5),
                (6, 0, 2, 1, 6),
            ],
        ),
        ([".message_type[0]", ".message_type[0].name"], [(4, 0), (4, 0, 1)]),
        (
            [
                ".message_type[0].field[0]",
                ".message_type[0].field[0].type",
                ".message_type[0].field[0].name",
                ".message_type[0].field[0].number",
            ],
            [
                (4, 0),
                (4, 0, 1),
                (4, 0, 2, 0),
                (4, 0, 2, 0, 1),
                (4, 0, 2, 0, 3),
                (4, 0, 2, 0, 4),
                (4, 0, 2, 0, 5),
                (4, 0, 2, 0, 6),
            ],
        ),
        ([".message_type[1]", ".message_type[1].name"], [(4, 1), (4, 1, 1)]),
        (
            [".message_type[1].nested_type[0]", ".message_type[1].nested_type[0].name"],
            [(4, 1), (4, 1, 1), (4, 1, 3, 0), (4, 1, 3, 0, 1)],
        ),
        (
            [
                ".message_type[1].nested_type[0].field[0]",
                ".message_type[1].nested_type[0].field[0].label",
                ".message_type[1].nested_type[0].field[0].type",
                ".message_type[1].nested_type[0].field[0].name",
                ".message_type[1].nested_type[0].field[0].number",
            ],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 2, 0),
                (4, 1, 3, 0, 2, 0, 1),
                (4, 1, 3, 0, 2, 0, 3),
                (4, 1, 3, 0, 2, 0, 4),
                (4, 1, 3, 0, 2, 0, 5),
                (4, 1, 3, 0, 2, 0, 6),
            ],
        ),
        (
            [
                ".message_type[1].nested_type[0].field[1]",
                ".message_type[1].nested_type[0].field[1].type_name",
                ".message_type[1].nested_type[0].field[1].name",
                ".message_type[1].nested_type[0].field[1].number",
            ],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 3, 0),
                (4, 1, 3, 0, 1),
                (4, 1, 3, 0, 2, 1),
                (4, 1, 3, 0, 2, 1, 1),
                (4, 1, 3, 0, 2, 1, 3),
                (4, 1, 3, 0, 2, 1, 4),
                (4, 1, 3, 0, 2, 1, 5),
                (4, 1, 3, 0, 2, 1, 6),
            ],
        ),
        (
            [".message_type[1].enum_type[0]", ".message_type[1].enum_type[0].name"],
            [(4, 1), (4, 1, 1), (4, 1, 4, 0), (4, 1, 4, 0, 1)],
        ),
        (
            [
                ".message_type[1].enum_type[0].value[0]",
                ".message_type[1].enum_type[0].value[0].name",
                ".message_type[1].enum_type[0].value[0].number",
            ],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 4, 0),
                (4, 1, 4, 0, 1),
                (4, 1, 4, 0, 2, 0),
                (4, 1, 4, 0, 2, 0, 1),
                (4, 1, 4, 0, 2, 0, 2),
            ],
        ),
        (
            [
                ".message_type[1].enum_type[0].value[1]",
                ".message_type[1].enum_type[0].value[1].name",
                ".message_type[1].enum_type[0].value[1].number",
            ],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 4, 0),
                (4, 1, 4, 0, 1),
                (4, 1, 4, 0, 2, 1),
                (4, 1, 4, 0, 2, 1, 1),
                (4, 1, 4, 0, 2, 1, 2),
            ],
        ),
        (
            [
                ".message_type[1].field[0]",
                ".message_type[1].field[0].label",
                ".message_type[1].field[0].type_name",
                ".message_type[1].field[0].name",
                ".message_type[1].field[0].number",
            ],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 2, 0),
                (4, 1, 2, 0, 1),
                (4, 1, 2, 0, 3),
                (4, 1, 2, 0, 4),
                (4, 1, 2, 0, 5),
                (4, 1, 2, 0, 6),
            ],
        ),
        (
            [
                ".message_type[1].field[1]",
                ".message_type[1].field[1].type_name",
                ".message_type[1].field[1].name",
                ".message_type[1].field[1].number",
            ],
            [
                (4, 1),
                (4, 1, 1),
                (4, 1, 2, 1),
                (4, 1, 2, 1, 1),
                (4, 1, 2, 1, 3),
                (4, 1, 2, 1, 4),
                (4, 1, 2, 1, 5),
                (4, 1, 2, 1, 6),
            ],
        ),
        ([".message_type[2]", ".message_type[2].name"], [(4, 2), (4, 2, 1)]),
        (
            [
                ".message_type[2].field[0]",
                ".message_type[2].field[0].type_name",
                ".message_type[2].field[0].name",
                ".message_type[2].field[0].number",
            ],
            [
                (4, 2),
                (4, 2, 1),
                (4, 2, 2, 0),
                (4, 2, 2, 0, 1),
                (4, 2, 2, 0, 3),
                (4, 2, 2, 0, 4),
                (4, 2, 2, 0, 5),
                (4, 2, 2, 0, 6),
            ],
        ),
        ([".message_type[3]", ".message_type[3].name"], [(4, 3), (4, 3, 1)]),
        (
            [
                ".message_type[3].field[0]",
                ".message_type[3].field[0].label",
                ".message_type[3].field[0].type",
                ".message_type[3].field[0].name",
                ".message_type[3].field[0].number",
            ],
            [
                (4, 3),
                (4, 3, 1),
                (4, 3, 2, 0),
                (4, 3, 2, 0, 1),
                (4, 3, 2, 0, 3),
                (4, 3, 2, 0, 4),
                (4, 3, 2, 0, 5),
                (4, 3, 2, 0, 6),
            ],
        ),
        ([".message_type[3].reserved_name"], [(4, 3), (4, 3, 1), (4, 3, 10)]),
        ([".message_type[3].reserved_name[0]"], [(4, 3), (4, 3, 1), (4, 3, 10), (4, 3, 10, 0)]),
        ([".message_type[3].reserved_name[1]"], [(4, 3), (4, 3, 1), (4, 3, 10), (4, 3, 10, 1)]),
    ],
)

GO_TABLES = {
    "proto2_parents": PROTO2_PARENTS,
    "proto2_all": PROTO2_ALL,
    "proto3_parents": PROTO3_PARENTS,
    "proto3_all": PROTO3_ALL,
}

GO_CASES = [
    pytest.param(go_path, table.exclude_children, expected, id=f"{name}:{go_path}")
    for name, table in GO_TABLES.items()
    for go_paths, expected in table.cases
    for go_path in go_paths
]


def test_go_case_count() -> None:
    """Every case of protosourcepath_test.go is here: 89 per proto2 table and 67 per proto3 table."""
    counts = {name: sum(len(go_paths) for go_paths, _ in table.cases) for name, table in GO_TABLES.items()}
    assert counts == {"proto2_parents": 89, "proto2_all": 89, "proto3_parents": 67, "proto3_all": 67}
    assert len(GO_CASES) == 312


@pytest.mark.parametrize(("go_path", "exclude_children", "expected"), GO_CASES)
def test_go_cases(go_path: str, exclude_children: bool, expected: list[SourcePath]) -> None:
    assert associated_paths(parse_go_path(go_path), exclude_children=exclude_children) == expected


@pytest.mark.parametrize("name", GO_TABLES)
def test_every_location_has_a_case(name: str, tmp_path: Path) -> None:
    """As in Go: each location of the compiled test file has a case in its table (and no error)."""
    table = GO_TABLES[name]
    for relative, text in GO_TESTDATA.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    out = tmp_path / "out.binpb"
    assert (
        protoc.main(["protoc", f"-I{tmp_path}", "--include_source_info", f"-o{out}", str(tmp_path / table.file)]) == 0
    )
    (compiled,) = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file
    cases = {parse_go_path(go_path): expected for go_paths, expected in table.cases for go_path in go_paths}
    locations = [tuple(location.path) for location in compiled.source_code_info.location if location.path]
    assert locations and set(locations) <= set(cases)
    for path in locations:
        assert associated_paths(path, exclude_children=table.exclude_children) == cases[path], path


def test_parse_go_path() -> None:
    assert parse_go_path(".syntax") == (12,)
    assert parse_go_path(".message_type[1].nested_type[0].field[1].type_name") == (4, 1, 3, 0, 2, 1, 6)
    assert parse_go_path(".message_type[1].nested_type[0].extension_range[0].options.declaration[1].full_name") == (
        4, 1, 3, 0, 5, 0, 3, 2, 1, 2,
    )  # fmt: skip


# Paths the Go test files do not have, with what the Go code returns for them.
MORE_CASES = [
    pytest.param((), True, [], id="empty path"),
    pytest.param((14,), True, [(14,)], id="edition"),
    pytest.param((8,), True, [(8,)], id="file options"),
    pytest.param((8, 11), True, [(8, 11)], id="file option optimize_for: the full path"),
    pytest.param((8, 999, 0, 2, 0, 1), True, [(8, 999, 0, 2, 0, 1)], id="uninterpreted file option"),
    pytest.param((4, 0, 7, 3), True, [(4, 0), (4, 0, 7, 3)], id="message option deprecated"),
    pytest.param((4, 0, 7, 50000, 1), False, [(4, 0), (4, 0, 1), (4, 0, 7, 50000, 1)], id="custom message option"),
    pytest.param((4, 0, 2, 1, 8, 3), True, [(4, 0), (4, 0, 2, 1), (4, 0, 2, 1, 8, 3)], id="field option"),
    pytest.param((4, 0, 2, 1, 7), True, [(4, 0), (4, 0, 2, 1), (4, 0, 2, 1, 7)], id="field default"),
    pytest.param((4, 0, 8, 0), True, [(4, 0), (4, 0, 8, 0)], id="oneof"),
    pytest.param((4, 0, 8, 0, 1), False, [(4, 0), (4, 0, 1), (4, 0, 8, 0), (4, 0, 8, 0, 1)], id="oneof name"),
    pytest.param((4, 0, 8, 1, 2, 1), True, [(4, 0), (4, 0, 8, 1), (4, 0, 8, 1, 2, 1)], id="oneof option"),
    pytest.param((4, 0, 9), True, [(4, 0), (4, 0, 9)], id="message reserved ranges"),
    pytest.param((4, 0, 9, 1, 2), True, [(4, 0), (4, 0, 9), (4, 0, 9, 1)], id="message reserved range end"),
    pytest.param(
        (4, 0, 9, 1),
        False,
        [(4, 0), (4, 0, 1), (4, 0, 9), (4, 0, 9, 1), (4, 0, 9, 1, 1), (4, 0, 9, 1, 2)],
        id="message reserved range with children",
    ),
    pytest.param(
        (4, 0, 5, 0),
        False,
        [(4, 0), (4, 0, 1), (4, 0, 5), (4, 0, 5, 0), (4, 0, 5, 0, 1), (4, 0, 5, 0, 2)],
        id="extension range with children",
    ),  # fmt: skip
    pytest.param(
        (4, 0, 4, 1, 2, 0, 3, 1),
        True,
        [(4, 0), (4, 0, 4, 1), (4, 0, 4, 1, 2, 0), (4, 0, 4, 1, 2, 0, 3, 1)],
        id="nested enum value option",
    ),  # fmt: skip
    pytest.param((5, 0), False, [(5, 0), (5, 0, 1)], id="enum with children"),
    pytest.param((5, 0, 3, 2), True, [(5, 0), (5, 0, 3, 2)], id="enum option allow_alias"),
    pytest.param((5, 0, 4, 0, 1), True, [(5, 0), (5, 0, 4), (5, 0, 4, 0)], id="enum reserved range start"),
    pytest.param((5, 0, 5, 1), True, [(5, 0), (5, 0, 5), (5, 0, 5, 1)], id="enum reserved name"),
    pytest.param((6, 0, 3, 33), True, [(6, 0), (6, 0, 3, 33)], id="service option deprecated"),
    pytest.param((6, 0, 2, 0, 4, 34), True, [(6, 0), (6, 0, 2, 0), (6, 0, 2, 0, 4, 34)], id="method option"),
    pytest.param((7,), True, [(7,)], id="file extend blocks"),
    pytest.param((7, 0, 2), True, [(7,), (7, 0)], id="file extension extendee"),
    pytest.param(
        (7, 1),
        False,
        [(7,), (7, 1), (7, 1, 1), (7, 1, 3), (7, 1, 4), (7, 1, 5), (7, 1, 6), (7, 1, 2)],
        id="file extension with children: the extendee last",
    ),
]


@pytest.mark.parametrize(("path", "exclude_children", "expected"), MORE_CASES)
def test_more_cases(path: SourcePath, exclude_children: bool, expected: list[SourcePath]) -> None:
    assert associated_paths(path, exclude_children=exclude_children) == expected


def test_default_excludes_children_and_lists_are_accepted() -> None:
    assert associated_paths((4, 0, 2, 0, 1)) == [(4, 0), (4, 0, 2, 0)]
    assert associated_paths([4, 0, 2, 0, 1]) == [(4, 0), (4, 0, 2, 0)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ((1,), "invalid source path"),  # the file name has no location
        ((99,), "invalid source path"),
        ((3,), "cannot have dependency declaration without index"),
        ((4,), "cannot have message declaration without index"),
        ((5,), "cannot have enum declaration without index"),
        ((6,), "cannot have service declaration without index"),
        ((4, 0, 2), "cannot have field declaration without index"),
        ((4, 0, 8), "cannot have oneof declaration without index"),
        ((4, 0, 3), "cannot have a nested message declaration without index"),
        ((4, 0, 4), "cannot have a nested enum declaration without index"),
        ((5, 0, 2), "cannot have enum value declaration without index"),
        ((6, 0, 2), "cannot have method declaration without index"),
        ((4, 0, 11), "invalid message path"),
        ((4, 0, 2, 0, 10), "invalid field path"),  # json_name: Buf has no case for it
        ((4, 0, 2, 0, 9), "invalid field path"),  # oneof_index
        ((4, 0, 8, 0, 3), "invalid one of path"),
        ((4, 0, 5, 0, 4), "invalid extension range path"),
        ((4, 0, 9, 0, 3), "invalid reserved range path"),
        ((5, 0, 9), "invalid enum path"),
        ((5, 0, 2, 0, 4), "invalid enum value path"),
        ((6, 0, 4), "invalid service path"),
        ((6, 0, 2, 0, 7), "invalid method path"),
        ((2, 0), "unexpected termination, invalid source path"),
        ((3, 0, 1), "unexpected termination, invalid source path"),
        ((4, 0, 1, 0), "unexpected termination, invalid source path"),
        ((4, 0, 2, 0, 1, 0), "unexpected termination, invalid source path"),
        ((4, 0, 10, 0, 0), "unexpected termination, invalid source path"),
        ((4, 0, 9, 0, 1, 0), "unexpected termination, invalid source path"),
    ],
)
def test_invalid_paths(path: SourcePath, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"{message}: {list(path)}")):
        associated_paths(path)
    with pytest.raises(ValueError, match=re.escape(message)):
        associated_paths(path, exclude_children=False)


COMMENT_IGNORES = yaml.safe_load((Path(__file__).parent / "data" / "comment_ignores" / "cases.yaml").read_text())
IGNORE_CASES = [pytest.param(case, id=case["name"]) for case in COMMENT_IGNORES["cases"]]
Finding = list[str | int]  # [path, start_line, start_column, rule]


def write_module(root: Path, case: dict, buf_yaml: str) -> None:
    """The case's files and a ``buf.yaml`` in ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "buf.yaml").write_text(buf_yaml)
    for name, text in case["files"].items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def buf_lint(buf: str, root: Path) -> list[Finding]:
    """The findings of ``buf lint --error-format json`` in ``root``, sorted."""
    result = subprocess.run([buf, "lint", "--error-format", "json"], cwd=root, capture_output=True, text=True)
    assert result.returncode in (0, 100), result.stderr
    findings = [json.loads(line) for line in result.stdout.splitlines()]
    return sorted([f["path"], f["start_line"], f["start_column"], f["type"]] for f in findings)


@pytest.mark.parametrize("case", IGNORE_CASES)
def test_comment_ignores_against_buf(case: dict, tmp_path: Path) -> None:
    """buf reports ``findings`` with comment ignores, and ``silenced`` too when they are disallowed."""
    buf = find_buf()
    if buf is None:
        pytest.skip("buf is not installed (npm install @bufbuild/buf)")
    buf_yaml = COMMENT_IGNORES["buf_yaml"]
    write_module(tmp_path / "allowed", case, buf_yaml)
    write_module(tmp_path / "disallowed", case, buf_yaml + "  disallow_comment_ignores: true\n")
    assert buf_lint(buf, tmp_path / "allowed") == case["findings"]
    assert buf_lint(buf, tmp_path / "disallowed") == sorted(case["findings"] + case["silenced"])


@pytest.mark.parametrize("case", IGNORE_CASES)
def test_comment_ignores_explained_by_associated_paths(case: dict, tmp_path: Path) -> None:
    """Buf's rule on the recorded findings, with protoc's source locations: a finding is silenced when
    a line of the leading comments of one of its associated paths starts with ``buf:lint:ignore RULE``.

    A finding's source path is taken to be the longest one of the locations starting where it is
    reported; the comments of a path are those of its first location (as protobuf-go's ``ByPath``,
    which matters for the ``extension`` path (7,), one location per file-level ``extend`` block).
    """
    write_module(tmp_path, case, COMMENT_IGNORES["buf_yaml"])
    out = tmp_path / "out.binpb"
    assert protoc.main(["protoc", f"-I{tmp_path}", "--include_source_info", f"-o{out}", *case["files"]]) == 0
    files = {file.name: file for file in descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file}
    for expected, findings in ((False, case["findings"]), (True, case["silenced"])):
        for name, line, column, rule in findings:
            locations = files[name].source_code_info.location
            comments: dict[SourcePath, str] = {}
            for location in locations:
                comments.setdefault(tuple(location.path), location.leading_comments)
            path = max(
                (tuple(loc.path) for loc in locations if loc.span[0] == line - 1 and loc.span[1] == column - 1), key=len
            )
            silenced = any(
                comment_line.strip().startswith(f"buf:lint:ignore {rule}")
                for associated in associated_paths(path)
                for comment_line in comments.get(associated, "").splitlines()
            )
            assert silenced == expected, (name, line, column, rule, path)


@pytest.mark.parametrize("case", IGNORE_CASES)
def test_protokit_comment_ignores_equal_bufs(case: dict, tmp_path: Path) -> None:
    """protokit lint silences exactly what buf silences, and reports the rest at the same places."""
    write_module(tmp_path / "allowed", case, COMMENT_IGNORES["buf_yaml"])
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "protokit", "lint", "--error-format", "json"]
    result = subprocess.run(command, cwd=tmp_path / "allowed", capture_output=True, text=True, env=env)
    assert result.returncode in (0, 100), result.stderr
    findings = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted([f["path"], f["start_line"], f["start_column"], f["type"]] for f in findings) == case["findings"]
