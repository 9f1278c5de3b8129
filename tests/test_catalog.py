"""The catalog equals Buf's rule tables in every buf.yaml version; deprecated IDs work as in Buf."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import Run, find_buf, git, write_tree

from protokit.catalog import VERSIONS, RuleKind, rules
from protokit.docs import implementations

BUF = find_buf()
needs_buf = pytest.mark.skipif(BUF is None, reason="buf is not installed (python tests/tools/install_buf.py)")


def buf_table(kind: RuleKind, version: str) -> dict[str, dict]:
    """``buf config ls-<kind>-rules --version V --include-deprecated --format json``, by ID."""
    assert BUF is not None
    command = [BUF, "config", f"ls-{kind}-rules", "--version", version, "--include-deprecated", "--format", "json"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return {(row := json.loads(line))["id"]: row for line in output.splitlines()}


@needs_buf
@pytest.mark.parametrize("kind", ["lint", "breaking"])
@pytest.mark.parametrize("version", VERSIONS)
def test_catalog_equals_bufs_table(kind: RuleKind, version: str) -> None:
    theirs = buf_table(kind, version)
    ours = {i: s for i, s in rules(kind).items() if s.exists_in(version) and s.origin == "buf"}
    assert set(ours) == set(theirs)
    for rule_id, spec in ours.items():
        row = theirs[rule_id]
        assert list(spec.categories_in(version)) == (row["categories"] or []), rule_id
        assert spec.default_in(version) == row["default"], rule_id
        assert (spec.status == "deprecated") == row["deprecated"], rule_id
        assert list(spec.replaced_by) == (row["replacements"] or []), rule_id


@pytest.mark.parametrize("kind", ["lint", "breaking"])
def test_every_stable_rule_is_implemented_and_nothing_else(kind: RuleKind) -> None:
    stable = {i for i, s in rules(kind).items() if s.status == "stable"}
    assert set(implementations(kind)) == stable


def test_rule_ids_are_written_out_in_the_catalog() -> None:
    """Every ID is greppable: the catalog spells each one literally."""
    source = (Path(__file__).parent.parent / "protokit" / "catalog.py").read_text()
    assert all(f'"{rule_id}"' in source for kind in ("lint", "breaking") for rule_id in rules(kind))  # type: ignore[arg-type]


LAX = 'syntax = "proto3";\npackage acme.v1;\nmessage M {\n  int32 Bad = 1;\n}\n'


def lint_both(protokit: Run, root: Path) -> tuple[list[str], list[str], str]:
    """(Buf's findings, protokit's findings, protokit's stderr) as path:line:col:rule lines."""

    def rows(output: str) -> list[str]:
        found = [json.loads(line) for line in output.splitlines() if line.strip()]
        return sorted(f"{r['path']}:{r['start_line']}:{r['start_column']}:{r['type']}" for r in found)

    ours = protokit("lint", "--error-format", "json", cwd=root)
    assert ours.returncode in (0, 100), ours.stderr
    theirs: list[str] = []
    if BUF:
        buf = subprocess.run([BUF, "lint", "--error-format", "json"], cwd=root, capture_output=True, text=True)
        theirs = rows(buf.stdout)
    return theirs, rows(ours.stdout), protokit("lint", cwd=root).stderr


@pytest.mark.parametrize(
    ("config", "warning", "expected"),
    [
        (
            "version: v1\nlint:\n  use: [DEFAULT]\n",
            "buf.yaml:3:9: warning: category DEFAULT is deprecated; it now means STANDARD: write STANDARD instead",
            ["acme/v1/m.proto:4:9:FIELD_LOWER_SNAKE_CASE"],
        ),
        (
            "version: v1beta1\nlint:\n  use: [STYLE_DEFAULT]\n",
            "buf.yaml:3:9: warning: category STYLE_DEFAULT is deprecated; it now means STYLE_STANDARD: "
            "write STYLE_STANDARD instead",
            ["acme/v1/m.proto:4:9:FIELD_LOWER_SNAKE_CASE"],
        ),
        (
            "version: v2\nlint:\n  use: [IMPORT_NO_WEAK, FIELD_LOWER_SNAKE_CASE]\n",
            "buf.yaml:3:9: warning: rule IMPORT_NO_WEAK is deprecated and checks nothing; remove it",
            ["acme/v1/m.proto:4:9:FIELD_LOWER_SNAKE_CASE"],
        ),
    ],
)
def test_deprecated_lint_names_work_with_a_warning(
    protokit: Run, tmp_path: Path, config: str, warning: str, expected: list[str]
) -> None:
    root = write_tree(tmp_path, {"buf.yaml": config, "acme/v1/m.proto": LAX})
    theirs, ours, stderr = lint_both(protokit, root)
    assert ours == expected
    assert warning in stderr.splitlines()
    if BUF:
        assert theirs == ours


OLD = 'syntax = "proto2";\npackage acme.v1;\nmessage M {\n  optional string id = 1 [ctype = CORD];\n}\n'
NEW = 'syntax = "proto2";\npackage acme.v1;\nmessage M {\n  repeated string id = 1;\n}\n'


def breaking_both(protokit: Run, tmp_path: Path, config: str) -> tuple[list[str], list[str], str]:
    """Buf's and protokit's breaking findings (path:line:col:rule) for OLD -> NEW under ``config``."""
    repo = write_tree(tmp_path / "repo", {"buf.yaml": config, "acme/v1/m.proto": OLD})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "old")
    write_tree(repo, {"acme/v1/m.proto": NEW})

    def rows(output: str) -> list[str]:
        found = [json.loads(line) for line in output.splitlines() if line.strip()]
        return sorted(f"{r['path']}:{r.get('start_line', 0)}:{r.get('start_column', 0)}:{r['type']}" for r in found)

    ours = protokit("breaking", "--against", "main", "--error-format", "json", cwd=repo)
    assert ours.returncode in (0, 100), ours.stderr
    text = protokit("breaking", "--against", "main", cwd=repo)
    theirs: list[str] = []
    if BUF:
        command = [BUF, "breaking", "--against", ".git#branch=main", "--error-format", "json"]
        theirs = rows(subprocess.run(command, cwd=repo, capture_output=True, text=True).stdout)
    return theirs, rows(ours.stdout), text.stderr


@pytest.mark.parametrize(
    ("use", "expected"),
    [
        (
            "FIELD_SAME_LABEL",
            ["acme/v1/m.proto:4:3:FIELD_SAME_CARDINALITY", "acme/v1/m.proto:4:3:FIELD_WIRE_COMPATIBLE_CARDINALITY",
             "acme/v1/m.proto:4:3:FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"],
        ),
        ("FIELD_SAME_CTYPE", ["acme/v1/m.proto:4:3:FIELD_SAME_CPP_STRING_TYPE"]),
    ],
)  # fmt: skip
def test_deprecated_breaking_ids_run_their_replacements(
    protokit: Run, tmp_path: Path, use: str, expected: list[str]
) -> None:
    theirs, ours, stderr = breaking_both(protokit, tmp_path, f"version: v1\nbreaking:\n  use: [{use}]\n")
    assert ours == expected
    assert len(stderr.splitlines()) == 1 and f"rule {use} is deprecated" in stderr
    if BUF:
        assert theirs == ours


def test_deprecated_id_in_ignore_only_silences_its_replacements(protokit: Run, tmp_path: Path) -> None:
    config = "version: v1\nbreaking:\n  use: [FILE]\n  ignore_only:\n    FIELD_SAME_LABEL: [acme]\n"
    theirs, ours, _ = breaking_both(protokit, tmp_path, config)
    assert "acme/v1/m.proto:4:3:FIELD_SAME_CARDINALITY" not in ours
    if BUF:
        assert theirs == ours


def test_v2_rejects_ids_that_only_older_versions_know(protokit: Run, tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"buf.yaml": "version: v2\nlint:\n  use: [FIELD_NO_DESCRIPTOR]\n", "a.proto": LAX})
    result = protokit("lint", cwd=root)
    assert result.returncode == 1
    assert 'buf.yaml:3:9: unknown lint rule or category "FIELD_NO_DESCRIPTOR" in lint.use' in result.stderr
    assert "exists in configuration version v1beta1, not in v2" in result.stderr
