"""PROTOVALIDATE's static checks on a file where each check has a failing (``bad_*``) and a passing (``ok_*``)
case, compared line for line with ``buf lint`` when buf is installed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import Run, find_buf

from protokit.includes import PROTOVALIDATE_ROOT

CHECKS = Path(__file__).parent / "data" / "validate" / "checks.proto"
IGNORES = CHECKS.with_name("ignores.proto")
RELATIVE = CHECKS.with_name("relative")
CONFIG = """version: v2
modules:
  - path: proto
    lint:
      use: [PROTOVALIDATE]
  - path: vendor
    lint:
      use: [PROTOVALIDATE]
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A workspace of the checks file and, in a module of its own, validate.proto (Buf needs it there)."""
    (tmp_path / "proto").mkdir()
    shutil.copy(CHECKS, tmp_path / "proto")
    vendor = tmp_path / "vendor" / "buf" / "validate"
    vendor.mkdir(parents=True)
    shutil.copy(PROTOVALIDATE_ROOT / "buf" / "validate" / "validate.proto", vendor)
    (tmp_path / "buf.yaml").write_text(CONFIG)
    return tmp_path


def _declared(line: str) -> str:
    """The name a field line declares, or ""."""
    head = line.split("[", 1)[0].strip()
    return head.split("=")[0].split()[-1] if "=" in head and not head.startswith(("option", "//")) else ""


def test_each_bad_case_is_reported_and_no_ok_case_is(protokit: Run, tree: Path) -> None:
    result = protokit("lint", "--error-format", "json", cwd=tree)
    assert result.returncode == 100, result.stderr
    lines = {json.loads(row)["start_line"] for row in result.stdout.splitlines()}
    source = CHECKS.read_text().splitlines()
    names = {number: _declared(text) for number, text in enumerate(source, 1)}
    assert {n for n, name in names.items() if name.startswith("bad_")} <= lines
    assert not {n for n, name in names.items() if name.startswith("ok_")} & lines
    assert len(result.stdout.splitlines()) > 60


def test_the_findings_are_bufs_line_for_line(protokit: Run, tree: Path) -> None:
    buf = find_buf()
    if buf is None:
        pytest.skip("buf is not installed (npm install @bufbuild/buf)")
    theirs = subprocess.run([buf, "lint", "--error-format", "json"], cwd=tree, capture_output=True, text=True)
    ours = protokit("lint", "--error-format", "json", cwd=tree)
    assert (ours.returncode, ours.stdout) == (theirs.returncode, theirs.stdout)


def test_comment_ignores_on_the_message_and_the_option_statement_work_as_in_buf(protokit: Run, tree: Path) -> None:
    """``buf:lint:ignore PROTOVALIDATE`` above a message (nested ones included) or an ``option`` statement
    silences its findings; one inside a field's brackets does not, as in Buf."""
    (tree / "proto" / "checks.proto").unlink()
    shutil.copy(IGNORES, tree / "proto")
    result = protokit("lint", "--error-format", "json", cwd=tree)
    assert [json.loads(row)["start_line"] for row in result.stdout.splitlines()] == [14, 17, 18]
    buf = find_buf()
    if buf is not None:
        theirs = subprocess.run([buf, "lint", "--error-format", "json"], cwd=tree, capture_output=True, text=True)
        assert result.stdout == theirs.stdout


def test_relative_extension_names_in_option_values_compile_and_keep_their_columns(protokit: Run, tree: Path) -> None:
    """``[name_component]: 50`` inside a literal (a predefined rule named relative to the package, as Buf
    allows and protoc does not) compiles, applies to examples, and findings after it on its line keep their
    columns."""
    (tree / "proto" / "checks.proto").unlink()
    people = tree / "proto" / "acme" / "people" / "v1"
    shutil.copytree(RELATIVE, people)
    result = protokit("lint", "--error-format", "json", cwd=tree)
    rows = [json.loads(row) for row in result.stdout.splitlines()]
    assert [(r["start_line"], r["start_column"]) for r in rows] == [(9, 79), (9, 91), (12, 5), (14, 87), (14, 99)]
    assert "string.name_component" in rows[2]["message"]
    buf = find_buf()
    if buf is not None:
        theirs = subprocess.run([buf, "lint", "--error-format", "json"], cwd=tree, capture_output=True, text=True)
        assert result.stdout == theirs.stdout
