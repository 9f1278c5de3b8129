"""Every kind of bad input gives one clear located error, exit 1, no traceback and no output file."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import Run, proto, write_tree

GOOD = proto("acme.x.v1", "// A.\nmessage A {\n  // f.\n  string f = 1;\n}")


def assert_error(result, expected: str, out: Path | None = None) -> None:
    """Exit 1, ``expected`` on stderr, no traceback, and the output file not written."""
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    if out is not None:
        assert not out.exists()
        assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")]


def build(protokit: Run, root: Path, *args: str | Path):
    out = root / "out.binpb"
    return protokit("build", ".", "-o", out, *args, cwd=root), out


def test_syntax_error(protokit: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {\n  int32 x = 1\n}")})
    result, out = build(protokit, tmp_path)
    assert_error(result, 'acme/x/v1/a.proto:6:1: Expected ";".', out)


def test_import_of_missing_file(protokit: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "", ("acme/x/v1/missing.proto",))})
    result, out = build(protokit, tmp_path)
    assert_error(result, 'acme/x/v1/a.proto:5:1: import "acme/x/v1/missing.proto": file not found', out)
    assert "list a pip distribution that ships it under deps" in result.stderr


def test_import_from_a_bsr_dependency_says_nothing_is_fetched(protokit: Run, tmp_path: Path) -> None:
    """envoy's buf.yaml lists BSR modules under deps: the import is located and the way out is named."""
    config = "version: v2\ndeps:\n  - buf.build/cncf/xds\n"
    write_tree(tmp_path, {"buf.yaml": config, "acme/x/v1/a.proto": proto("acme.x.v1", "", ("xds/core/v3/cidr.proto",))})
    result, out = build(protokit, tmp_path)
    assert_error(result, 'acme/x/v1/a.proto:5:1: import "xds/core/v3/cidr.proto": file not found', out)
    assert "protokit fetches nothing from the BSR: add the dependency's protos to the workspace as a module" in (
        result.stderr
    )
    assert len(result.stderr.strip().splitlines()) == 1


def test_import_cycle(protokit: Run, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "acme/x/v1/a.proto": proto("acme.x.v1", "", ("acme/x/v1/b.proto",)),
            "acme/x/v1/b.proto": proto("acme.x.v1", "", ("acme/x/v1/a.proto",)),
        },
    )
    result, out = build(protokit, tmp_path)
    assert_error(
        result, "acme/x/v1/b.proto:5:1: import cycle: acme/x/v1/a.proto -> acme/x/v1/b.proto -> acme/x/v1/a.proto", out
    )


def test_import_cycle_made_by_an_edit_of_indexed_files(protokit: Run, tmp_path: Path) -> None:
    """Files the source index recorded skip the cycle check (it passed when they were recorded); an edit that
    closes a cycle is read again, and refused."""
    a = ("acme/x/v1/a.proto", proto("acme.x.v1", "", ("acme/x/v1/b.proto",)))
    write_tree(tmp_path, {a[0]: a[1], "acme/x/v1/b.proto": proto("acme.x.v1", "")})
    past = time.time() - 3600  # older than the index's settling time: recorded
    for path in tmp_path.rglob("*.proto"):
        os.utime(path, (past, past))
    assert build(protokit, tmp_path)[0].returncode == 0
    assert build(protokit, tmp_path)[0].returncode == 0  # every file from the index
    write_tree(tmp_path, {"acme/x/v1/b.proto": proto("acme.x.v1", "", ("acme/x/v1/a.proto",))})
    os.utime(tmp_path / "acme/x/v1/b.proto", (past + 60, past + 60))
    (tmp_path / "out.binpb").unlink()
    result, out = build(protokit, tmp_path)
    assert_error(
        result, "acme/x/v1/b.proto:5:1: import cycle: acme/x/v1/a.proto -> acme/x/v1/b.proto -> acme/x/v1/a.proto", out
    )


def test_duplicate_symbol_across_files(protokit: Run, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "acme/x/v1/a.proto": proto("acme.x.v1", "message Dup {}"),
            "acme/x/v1/b.proto": proto("acme.x.v1", "message Dup {}"),
        },
    )
    result, out = build(protokit, tmp_path)
    assert_error(result, 'acme/x/v1/b.proto:4:9: "acme.x.v1.Dup" is already defined in file "acme/x/v1/a.proto".', out)


def test_duplicate_symbol_against_a_cached_file(protokit: Run, tmp_path: Path) -> None:
    """The clash is found even when the first file comes from the cache and protoc never sees both."""
    write_tree(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "message Dup {}")})
    first, _ = build(protokit, tmp_path)
    assert first.returncode == 0, first.stderr
    write_tree(tmp_path, {"acme/x/v1/b.proto": proto("acme.x.v1", "\n\nmessage Dup {}")})
    (tmp_path / "out.binpb").unlink()
    result, out = build(protokit, tmp_path)
    assert_error(result, 'acme/x/v1/b.proto:6:9: "acme.x.v1.Dup" is already defined in file "acme/x/v1/a.proto".', out)


def test_file_that_is_not_utf8(protokit: Run, tmp_path: Path) -> None:
    content = proto("acme.x.v1", "// caf\xe9\nmessage A {}").encode("latin-1")
    write_tree(tmp_path, {"acme/x/v1/a.proto": content})
    result, out = build(protokit, tmp_path)
    assert_error(result, "acme/x/v1/a.proto:4:7: file is not valid UTF-8 (byte 0xe9)", out)


def test_empty_file_compiles_and_lints_as_in_buf(protokit: Run, tmp_path: Path) -> None:
    """Buf compiles an empty file (proto2, no package) and lints it; so does protokit."""
    write_tree(tmp_path, {"acme/x/v1/a.proto": GOOD, "acme/x/v1/empty.proto": "\n  \n"})
    result, out = build(protokit, tmp_path)
    assert result.returncode == 0, result.stderr
    lint = protokit("lint", "--error-format", "json", cwd=tmp_path)
    found = {(f["path"], f["type"]) for f in map(json.loads, lint.stdout.splitlines())}
    assert {("acme/x/v1/empty.proto", "PACKAGE_DEFINED"), ("acme/x/v1/empty.proto", "SYNTAX_SPECIFIED")} <= found


def test_path_outside_every_root(protokit: Run, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "protokit.yaml": "version: v1\nmodules:\n  - path: proto\n",
            "proto/acme/x/v1/a.proto": GOOD,
            "other/acme/y/v1/b.proto": proto("acme.y.v1"),
        },
    )
    result, out = build(protokit, tmp_path, "--path", "other/acme/y/v1/b.proto")
    assert_error(result, "other/acme/y/v1/b.proto: not inside any module root (roots: proto)", out)


def test_directory_without_proto_files(protokit: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"docs/readme.md": "nothing here\n"})
    out = tmp_path / "out.binpb"
    result = protokit("build", "docs", "-o", out, cwd=tmp_path)
    assert_error(result, "docs: no .proto files found", out)


def test_nonexistent_path(protokit: Run, tmp_path: Path) -> None:
    out = tmp_path / "out.binpb"
    result = protokit("build", "does/not/exist", "-o", out, cwd=tmp_path)
    assert_error(result, "does/not/exist: no such file or directory", out)


def test_invalid_yaml(protokit: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"protokit.yaml": "version: v1\nmodules: [\n  - path: .\n", "acme/x/v1/a.proto": GOOD})
    result, out = build(protokit, tmp_path)
    assert_error(result, "protokit.yaml:3:3: invalid YAML: expected the node content", out)


def test_config_key_of_wrong_type(protokit: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"protokit.yaml": "version: v1\nlint:\n  use: STANDARD\n", "acme/x/v1/a.proto": GOOD})
    result, out = build(protokit, tmp_path)
    assert_error(result, "protokit.yaml:3:8: lint.use must be a list of strings, got a string ('STANDARD')", out)


def test_unknown_config_key_suggests_the_nearest(protokit: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"protokit.yaml": "version: v1\nmodlues:\n  - path: .\n", "acme/x/v1/a.proto": GOOD})
    result, out = build(protokit, tmp_path)
    assert_error(result, 'protokit.yaml:2:1: unknown key "modlues" in the top level; did you mean "modules"?', out)


@pytest.mark.parametrize(
    ("section", "wrong", "right"),
    [("lint", "ENUM_PASCAL_CASES", "ENUM_PASCAL_CASE"), ("breaking", "FIELD_NO_DELET", "FIELD_NO_DELETE")],
)
def test_unknown_rule_id(protokit: Run, tmp_path: Path, section: str, wrong: str, right: str) -> None:
    config = f"version: v1\n{section}:\n  except:\n    - {wrong}\n"
    write_tree(tmp_path, {"protokit.yaml": config, "acme/x/v1/a.proto": GOOD})
    result, out = build(protokit, tmp_path)
    expected = (
        f'protokit.yaml:4:7: unknown {section} rule or category "{wrong}" in {section}.except; did you mean "{right}"?'
    )
    assert_error(result, expected, out)


def test_output_in_missing_directory(protokit: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"acme/x/v1/a.proto": GOOD})
    out = tmp_path / "missing" / "out.binpb"
    result = protokit("build", ".", "-o", out, cwd=tmp_path)
    assert_error(result, "output directory missing does not exist", None)
    assert not out.parent.exists()
