"""Differential tests against ``buf build``: the same files with the same descriptors.

Buf is only a test oracle: these tests run where a ``buf`` binary is found
(``$PROTOKIT_BUF``, ``PATH`` or ``node_modules/.bin`` from ``npm install @bufbuild/buf``)
and are skipped elsewhere.

What is compared: the same file names; for every file outside
``google/protobuf`` the same descriptor, byte for byte once serialized
deterministically; and the same source locations as a set (Buf's compiler lists
them in another order).  Known differences between protoc and Buf's compiler
that are left out: locations inside option statements and inside a field's
type, default and json_name, and the final newline of trailing comments.
The well-known types are compared by name only: Buf bundles its own
copy, newer or older than the one in grpcio-tools.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTRACTS, Run, find_buf
from google.protobuf import descriptor_pb2

FEATURES = Path(__file__).parent / "data" / "features"


BUF = find_buf()
pytestmark = pytest.mark.skipif(BUF is None, reason="buf is not installed (npm install @bufbuild/buf)")


# For each kind of element: its repeated children (field number -> kind) and its options field.
CHILDREN = {
    "file": ({4: "message", 5: "enum", 6: "service", 7: "field"}, 8),
    "message": ({2: "field", 6: "field", 3: "message", 4: "enum", 8: "oneof"}, 7),
    "field": ({}, 8),
    "enum": ({2: "value"}, 3),
    "value": ({}, 3),
    "service": ({2: "method"}, 3),
    "method": ({}, 4),
    "oneof": ({}, 2),
}
FIELD_DETAILS = {5, 6, 7, 10}  # type, type_name, default_value, json_name


def differs_between_compilers(path: tuple[int, ...]) -> bool:
    """Whether a location lies inside an option statement or a field's type, default or json_name."""
    kind, index = "file", 0
    while index < len(path):
        children, options = CHILDREN[kind]
        if path[index] == options:  # a field's option brackets themselves differ too
            return kind == "field" or index + 1 < len(path)
        if path[index] in children and index + 1 < len(path):
            kind, index = children[path[index]], index + 2
            continue
        return kind == "field" and path[index] in FIELD_DETAILS
    return False


def comparable_location(location: descriptor_pb2.SourceCodeInfo.Location) -> tuple | None:
    path = tuple(location.path)
    if differs_between_compilers(path):
        return None
    return (
        path,
        tuple(location.span),
        location.leading_comments,
        location.trailing_comments.rstrip("\n"),
        tuple(location.leading_detached_comments),
    )


def normalized(path: Path) -> dict[str, tuple[bytes, frozenset]]:
    """Each file of a set: its descriptor without source info, and its comparable source locations."""
    files = {}
    for file in descriptor_pb2.FileDescriptorSet.FromString(path.read_bytes()).file:
        file.DiscardUnknownFields()  # Buf's image extensions
        locations = frozenset(filter(None, map(comparable_location, file.source_code_info.location)))
        file.ClearField("source_code_info")
        if file.name.startswith("google/protobuf/"):
            files[file.name] = (b"", frozenset())
        else:
            files[file.name] = (file.SerializeToString(deterministic=True), locations)
    return files


def buf_build(workspace: Path, out: Path, *args: str) -> None:
    subprocess.run([BUF, "build", "-o", str(out), *args], cwd=workspace, check=True, capture_output=True)


def assert_same_sets(ours: Path, theirs: Path) -> None:
    mine, buf = normalized(ours), normalized(theirs)
    assert sorted(mine) == sorted(buf)
    different = [name for name in mine if mine[name] != buf[name]]
    assert different == []


def test_every_descriptor_feature_matches_buf(protokit: Run, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(FEATURES, workspace)
    (workspace / "buf.yaml").write_text("version: v2\n")
    buf_build(workspace, tmp_path / "buf.binpb")
    result = protokit("build", workspace, "-o", tmp_path / "ours.binpb")
    assert result.returncode == 0, result.stderr
    assert_same_sets(tmp_path / "ours.binpb", tmp_path / "buf.binpb")


@pytest.mark.parametrize("flags", [("--exclude-imports",), ("--exclude-source-info",)])
def test_exclude_flags_match_buf(protokit: Run, tmp_path: Path, flags: tuple[str, ...]) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(FEATURES, workspace)
    (workspace / "buf.yaml").write_text("version: v2\n")
    buf_build(workspace, tmp_path / "buf.binpb", *flags)
    result = protokit("build", workspace, "-o", tmp_path / "ours.binpb", *flags)
    assert result.returncode == 0, result.stderr
    assert_same_sets(tmp_path / "ours.binpb", tmp_path / "buf.binpb")


def contracts_workspace(root: Path, lint: str = "") -> Path:
    """The contracts as a Buf workspace; Buf cannot reach its registry here, so googleapis and protovalidate's
    validate.proto are local modules."""
    import google.api

    from protokit.includes import PROTOVALIDATE_ROOT

    workspace = root / "ws"
    shutil.copytree(CONTRACTS / "acme", workspace / "contracts" / "acme")
    googleapis = workspace / "googleapis" / "google" / "api"
    googleapis.mkdir(parents=True)
    for name in ("annotations.proto", "http.proto"):
        shutil.copy(Path(google.api.__path__[0]) / name, googleapis / name)
    vendor = workspace / "vendor" / "buf" / "validate"
    vendor.mkdir(parents=True)
    shutil.copy(PROTOVALIDATE_ROOT / "buf" / "validate" / "validate.proto", vendor)
    config = "version: v2\nmodules:\n  - path: contracts\n  - path: googleapis\n  - path: vendor\n" + lint
    (workspace / "buf.yaml").write_text(config)
    return workspace


def test_contracts_are_clean_under_buf_standard_and_comments_lint(tmp_path: Path) -> None:
    workspace = contracts_workspace(tmp_path, "lint:\n  use: [STANDARD, COMMENTS]\n  ignore: [googleapis, vendor]\n")
    result = subprocess.run([BUF, "lint"], cwd=workspace, capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_contracts_match_buf(protokit: Run, tmp_path: Path) -> None:
    workspace = contracts_workspace(tmp_path)
    buf_build(workspace, tmp_path / "buf.binpb", "--path", "contracts/acme")
    result = protokit("build", CONTRACTS, "-o", tmp_path / "ours.binpb")
    assert result.returncode == 0, result.stderr
    assert_same_sets(tmp_path / "ours.binpb", tmp_path / "buf.binpb")


@pytest.mark.parametrize("corpus", ["bad", "edge", "rpc", "good"])
def test_lint_findings_match_buf_live(tmp_path: Path, corpus: str) -> None:
    sys.path.insert(0, str(Path(__file__).parent / "conformance"))
    from lint_diff import differences

    tree = shutil.copytree(Path(__file__).parent / "data" / "lint" / corpus, tmp_path / corpus)
    only_buf, only_ours, _ = differences(BUF, tree)  # type: ignore[arg-type]
    assert (only_buf, only_ours) == (set(), set())


def test_lint_findings_match_buf_on_the_contracts_workspace(tmp_path: Path) -> None:
    """The contracts with googleapis as a second module, linted whole (googleapis has findings of its own)."""
    sys.path.insert(0, str(Path(__file__).parent / "conformance"))
    from lint_diff import differences

    workspace = contracts_workspace(tmp_path, "lint:\n  use: [STANDARD, COMMENTS]\n")
    only_buf, only_ours, same = differences(BUF, workspace)  # type: ignore[arg-type]
    assert (only_buf, only_ours) == (set(), set()) and same > 0


@pytest.mark.parametrize("against", ["HEAD~1", "v1.0.0"])
def test_breaking_on_a_synthetic_history_matches_buf(protokit: Run, tmp_path: Path, against: str) -> None:
    """The differential of benchmarks/breaking_bench.py on a small history: the same findings at the same places."""
    sys.path.insert(0, str(Path(__file__).parent / "conformance"))
    from breaking_diff import parse
    from conftest import synthetic_history

    repo = synthetic_history(tmp_path)
    ours = protokit("breaking", "--against", against, "--error-format", "json", cwd=repo)
    theirs = subprocess.run(
        [BUF, "breaking", "--against", f".git#ref={against}", "--error-format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert ours.returncode == theirs.returncode == 100, ours.stderr + theirs.stderr
    assert parse(ours.stdout) == parse(theirs.stdout)
