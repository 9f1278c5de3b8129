"""Lint rules' finer semantics as Buf 1.75 has them: each case is a small tree and the findings Buf reports on it.

Every case runs protokit and compares its findings (path, span, rule) with the expected ones,
which are what ``buf lint --error-format json`` printed; where a ``buf`` binary is found the case
is also run through Buf itself, so the expectations cannot drift from Buf's.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import Run, find_buf, write_tree

BUF = find_buf()

Row = str  # "path:line:column:end_line:end_column:RULE"


def rows(output: str) -> list[Row]:
    """The findings of a ``--error-format json`` run, one string each, sorted."""
    found = [json.loads(line) for line in output.splitlines() if line.strip()]
    return sorted(
        f"{r['path']}:{r['start_line']}:{r['start_column']}:{r['end_line']}:{r['end_column']}:{r['type']}"
        for r in found
    )


def messages(output: str) -> dict[Row, str]:
    """Each finding's message by its row."""
    return {rows(line)[0]: json.loads(line)["message"] for line in output.splitlines() if line.strip()}


def with_messages(output: str) -> list[str]:
    """Each finding's row and message, sorted (two findings may share a row)."""
    return sorted(f"{rows(line)[0]} {json.loads(line)['message']}" for line in output.splitlines() if line.strip())


def buf_lint(tree: Path) -> str:
    """``buf lint --error-format json``'s output on ``tree``."""
    assert BUF is not None
    theirs = subprocess.run([BUF, "lint", "--error-format", "json"], cwd=tree, capture_output=True, text=True)
    assert theirs.returncode in (0, 100), theirs.stderr
    return theirs.stdout


def check(protokit: Run, tree: Path, expected: list[Row]) -> str:
    """Assert that protokit (and Buf, when found) report exactly ``expected`` on ``tree``; protokit's output."""
    ours = protokit("lint", "--error-format", "json", cwd=tree)
    assert ours.returncode in (0, 100), ours.stderr
    assert rows(ours.stdout) == sorted(expected)
    if BUF is not None:
        theirs = buf_lint(tree)
        assert rows(theirs) == sorted(expected)
        assert with_messages(ours.stdout) == with_messages(theirs)
    return ours.stdout


def buf_yaml(*use: str, version: str = "v2", options: str = "") -> str:
    """A buf.yaml that enables ``use``, with extra lint ``options`` lines."""
    return f"version: {version}\nlint:\n  use: [{', '.join(use)}]\n" + options


GROUPS_AND_MAPS = """\
syntax = "proto2";

package a.v1;

// M.
message M {
  // The group's comment belongs to its message.
  optional group Grp = 1 {
    // x.
    optional string x = 2;
  }
  optional group Undoc = 3 {
    optional string y = 4;
  }
  // A documented map.
  map<string, int32> documented = 5;
  map<string, int32> undocumented = 6;
}
"""

OPTIONAL_AND_IGNORES = """\
syntax = "proto3";

package a.v1;

// buf:lint:ignoreX
message P {
  // x.
  optional string x = 1;
  optional string y = 2;
  // buf:lint:ignore MESSAGE_PASCAL_CASE
  //
  string z = 3;
  //   buf:lint:ignore OTHER_RULE
  string w = 4;
  /* A block comment. */
  string v = 5;
}
"""


def test_comment_rules_skip_group_fields_map_entries_and_synthetic_oneofs(protokit: Run, tmp_path: Path) -> None:
    """A group field's comment is its message's; map entries and proto3-optional oneofs are not checked.

    A comment made only of blank lines and lines starting with ``buf:lint:ignore`` documents nothing.
    """
    tree = write_tree(
        tmp_path / "t",
        {
            "buf.yaml": buf_yaml("COMMENTS"),
            "a/v1/g.proto": GROUPS_AND_MAPS,
            "a/v1/p.proto": OPTIONAL_AND_IGNORES,
        },
    )
    check(
        protokit,
        tree,
        [
            "a/v1/g.proto:12:3:14:4:COMMENT_MESSAGE",  # the group Undoc, not its field
            "a/v1/g.proto:13:5:13:27:COMMENT_FIELD",
            "a/v1/g.proto:17:3:17:39:COMMENT_FIELD",
            "a/v1/p.proto:6:1:17:2:COMMENT_MESSAGE",
            "a/v1/p.proto:9:3:9:25:COMMENT_FIELD",
            "a/v1/p.proto:12:3:12:16:COMMENT_FIELD",
            "a/v1/p.proto:14:3:14:16:COMMENT_FIELD",
        ],
    )


def test_package_less_files_form_a_package_and_a_directory_of_several_packages(protokit: Run, tmp_path: Path) -> None:
    """PACKAGE_SAME_DIRECTORY groups files without a package too; DIRECTORY_SAME_PACKAGE names them."""
    tree = write_tree(
        tmp_path / "t",
        {
            "buf.yaml": buf_yaml("PACKAGE_SAME_DIRECTORY", "DIRECTORY_SAME_PACKAGE"),
            "r.proto": 'syntax = "proto3";\n',
            "x/x.proto": 'syntax = "proto3";\nmessage X {}\n',
            "m/a.proto": 'syntax = "proto3";\npackage m.v1;\n',
            "m/b.proto": 'syntax = "proto3";\npackage m.v2;\n',
            "m/c.proto": 'syntax = "proto3";\n',
            "n/a.proto": 'syntax = "proto3";\npackage n.v1;\n',
            "n/b.proto": 'syntax = "proto3";\npackage n.v1;\n',
            "a/v1/a.proto": 'syntax = "proto3";\npackage n.v1;\n',
        },
    )
    output = check(
        protokit,
        tree,
        [
            "r.proto:1:1:1:1:PACKAGE_SAME_DIRECTORY",
            "x/x.proto:1:1:1:1:PACKAGE_SAME_DIRECTORY",
            "m/a.proto:2:1:2:14:DIRECTORY_SAME_PACKAGE",
            "m/b.proto:2:1:2:14:DIRECTORY_SAME_PACKAGE",
            "m/c.proto:1:1:1:1:DIRECTORY_SAME_PACKAGE",
            "m/c.proto:1:1:1:1:PACKAGE_SAME_DIRECTORY",
            "n/a.proto:2:1:2:14:PACKAGE_SAME_DIRECTORY",
            "n/b.proto:2:1:2:14:PACKAGE_SAME_DIRECTORY",
            "a/v1/a.proto:2:1:2:14:PACKAGE_SAME_DIRECTORY",
        ],
    )
    assert messages(output)["r.proto:1:1:1:1:PACKAGE_SAME_DIRECTORY"] == (
        'Multiple directories ".,m,x" contain files with package "".'
    )
    assert messages(output)["m/c.proto:1:1:1:1:DIRECTORY_SAME_PACKAGE"] == (
        'Multiple packages "m.v1,m.v2" and file with no package detected within directory "m".'
    )


# Package -> whether Buf's protoversion parses its last component as a version.
VERSIONS = {
    "v2": False,  # one component: no version
    "a.v1": True,
    "a.v01": True,
    "a.v0": False,
    "a.v1beta": True,
    "a.v1beta0": False,
    "a.v1p1alpha1": True,
    "a.v1p0alpha1": False,
    "a.v1p1": False,
    "a.v1testfoo": True,
    "a.vtest": False,
    "a.v1alphabeta": False,
    "a.v1alpha1test": False,
    "a.v2147483648": False,  # beyond int32
}


def test_package_versions_are_parsed_as_buf_does(protokit: Run, tmp_path: Path) -> None:
    """PACKAGE_VERSION_SUFFIX and STABLE_PACKAGE_NO_IMPORT_UNSTABLE share Buf's parsing of the version."""
    files = {f"d{i}/f.proto": f'syntax = "proto3";\n\npackage {p};\n' for i, p in enumerate(VERSIONS)}
    imports = "".join(f'import "d{i}/f.proto";\n' for i in range(len(VERSIONS)))
    files["s.proto"] = f'syntax = "proto3";\n\npackage s.v1;\n\n{imports}'  # stable: imports each of them
    files["t.proto"] = 'syntax = "proto3";\n\npackage v1;\n\nimport "d6/f.proto";\n'  # unversioned: imports nothing
    files["buf.yaml"] = buf_yaml("PACKAGE_VERSION_SUFFIX", "STABLE_PACKAGE_NO_IMPORT_UNSTABLE")
    tree = write_tree(tmp_path / "t", files)
    unversioned = [
        f"d{i}/f.proto:3:1:3:{len(p) + 10}:PACKAGE_VERSION_SUFFIX" for i, p in enumerate(VERSIONS) if not VERSIONS[p]
    ]
    unstable = [f"s.proto:{line}:1:{line}:21:STABLE_PACKAGE_NO_IMPORT_UNSTABLE" for line in (9, 11, 14)]
    check(protokit, tree, [*unversioned, "t.proto:3:1:3:12:PACKAGE_VERSION_SUFFIX", *unstable])


SERVICES = """\
syntax = "proto3";

package a.v1;

import "google/protobuf/empty.proto";

message Foo {}
message Bar {}

service OneService {
  rpc Nothing(google.protobuf.Empty) returns (google.protobuf.Empty);
  rpc Ping(google.protobuf.Empty) returns (PingResponse);
  rpc Pong(PongRequest) returns (google.protobuf.Empty);
  rpc Same(Foo) returns (Foo);
  rpc Shared(Foo) returns (Bar);
  rpc stream_it(stream google.protobuf.Empty) returns (stream StreamItResponse);
}

service TwoService {
  rpc Nothing(google.protobuf.Empty) returns (google.protobuf.Empty);
}

message PingResponse {}
message PongRequest {}
message StreamItResponse {}
"""
SAME, EITHER = "same", "request or response"
FOO_SHARED = ["14 " + SAME, "14 " + EITHER, "15 " + EITHER]


def unique_findings(output: str) -> list[str]:
    """RPC_REQUEST_RESPONSE_UNIQUE's findings as "line what": the RPC's line, and what the message says."""
    found = []
    for line in output.splitlines():
        row = json.loads(line)
        assert (row["start_column"], row["end_line"]) == (3, row["start_line"])  # the whole RPC
        message = row["message"]
        what = SAME if message.startswith("RPC ") else message.split("used as the ", 1)[1].split(" for ")[0]
        found.append(f"{row['start_line']} {what.removesuffix(' type')}")
    return sorted(found)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ((), [*FOO_SHARED, "11 " + SAME, "20 " + SAME, *(f"{n} {EITHER}" for n in (11, 12, 13, 16, 20))]),
        (("requests",), [*FOO_SHARED, "11 " + SAME, "20 " + SAME, "11 response", "13 response", "20 response"]),
        (("responses",), [*FOO_SHARED, "11 " + SAME, "20 " + SAME, *(f"{n} request" for n in (11, 12, 16, 20))]),
        (("requests", "responses"), FOO_SHARED),  # Empty to Empty is not "the same type" either
        (("same", "requests"), ["14 " + EITHER, "15 " + EITHER, "11 response", "13 response", "20 response"]),
    ],
)
def test_rpc_request_response_unique_with_empty_and_its_options(
    protokit: Run, tmp_path: Path, options: tuple[str, ...], expected: list[str]
) -> None:
    """An Empty to Empty RPC uses Empty on both sides: it is counted on each side Empty is not allowed on."""
    names = {
        "same": "rpc_allow_same_request_response",
        "requests": "rpc_allow_google_protobuf_empty_requests",
        "responses": "rpc_allow_google_protobuf_empty_responses",
    }
    config = buf_yaml("RPC_REQUEST_RESPONSE_UNIQUE", options="".join(f"  {names[o]}: true\n" for o in options))
    tree = write_tree(tmp_path / "t", {"buf.yaml": config, "a/v1/s.proto": SERVICES})
    ours = protokit("lint", "--error-format", "json", cwd=tree)
    assert ours.returncode == 100, ours.stderr
    assert unique_findings(ours.stdout) == sorted(expected)
    if BUF is not None:
        assert with_messages(ours.stdout) == with_messages(buf_lint(tree))


NAMED_BOTH = [
    "14:12:14:15:RPC_REQUEST",
    "14:26:14:29:RPC_RESPONSE",
    "15:14:15:17:RPC_REQUEST",
    "15:28:15:31:RPC_RESPONSE",
]
EMPTY_REQUESTS = [
    "11:15:11:36:RPC_REQUEST",
    "12:12:12:33:RPC_REQUEST",
    "16:24:16:45:RPC_REQUEST",
    "20:15:20:36:RPC_REQUEST",
]
EMPTY_RESPONSES = ["11:47:11:68:RPC_RESPONSE", "13:34:13:55:RPC_RESPONSE", "20:47:20:68:RPC_RESPONSE"]


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("", NAMED_BOTH + EMPTY_REQUESTS + EMPTY_RESPONSES),
        ("rpc_allow_google_protobuf_empty_requests", NAMED_BOTH + EMPTY_RESPONSES),
        ("rpc_allow_google_protobuf_empty_responses", NAMED_BOTH + EMPTY_REQUESTS),
    ],
)
def test_standard_names_skip_empty_only_where_allowed(
    protokit: Run, tmp_path: Path, option: str, expected: list[str]
) -> None:
    """Each option exempts Empty on its own side; the finding is at the request's or response's type."""
    config = buf_yaml(
        "RPC_REQUEST_STANDARD_NAME", "RPC_RESPONSE_STANDARD_NAME", options=f"  {option}: true\n" * bool(option)
    )
    tree = write_tree(tmp_path / "t", {"buf.yaml": config, "a/v1/s.proto": SERVICES})
    check(protokit, tree, [f"a/v1/s.proto:{row}_STANDARD_NAME" for row in expected])


DESCRIPTORS = """\
syntax = "proto2";

package a.v1;

message M {
  optional string descriptor = 1;
  optional string DESCRIPTOR = 2;
  optional string __Descriptor_ = 3;
  optional string descriptors = 4;
  optional string de_scriptor = 5;
  map<string, string> _DeScRiPtOr = 6;
  oneof o {
    string descriptor__ = 7;
  }
  extensions 100 to 200;
}

extend M {
  optional string _descriptor_ = 100;
}

message G {
  optional group Descriptor = 1 {
    optional int32 x = 2;
  }
}
"""


def test_field_no_descriptor_of_buf_yaml_v1beta1(protokit: Run, tmp_path: Path) -> None:
    """Any capitalization of "descriptor" with underscores around, in fields, oneofs, extensions and groups."""
    config = buf_yaml("FIELD_NO_DESCRIPTOR", version="v1beta1")
    tree = write_tree(tmp_path / "t", {"buf.yaml": config, "a/v1/d.proto": DESCRIPTORS})
    at = ["6:19:6:29", "7:19:7:29", "8:19:8:32", "11:23:11:34", "13:12:13:24", "19:19:19:31", "23:18:23:28"]
    check(protokit, tree, [f"a/v1/d.proto:{span}:FIELD_NO_DESCRIPTOR" for span in at])


DIGITS = """\
syntax = "proto3";

package d.v1;

message a1b {}
message x9y_z2w {}
message Get2fastRequest {}
message Get2FastResponse {}

service foo2bar {
  rpc get2fast(Get2fastRequest) returns (Get2FastResponse);
}
"""


def test_pascal_case_starts_no_word_after_a_digit(protokit: Run, tmp_path: Path) -> None:
    """Buf's PascalCase of ``get2fast`` is ``Get2fast``: the standard request name is ``Get2fastRequest``."""
    config = buf_yaml("MESSAGE_PASCAL_CASE", "SERVICE_PASCAL_CASE", "RPC_PASCAL_CASE", "RPC_REQUEST_STANDARD_NAME",
                      "RPC_RESPONSE_STANDARD_NAME")  # fmt: skip
    tree = write_tree(tmp_path / "t", {"buf.yaml": config, "d/v1/p.proto": DIGITS})
    output = check(
        protokit,
        tree,
        [
            "d/v1/p.proto:5:9:5:12:MESSAGE_PASCAL_CASE",
            "d/v1/p.proto:6:9:6:16:MESSAGE_PASCAL_CASE",
            "d/v1/p.proto:10:9:10:16:SERVICE_PASCAL_CASE",
            "d/v1/p.proto:11:7:11:15:RPC_PASCAL_CASE",
            "d/v1/p.proto:11:42:11:58:RPC_RESPONSE_STANDARD_NAME",
        ],
    )
    assert messages(output)["d/v1/p.proto:6:9:6:16:MESSAGE_PASCAL_CASE"].endswith('such as "X9yZ2w".')


def test_package_same_option_with_unset_and_empty_values(protokit: Run, tmp_path: Path) -> None:
    """An option set to "" is no value, as an unset one; any file without a value makes it "both values"."""
    header = 'syntax = "proto3";\n\npackage {};\n'
    files = {
        "g/v1/a.proto": header.format("g.v1")
        + '\noption go_package = "";\noption java_multiple_files = false;\noption java_package = "x";\n',
        "g/v1/b.proto": header.format("g.v1"),
        "g/v1/c.proto": header.format("g.v1") + '\noption java_package = "y";\n',
        "h/v1/a.proto": header.format("h.v1") + '\noption go_package = "";\n',
        "h/v1/b.proto": header.format("h.v1") + '\noption go_package = "h";\n',
    }
    options = ("PACKAGE_SAME_GO_PACKAGE", "PACKAGE_SAME_JAVA_MULTIPLE_FILES", "PACKAGE_SAME_JAVA_PACKAGE")
    tree = write_tree(tmp_path / "t", {"buf.yaml": buf_yaml(*options), **files})
    output = check(
        protokit,
        tree,
        [
            "g/v1/a.proto:6:1:6:36:PACKAGE_SAME_JAVA_MULTIPLE_FILES",
            "g/v1/a.proto:7:1:7:27:PACKAGE_SAME_JAVA_PACKAGE",
            "g/v1/b.proto:1:1:1:1:PACKAGE_SAME_JAVA_MULTIPLE_FILES",
            "g/v1/b.proto:1:1:1:1:PACKAGE_SAME_JAVA_PACKAGE",
            "g/v1/c.proto:1:1:1:1:PACKAGE_SAME_JAVA_MULTIPLE_FILES",
            "g/v1/c.proto:5:1:5:27:PACKAGE_SAME_JAVA_PACKAGE",
            "h/v1/a.proto:5:1:5:24:PACKAGE_SAME_GO_PACKAGE",
            "h/v1/b.proto:5:1:5:25:PACKAGE_SAME_GO_PACKAGE",
        ],
    )
    assert messages(output)["g/v1/c.proto:5:1:5:27:PACKAGE_SAME_JAVA_PACKAGE"] == (
        'Files in package "g.v1" have both values "x,y" and no value for option "java_package" '
        "and all values must be equal."
    )


REEXPORTS = {
    "m/v1/c.proto": "message C {}\n",
    "m/v1/d.proto": 'import public "m/v1/c.proto";\nimport "google/protobuf/descriptor.proto";\n\nmessage D {}\n'
    "extend google.protobuf.FileOptions {\n  string dopt = 50100;\n}\n",
    "m/v1/d2.proto": 'import public "m/v1/c.proto";\n',
    "m/v1/t1.proto": 'import "m/v1/d.proto";\n\noption java_package = "x";\n',  # unused: standard options only
    "m/v1/t2.proto": 'import "m/v1/c.proto";\nimport "m/v1/d.proto";\n\nmessage T2 {\n  C c = 1;\n}\n',  # C comes via c
    "m/v1/t3.proto": 'import "m/v1/d2.proto";\nimport "m/v1/d.proto";\n\nmessage T3 {\n  C c = 1;\n}\n',  # via d2
    "m/v1/t4.proto": 'import "m/v1/d.proto";\n\nmessage T4 {\n  D d = 1;\n}\n',  # used
    "m/v1/t5.proto": 'import "m/v1/d.proto";\n\noption (dopt) = "y";\n',  # used
    "m/v1/t6.proto": 'import "m/v1/d.proto";\nimport weak "m/v1/d2.proto";\n\n'
    "service S {\n  rpc R(C) returns (C);\n}\n",  # C comes via d, the first import
    "m/v1/t7.proto": 'import "m/v1/d2.proto";\n\nmessage T7 {\n  C c = 1;\n}\n',  # used
}


def test_import_used_of_files_with_public_imports(protokit: Run, tmp_path: Path) -> None:
    """An import of a file with public imports is unused unless a referenced type comes through it first.

    protoc never reports such imports; Buf marks, for each type, the import that defines it, else the
    first import (in order) that imports its file.
    """
    files = {name: f'syntax = "proto3";\n\npackage m.v1;\n\n{body}' for name, body in REEXPORTS.items()}
    tree = write_tree(tmp_path / "t", {"buf.yaml": buf_yaml("IMPORT_USED"), **files})
    check(
        protokit,
        tree,
        [
            "m/v1/t1.proto:5:1:5:23:IMPORT_USED",
            "m/v1/t2.proto:6:1:6:23:IMPORT_USED",
            "m/v1/t3.proto:6:1:6:23:IMPORT_USED",
            "m/v1/t6.proto:6:1:6:29:IMPORT_USED",
        ],
    )


def test_pascal_keeps_a_name_without_delimiters_that_starts_upper_case_as_it_is() -> None:
    """The shortcut for names already in shape gives what the word-by-word conversion gives."""
    import random

    from protokit.lint.names import pascal

    def word_by_word(text: str) -> str:
        out, previous = "", ""
        for i, char in enumerate(text.strip()):
            if char not in ".-_ \t\n\r":
                new_word = i == 0 or previous in ".-_ \t\n\r" or char.isupper()
                out += char.upper() if new_word else char.lower()
            previous = char
        return out

    rng = random.Random(7)
    alphabet = "aZ9_.-x Yé\tǅ"
    samples = ["GetFoo", "Get2fast", "HTTPServer", "Foo_Bar", "fooBar", "", "É"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7))) for _ in range(5000)]
    assert [pascal(s) for s in samples] == [word_by_word(s) for s in samples]
