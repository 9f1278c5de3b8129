"""``protokit build``: what goes into the descriptor set, and how inputs select files."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CONTRACTS, Run, proto, write_tree
from google.protobuf import descriptor_pb2, json_format

TREE = {
    "acme/a/v1/a.proto": proto(
        "acme.a.v1",
        "// A.\nmessage A {\n  // t.\n  google.protobuf.Timestamp t = 1;\n}",
        ("google/protobuf/timestamp.proto",),
    ),
    "acme/b/v1/b.proto": proto(
        "acme.b.v1", "// B.\nmessage B {\n  // a.\n  acme.a.v1.A a = 1;\n}", ("acme/a/v1/a.proto",)
    ),
}


def read_set(path: Path) -> list[descriptor_pb2.FileDescriptorProto]:
    return list(descriptor_pb2.FileDescriptorSet.FromString(path.read_bytes()).file)


def test_contracts_build_has_every_file_imports_and_source_info(protokit: Run, tmp_path: Path) -> None:
    out = tmp_path / "out.binpb"
    result = protokit("build", CONTRACTS, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    files = {f.name: f for f in read_set(out)}
    ours = sorted(p.relative_to(CONTRACTS).as_posix() for p in CONTRACTS.rglob("*.proto"))
    assert len(ours) >= 8
    assert set(ours) <= set(files)
    for name in (
        "google/protobuf/timestamp.proto",
        "google/protobuf/empty.proto",
        "google/api/annotations.proto",
        "google/api/http.proto",
    ):
        assert name in files
    for file in files.values():
        assert set(file.dependency) <= set(files)
        assert file.source_code_info.location, file.name
    seen: set[str] = set()
    for file in read_set(out):  # dependencies come before the files that import them
        assert set(file.dependency) <= seen, file.name
        seen.add(file.name)


def test_exclude_imports_and_source_info(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", TREE)
    result = protokit("build", ".", "-o", "out.binpb", "--exclude-imports", "--exclude-source-info", cwd=repo)
    assert result.returncode == 0, result.stderr
    files = read_set(repo / "out.binpb")
    assert [f.name for f in files] == ["acme/a/v1/a.proto", "acme/b/v1/b.proto"]
    assert not any(f.HasField("source_code_info") for f in files)


def test_json_output_is_the_protobuf_json_mapping(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", TREE)
    result = protokit("build", ".", "-o", "out.json", cwd=repo)
    assert result.returncode == 0, result.stderr
    parsed = json_format.Parse((repo / "out.json").read_text(), descriptor_pb2.FileDescriptorSet())
    protokit("build", ".", "-o", "out.binpb", cwd=repo)
    assert parsed == descriptor_pb2.FileDescriptorSet.FromString((repo / "out.binpb").read_bytes())
    assert json.loads((repo / "out.json").read_text())["file"][-1]["messageType"][0]["name"] == "B"


def test_path_restricts_targets_and_keeps_their_imports(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", {**TREE, "acme/c/v1/c.proto": proto("acme.c.v1", "message C {}")})
    result = protokit("build", ".", "--path", "acme/b", "-o", "out.binpb", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert [f.name for f in read_set(repo / "out.binpb")] == [
        "google/protobuf/timestamp.proto", "acme/a/v1/a.proto", "acme/b/v1/b.proto",
    ]  # fmt: skip
    only = protokit("build", ".", "--path", "acme/b/v1/b.proto", "--exclude-imports", "-o", "out.binpb", cwd=repo)
    assert only.returncode == 0
    assert [f.name for f in read_set(repo / "out.binpb")] == ["acme/b/v1/b.proto"]


def test_subdirectory_input_uses_the_configuration_above_it(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "repo",
        {"protokit.yaml": "version: v1\nmodules:\n  - path: proto\n", **{f"proto/{k}": v for k, v in TREE.items()}},
    )
    result = protokit("build", "proto/acme/b", "-o", "out.binpb", "--exclude-imports", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert [f.name for f in read_set(repo / "out.binpb")] == ["acme/b/v1/b.proto"]


def test_module_excludes_are_honoured(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "repo",
        {
            "protokit.yaml": "version: v1\nmodules:\n  - path: .\n    excludes: [vendor]\n",
            **TREE,
            "vendor/broken.proto": "this is not proto",
        },
    )
    result = protokit("build", ".", "-o", "out.binpb", "--exclude-imports", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert [f.name for f in read_set(repo / "out.binpb")] == ["acme/a/v1/a.proto", "acme/b/v1/b.proto"]


def test_buf_work_yaml_repository_builds_as_is(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "repo",
        {
            "buf.work.yaml": "version: v1\ndirectories:\n  - common\n  - services\n",
            "common/buf.yaml": "version: v1\nbuild:\n  excludes: [tmp]\n",
            "common/acme/a/v1/a.proto": TREE["acme/a/v1/a.proto"],
            "common/tmp/scratch.proto": "not proto at all",
            "services/acme/b/v1/b.proto": TREE["acme/b/v1/b.proto"],
        },
    )
    result = protokit("build", ".", "-o", "out.binpb", "--exclude-imports", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert [f.name for f in read_set(repo / "out.binpb")] == ["acme/a/v1/a.proto", "acme/b/v1/b.proto"]


def test_same_import_name_in_two_modules_is_an_error(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "repo",
        {
            "buf.yaml": "version: v2\nmodules:\n  - path: one\n  - path: two\n",
            "one/acme/a/v1/a.proto": TREE["acme/a/v1/a.proto"],
            "two/acme/a/v1/a.proto": TREE["acme/a/v1/a.proto"],
        },
    )
    result = protokit("build", ".", "-o", "out.binpb", cwd=repo)
    assert result.returncode == 1
    assert '"acme/a/v1/a.proto" is also defined in module one' in result.stderr
    assert not (repo / "out.binpb").exists()


def test_warnings_are_shown_and_do_not_fail_the_build(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "repo", {"acme/x/v1/x.proto": proto("acme.x.v1", "message X {}", ("google/protobuf/empty.proto",))}
    )
    for _ in range(2):  # the warning is kept in the cache, so a warm build shows it too
        result = protokit("build", ".", "-o", "out.binpb", cwd=repo)
        assert result.returncode == 0
        assert "acme/x/v1/x.proto:5:1: warning: Import google/protobuf/empty.proto is unused." in result.stderr
