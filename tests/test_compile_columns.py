"""Buf's columns on lines with tabs and wide text, and what protoc rejects but Buf accepts.

The expected positions are what ``buf lint --error-format json`` (1.75) reported
for these files; where a ``buf`` binary is found the same files are also
compared with it live.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import Run, find_buf, write_tree
from google.protobuf import descriptor_pb2

from protokit.compile.columns import BufColumns, column_map, line_shifts, needs_buf_columns
from protokit.compile.literals import LiteralError, entry_at, literal_entries
from protokit.compile.rewrite import blank_refused

BUF = find_buf()
needs_buf = pytest.mark.skipif(BUF is None, reason="buf is not installed (npm install @bufbuild/buf)")

COLUMNS_PROTO = (
    'syntax = "proto3";\n'
    "\n"
    "// Package doc.\n"
    "package acme.v1;\n"
    "\n"
    "// Tabs and wide text before elements on their lines.\n"
    "message Tabbed {\n"
    "\tstring\tFooName = 1; // é 日本 😀\n"
    '\tstring a = 2 [json_name = "日本"]; string Bar = 3;\n'
    '  string b = 4 [json_name = "😀\tx"]; /* é */ string Baz_qux = 5;\n'
    " \t \t string Tab_stop = 6;\n"
    "\t// Doc.\n"
    '\tstring c = 7 [json_name = "e\u0301\u2764\ufe0f\U0001f1ef\U0001f1f5"]; string Mark = 8;\n'
    "}\n"
    "\n"
    "// Doc.\n"
    "enum Kind {\n"
    "\toption allow_alias = false;\n"
    "\tKIND_UNSPECIFIED = 0; /* ü */\tKIND_ONE = 1;\n"
    "}\n"
)

# buf lint --error-format json on COLUMNS_PROTO with STANDARD and COMMENTS: (line, column, end line, end column, rule).
BUF_FINDINGS = [
    (8, 5, 8, 25, "COMMENT_FIELD"),
    (8, 13, 8, 20, "FIELD_LOWER_SNAKE_CASE"),
    (9, 5, 9, 39, "COMMENT_FIELD"),
    (9, 40, 9, 55, "COMMENT_FIELD"),
    (9, 47, 9, 50, "FIELD_LOWER_SNAKE_CASE"),
    (10, 3, 10, 37, "COMMENT_FIELD"),
    (10, 46, 10, 65, "COMMENT_FIELD"),
    (10, 53, 10, 60, "FIELD_LOWER_SNAKE_CASE"),
    (11, 10, 11, 30, "COMMENT_FIELD"),
    (11, 17, 11, 25, "FIELD_LOWER_SNAKE_CASE"),
    (13, 41, 13, 57, "COMMENT_FIELD"),
    (13, 48, 13, 52, "FIELD_LOWER_SNAKE_CASE"),
    (19, 5, 19, 26, "COMMENT_ENUM_VALUE"),
    (19, 37, 19, 50, "COMMENT_ENUM_VALUE"),
]

# The width Buf gives each text (uniseg's grapheme widths), read off the columns buf lint reported after it.
BUF_WIDTHS = {
    "e\u0301": 1,  # combining accent
    "\u2764\ufe0f": 2,  # emoji presentation selector
    "\u2764": 1,
    "\U0001f1ef\U0001f1f5": 2,  # a flag: two regional indicators
    "\U0001f468\u200d\U0001f469\u200d\U0001f467": 2,  # a ZWJ sequence
    "\U0001f44d\U0001f3fd": 2,  # a skin-tone modifier
    "\uff21": 2,  # fullwidth
    "\u00b1": 1,  # East Asian ambiguous
    "\u200b": 0,  # zero-width space
    "\ud55c": 2,  # a Hangul syllable
    "\u00a9\ufe0f": 2,
    "\u2e3a": 3,  # two-em dash
    "\u0915\u093f": 2,  # a spacing mark
    "\x0c": 0,  # form feed
    "\u1100\u1161": 2,  # conjoining jamo
    "a\u0300\u0301b": 2,
    "\U0001f600\ufe0e": 1,  # text presentation selector
    "\u231a": 2,
    "\u3000": 2,  # ideographic space
}


@pytest.mark.parametrize("text", list(BUF_WIDTHS))
def test_widths_of_wide_and_combining_text_are_bufs(text: str) -> None:
    """``  /*TEXT*/ string F = 1;``: Buf put the name at column 15 + the width of TEXT."""
    line = f"  /*{text}*/ string F = 1;"
    protoc_column = len(f"  /*{text}*/ string ".encode())
    assert column_map(line)[protoc_column] == 14 + BUF_WIDTHS[text]


def test_tabs_stop_at_multiples_of_four_for_buf_and_eight_for_protoc() -> None:
    source = b"\tstring\tFooName = 1;\n \t \t x\nplain\n    \tsame\n\t\tindented\n// \xc3\xa9\n"
    columns = BufColumns(source)
    assert line_shifts(source.split(b"\n")) == {0: None, 1: 8, 4: 8, 5: None}
    assert [columns.column(0, c) for c in (0, 8, 14, 16, 23)] == [0, 4, 10, 12, 19]
    assert columns.column(1, 17) == 9
    assert BufColumns(b"// \xff\xc3\xa9 x").column(0, 7) == 6  # a stray byte is one column, as protoc counts it
    assert not needs_buf_columns(b'syntax = "proto3";\r\npackage a;\r\n')
    assert needs_buf_columns(b"// \xc3\xa9\n") and needs_buf_columns(b"\tx\n") and needs_buf_columns(b"\x0c")


def test_no_op_allow_alias_is_blanked_in_place() -> None:
    source = (
        b"enum E { // option allow_alias = false;\n"
        b"\toption\tallow_alias = false; E_A = 0;\n"
        b'  s = "option allow_alias = false;"\n}'
    )
    rewritten, blanked = blank_refused(source)
    assert rewritten == source.replace(b"option\tallow_alias = false;", b"      \t                    ", 1)
    assert [(b.line, b.column, b.end_column) for b in blanked] == [(1, 8, 36)]
    kept = b"enum E { option allow_alias = true; }"
    assert blank_refused(kept) == (kept, [])


def lint_rows(protokit: Run, tree: Path) -> list[tuple]:
    result = protokit("lint", "--error-format", "json", cwd=tree)
    assert result.returncode == 100, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    return [(r["start_line"], r["start_column"], r["end_line"], r["end_column"], r["type"]) for r in rows]


@pytest.fixture
def columns_tree(tmp_path: Path) -> Path:
    config = "version: v2\nlint:\n  use: [STANDARD, COMMENTS]\n"
    return write_tree(tmp_path / "ws", {"buf.yaml": config, "acme/v1/columns.proto": COLUMNS_PROTO})


def test_lint_reports_bufs_columns_on_lines_with_tabs_and_wide_text(protokit: Run, columns_tree: Path) -> None:
    """protoc compiles the file (its no-op ``allow_alias = false`` blanked), and every span is in Buf's columns."""
    assert lint_rows(protokit, columns_tree) == BUF_FINDINGS
    assert lint_rows(protokit, columns_tree) == BUF_FINDINGS  # from the cache


def test_build_keeps_the_no_op_allow_alias_with_bufs_location(protokit: Run, columns_tree: Path) -> None:
    out = columns_tree / "out.binpb"
    result = protokit("build", columns_tree, "-o", out)
    assert result.returncode == 0, result.stderr
    files = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file
    (file,) = [f for f in files if f.name == "acme/v1/columns.proto"]
    enum = file.enum_type[0]
    assert enum.options.HasField("allow_alias") and not enum.options.allow_alias
    spans = {tuple(loc.path): list(loc.span) for loc in file.source_code_info.location}
    assert spans[(5, 0, 3)] == spans[(5, 0, 3, 2)] == [17, 4, 31]  # what Buf's image has
    assert spans[(4, 0, 2, 1, 1)] == [8, 11, 12]  # field "a" after a tab: Buf's column, not protoc's 15


def test_no_op_allow_alias_in_an_import_compiled_earlier(protokit: Run, columns_tree: Path) -> None:
    """A cached file with the statement is parsed again as an import of a changed file: rewritten there too, in
    a copy (protoc names the import by its disk path; the file itself is never written)."""
    assert lint_rows(protokit, columns_tree)
    importer = 'syntax = "proto3";\n\npackage acme.v1;\n\nimport "acme/v1/columns.proto";\n\n// Doc.\nmessage Uses {\n'
    write_tree(columns_tree, {"acme/v1/uses.proto": importer + "  // Doc.\n  Kind kind = 1;\n}\n"})
    assert lint_rows(protokit, columns_tree) == BUF_FINDINGS
    assert (columns_tree / "acme/v1/columns.proto").read_text() == COLUMNS_PROTO


def test_allow_alias_false_with_aliases_is_still_an_error(protokit: Run, tmp_path: Path) -> None:
    body = "enum E {\n  option allow_alias = false;\n  E_A = 0;\n  E_B = 0;\n}\n"
    tree = write_tree(tmp_path / "ws", {"buf.yaml": "version: v2\n", "a.proto": 'syntax = "proto3";\n' + body})
    result = protokit("lint", cwd=tree)
    assert result.returncode != 0 and result.returncode != 100
    assert "E_B" in result.stdout + result.stderr


@needs_buf
def test_columns_match_buf_live(tmp_path: Path, columns_tree: Path) -> None:
    """The same findings as buf lint on COLUMNS_PROTO, and on one line per text of BUF_WIDTHS (STANDARD rules)."""
    sys.path.insert(0, str(Path(__file__).parent / "conformance"))
    from lint_diff import differences

    assert differences(BUF, columns_tree) == (set(), set(), len(BUF_FINDINGS))  # type: ignore[arg-type]
    samples = "".join(f"  /*{text}*/ string F{i} = {i};\n" for i, text in enumerate(BUF_WIDTHS, 1))
    widths = write_tree(tmp_path / "widths", {"a.proto": 'syntax = "proto3";\nmessage W {\n' + samples + "}\n"})
    only_buf, only_ours, same = differences(BUF, widths)  # type: ignore[arg-type]
    assert (only_buf, only_ours) == (set(), set()) and same >= len(BUF_WIDTHS)


FEATURES_PROTO = """edition = "2023";
package feat;
option features = { field_presence: IMPLICIT, utf8_validation: NONE };
option java_package = "x.y";
message M {
  option features = {
    json_format: LEGACY_BEST_EFFORT
  };
  string s = 1 [features = { utf8_validation: NONE }, deprecated = true];
  M m = 3 [features = { message_encoding: DELIMITED }];
  oneof o { option features = {}; int32 a = 2; }
}
enum E {
\toption features = { enum_type: CLOSED };\t// tabbed é
  E_A = 0 [features = { }];
}
service S { option features = { }; rpc R(M) returns (M) { option features = {}; } }
"""

# Locations of buf build's image for FEATURES_PROTO (protoc has none inside the braces, and statements whole).
BUF_FEATURE_LOCATIONS = {
    (8, 50): (2, 7, 69),
    (8, 50, 1): (2, 20, 44),
    (8, 50, 4): (2, 46, 67),
    (4, 0, 7, 12): (5, 9, 7, 3),
    (4, 0, 7, 12, 6): (6, 4, 35),
    (4, 0, 2, 0, 8, 21, 4): (8, 29, 50),
    (4, 0, 2, 1, 8, 21, 5): (9, 24, 51),
    (5, 0, 3, 7): (13, 11, 43),
    (5, 0, 3, 7, 2): (13, 24, 41),
    (6, 0, 3, 34): (16, 19, 33),
}


def test_literal_entries_span_name_to_value() -> None:
    text = b'x = {a: -1.5e-3, b: - inf; c: "a" /*c*/ "b"\n d <e: ["s"]> [pb.java] { f: X } l: [{a: [2]}] u: [3]};'
    entries, end = literal_entries(text, text.index(b"{"))
    assert text[end:] == b";"
    shown = [
        (e.name, text[e.start : e.end].decode(), [text[i.start : i.end].decode() for i in e.entries]) for e in entries
    ]
    assert shown == [
        ("a", "a: -1.5e-3", []),
        ("b", "b: - inf", []),
        ("c", 'c: "a" /*c*/ "b"', []),
        ("d", 'd <e: ["s"]>', ['e: ["s"]']),
        ("[pb.java]", "[pb.java] { f: X }", ["f: X"]),
        ("l", "l: [{a: [2]}]", []),
        ("u", "u: [3]", []),
    ]
    inner = entry_at(entries, ("[pb.java]", "f"))
    assert inner is not None and text[inner.start : inner.end] == b"f: X"
    assert entry_at(entries, ("d", "x")) is None and entry_at(entries, ()) is None
    with pytest.raises(LiteralError):
        literal_entries(b"{ a: 1", 0)


def test_features_literals_get_bufs_locations(protokit: Run, tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "ws", {"buf.yaml": "version: v2\n", "f.proto": FEATURES_PROTO})
    result = protokit("build", tree, "-o", tmp_path / "out.binpb")
    assert result.returncode == 0, result.stderr
    (file,) = descriptor_pb2.FileDescriptorSet.FromString((tmp_path / "out.binpb").read_bytes()).file
    spans = {tuple(loc.path): tuple(loc.span) for loc in file.source_code_info.location}
    assert {path: spans.get(path) for path in BUF_FEATURE_LOCATIONS} == BUF_FEATURE_LOCATIONS


BREAKING_OLD = (
    'edition = "2023";\npackage br;\nmessage M {\n  string s = 1;\n  string t = 2;\n}\nenum E {\n  E_A = 0;\n}\n'
)
BREAKING_NEW = (
    'edition = "2023";\npackage br;\nmessage M {\n'
    "  string s = 1 [deprecated = true, features = { utf8_validation: NONE }];\n"
    "  string t = 2 [features = {\n    utf8_validation: NONE\n  }];\n}\n"
    "enum E {\n  option features = { enum_type: CLOSED };\n  E_A = 0;\n}\n"
)
# buf breaking --against old --error-format json: these rules point inside the literals.
BUF_BREAKING = [
    (4, 49, 4, 70, "FIELD_SAME_UTF8_VALIDATION"),
    (6, 5, 6, 26, "FIELD_SAME_UTF8_VALIDATION"),
    (10, 23, 10, 40, "ENUM_SAME_TYPE"),
]


def test_breaking_on_features_literals_points_inside_them(protokit: Run, tmp_path: Path) -> None:
    old = write_tree(tmp_path / "old", {"buf.yaml": "version: v2\n", "a.proto": BREAKING_OLD})
    new = write_tree(tmp_path / "new", {"buf.yaml": "version: v2\n", "a.proto": BREAKING_NEW})
    result = protokit("breaking", "--against", old, "--error-format", "json", cwd=new)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    found = [(r["start_line"], r["start_column"], r["end_line"], r["end_column"], r["type"]) for r in rows]
    assert [f for f in found if f[-1] != "FIELD_SAME_JAVA_UTF8_VALIDATION"] == BUF_BREAKING, result.stderr


@needs_buf
def test_features_locations_match_buf_build_live(protokit: Run, tmp_path: Path) -> None:
    """Every location of FEATURES_PROTO (options, literals, a tab and é on one line) as in Buf's image."""
    import subprocess

    tree = write_tree(tmp_path / "ws", {"buf.yaml": "version: v2\n", "f.proto": FEATURES_PROTO})
    subprocess.run([BUF, "build", "-o", str(tmp_path / "buf.binpb")], cwd=tree, check=True)  # type: ignore[list-item]
    assert protokit("build", tree, "-o", tmp_path / "ours.binpb").returncode == 0

    def locations(path: Path) -> set[tuple]:
        files = descriptor_pb2.FileDescriptorSet.FromString(path.read_bytes()).file
        (file,) = [f for f in files if f.name == "f.proto"]
        return {(tuple(loc.path), tuple(loc.span)) for loc in file.source_code_info.location}

    assert locations(tmp_path / "ours.binpb") == locations(tmp_path / "buf.binpb")


@needs_buf
def test_breaking_on_features_literals_matches_buf_live(tmp_path: Path) -> None:
    import subprocess

    old = write_tree(tmp_path / "old", {"buf.yaml": "version: v2\n", "a.proto": BREAKING_OLD})
    new = write_tree(tmp_path / "new", {"buf.yaml": "version: v2\n", "a.proto": BREAKING_NEW})
    command = [BUF, "breaking", "--against", str(old), "--error-format", "json"]
    result = subprocess.run(command, cwd=new, capture_output=True, text=True)  # type: ignore[arg-type]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    found = [(r["start_line"], r["start_column"], r["end_line"], r["end_column"], r["type"]) for r in rows]
    assert [f for f in found if f[-1] != "FIELD_SAME_JAVA_UTF8_VALIDATION"] == BUF_BREAKING


COMMENTS_PROTO = """syntax = "proto3";
package cm;

/* doc */ message A {}

/* doc
 * more */ message B {}

// line
/* b */ message C {}

/* a */ /* b */ message E {}

// lead
message F {} /* trail */ message G {}

/* x */
message H { /* y */ }

message I {
  // lead i
  /* same */ int32 a = 1;
  int32 b = 2; /* tb */ // tb2
  int32 c = 3;
}

/* buf:lint:ignore COMMENT_MESSAGE */ message J {}
"""

# buf lint with COMMENTS: a block comment before an element on its line is no comment of it (nor is an ignore in it).
BUF_COMMENT_FINDINGS = [
    (4, 11, 4, 23, "COMMENT_MESSAGE"),
    (7, 12, 7, 24, "COMMENT_MESSAGE"),
    (10, 9, 10, 21, "COMMENT_MESSAGE"),
    (12, 17, 12, 29, "COMMENT_MESSAGE"),
    (15, 26, 15, 38, "COMMENT_MESSAGE"),
    (20, 1, 25, 2, "COMMENT_MESSAGE"),
    (22, 14, 22, 26, "COMMENT_FIELD"),
    (23, 3, 23, 15, "COMMENT_FIELD"),
    (27, 39, 27, 51, "COMMENT_MESSAGE"),
]


def test_block_comments_sharing_a_line_with_an_element_are_not_its_comments(protokit: Run, tmp_path: Path) -> None:
    config = "version: v2\nlint:\n  use: [COMMENTS]\n"
    tree = write_tree(tmp_path / "ws", {"buf.yaml": config, "c.proto": COMMENTS_PROTO})
    assert lint_rows(protokit, tree) == BUF_COMMENT_FINDINGS
    if BUF is not None:
        sys.path.insert(0, str(Path(__file__).parent / "conformance"))
        from lint_diff import differences

        assert differences(BUF, tree) == (set(), set(), len(BUF_COMMENT_FINDINGS))


def test_compile_errors_count_columns_in_bytes_like_bufs(protokit: Run, tmp_path: Path) -> None:
    """buf build said ``e.proto:5:15:cannot find `Foo` in this scope``: a tab is one column there, as any byte."""
    source = 'syntax = "proto3";\npackage err;\nmessage M {\n\tstring a = 1; // é\n\t/* 日本 */\tFoo b = 2;\n}\n'
    tree = write_tree(tmp_path / "ws", {"buf.yaml": "version: v2\n", "e.proto": source})
    result = protokit("build", tree, "-o", tmp_path / "out.binpb")
    assert result.returncode == 1 and "e.proto:5:15:" in result.stdout + result.stderr


def tabified(text: str) -> str:
    """``text`` indented with tabs (one per two spaces), a tab after field types, wide text in some comments."""
    lines = []
    for number, line in enumerate(text.split("\n")):
        indent = len(line) - len(line.lstrip(" "))
        line = "\t" * (indent // 2) + " " * (indent % 2) + line[indent:]
        line = re.sub(r"^(\t+)(string|int32|int64|bool|bytes|repeated) ", "\\1\\2\t", line)
        if line.rstrip().endswith(";") and "//" not in line and number % 3 == 0:
            line += " // 日本 é 😀"
        lines.append(line)
    return "\n".join(lines)


@needs_buf
@pytest.mark.parametrize("corpus", ["bad", "edge", "rpc"])
def test_lint_corpora_with_tabs_and_wide_text_match_buf_live(tmp_path: Path, corpus: str) -> None:
    """The lint corpora, re-indented with tabs and given wide comments: still Buf's findings at Buf's places."""
    sys.path.insert(0, str(Path(__file__).parent / "conformance"))
    from lint_diff import differences

    tree = Path(shutil.copytree(Path(__file__).parent / "data" / "lint" / corpus, tmp_path / corpus))
    for path in tree.rglob("*.proto"):
        try:
            path.write_text(tabified(path.read_text(encoding="utf-8")), encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a corpus file that is not UTF-8 on purpose
    only_buf, only_ours, same = differences(BUF, tree)  # type: ignore[arg-type]
    assert (only_buf, only_ours) == (set(), set()) and same > 0


CUSTOM_OPTIONS = {
    "lit/a.proto": """edition = "2023";
package lit;
import "google/protobuf/descriptor.proto";
message Opt { int32 a = 1; string b = 2; Opt nested = 3; repeated int32 r = 4; }
extend google.protobuf.FileOptions { Opt fopt = 50001; }
extend google.protobuf.FieldOptions { Opt opt = 50002; }
extend google.protobuf.MessageOptions { Opt mopt = 50003; }
option (fopt) = { a: 1 b: "x" nested { a: 2 } r: [1, 2] };
option features = { utf8_validation: NONE };
message M {
  string s = 1 [(opt) = {a: 1}, features = { utf8_validation: VERIFY field_presence: IMPLICIT }];
  string t = 2 [features.utf8_validation = NONE];
}
""",
    "lit/c.proto": """syntax = "proto3";
package litc;
import "lit/a.proto";
option (lit.fopt).nested = { a: 3 };
message Q {
  option (lit.mopt) = {
    b: "y"
  };
}
""",
}
# buf build's locations of option statements with literal values: from the option's name to the closing brace.
BUF_CUSTOM_LOCATIONS = {
    ("lit/a.proto", (8, 50001)): (7, 7, 57),
    ("lit/a.proto", (8, 50)): (8, 7, 43),
    ("lit/c.proto", (8, 50001, 3)): (3, 7, 35),
    ("lit/c.proto", (4, 0, 7, 50003)): (5, 9, 7, 3),
}


def test_option_statements_with_literals_are_located_as_in_buf(protokit: Run, tmp_path: Path) -> None:
    """Only the span of the option: Buf's locations inside custom option literals need their types (not done)."""
    tree = write_tree(tmp_path / "ws", {"buf.yaml": "version: v2\n", **CUSTOM_OPTIONS})
    result = protokit("build", tree, "-o", tmp_path / "out.binpb")
    assert result.returncode == 0, result.stderr
    files = descriptor_pb2.FileDescriptorSet.FromString((tmp_path / "out.binpb").read_bytes()).file
    spans = {(f.name, tuple(loc.path)): tuple(loc.span) for f in files for loc in f.source_code_info.location}
    assert {key: spans.get(key) for key in BUF_CUSTOM_LOCATIONS} == BUF_CUSTOM_LOCATIONS


def test_a_refused_statement_is_blanked_in_a_copy_never_in_the_source(tmp_path: Path) -> None:
    """protoc refuses what Buf accepts (generic services in a lite file); the statement is blanked in a copy in
    a scratch overlay, even when the file is named by its disk path rather than an import name."""
    from protokit.compile.worker import compile_chunk

    source = 'syntax = "proto2";\noption optimize_for = LITE_RUNTIME;\noption java_generic_services = true;\n'
    proto = tmp_path / "a.proto"
    proto.write_text(source + "message A {}\nservice S {\n  rpc Get(A) returns (A);\n}\n")
    written = proto.read_bytes()
    assert compile_chunk([str(tmp_path)], [("a.proto", str(proto))]).ok
    assert not compile_chunk([str(tmp_path)], [(str(proto), str(proto))]).ok  # no copy outside the overlay
    assert proto.read_bytes() == written
