"""Differential tests against ``buf build``: the same files with the same descriptors.

Buf is only a test oracle: these tests run where a ``buf`` binary is found
(``$PROTOKIT_BUF``, ``PATH`` or ``node_modules/.bin`` from ``npm install @bufbuild/buf``)
and are skipped elsewhere.

What is compared: the same file names; for every file outside
``google/protobuf`` the same descriptor, byte for byte once serialized
deterministically; and the same source locations as a set (Buf's compiler lists
them in another order).  Known differences between protoc and Buf's compiler
that are left out: locations inside the pseudo-options ``default`` and
``json_name`` and inside group fields, and the final newline of trailing
comments.  The well-known types are compared by name only: Buf bundles its own
copy, newer or older than the one in grpcio-tools.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CONTRACTS, REPO, Run
from google.protobuf import descriptor_pb2

FEATURES = Path(__file__).parent / "data" / "features"


def find_buf() -> str | None:
    candidates = [os.environ.get("PROTOKIT_BUF"), shutil.which("buf"), str(REPO / "node_modules/.bin/buf")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


BUF = find_buf()
pytestmark = pytest.mark.skipif(BUF is None, reason="buf is not installed (npm install @bufbuild/buf)")


FIELD_PSEUDO_OPTIONS = {5, 6, 7, 8, 10}  # type, type_name, default_value, options, json_name


def comparable_location(location: descriptor_pb2.SourceCodeInfo.Location) -> tuple | None:
    path = tuple(location.path)
    # A field's own sub-locations (message_type[i].field[j].X) where the compilers differ.
    if len(path) >= 5 and path[-3] == 2 and path[-1] in FIELD_PSEUDO_OPTIONS:
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


def test_contracts_match_buf(protokit: Run, tmp_path: Path) -> None:
    """Buf cannot reach its registry here, so googleapis is given to it as a second local module."""
    import google.api

    workspace = tmp_path / "ws"
    shutil.copytree(CONTRACTS / "acme", workspace / "contracts" / "acme")
    googleapis = workspace / "googleapis" / "google" / "api"
    googleapis.mkdir(parents=True)
    for name in ("annotations.proto", "http.proto"):
        shutil.copy(Path(google.api.__path__[0]) / name, googleapis / name)
    (workspace / "buf.yaml").write_text("version: v2\nmodules:\n  - path: contracts\n  - path: googleapis\n")
    buf_build(workspace, tmp_path / "buf.binpb", "--path", "contracts")
    result = protokit("build", CONTRACTS, "-o", tmp_path / "ours.binpb")
    assert result.returncode == 0, result.stderr
    assert_same_sets(tmp_path / "ours.binpb", tmp_path / "buf.binpb")
