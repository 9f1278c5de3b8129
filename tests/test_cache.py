"""The descriptor cache: unchanged files are not recompiled, changes invalidate dependents, damage is repaired."""

from __future__ import annotations

import itertools
import marshal
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Run, proto, write_tree
from google.protobuf import descriptor_pb2

from protokit.compile.cache import DescriptorCache
from protokit.compile.compiler import compile_workspace
from protokit.diagnostics import ProtokitError
from protokit.workspace import Workspace, open_workspace

TREE = {
    "acme/a/v1/a.proto": proto("acme.a.v1", "// A.\nmessage A {\n  // n.\n  string n = 1;\n}"),
    "acme/b/v1/b.proto": proto(
        "acme.b.v1", "// B.\nmessage B {\n  // a.\n  acme.a.v1.A a = 1;\n}", ("acme/a/v1/a.proto",)
    ),
    "acme/c/v1/c.proto": proto("acme.c.v1", "// C.\nmessage C {}"),
}


def compile_tree(root: Path, cache: Path, **kwargs):
    return compile_workspace(open_workspace([root]), DescriptorCache(cache), **kwargs)


def files_of(result) -> dict[str, descriptor_pb2.FileDescriptorProto]:
    data = descriptor_pb2.FileDescriptorSet.FromString(result.descriptor_set())
    return {f.name: f for f in data.file}


def test_warm_compile_reuses_every_file(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", TREE)
    cold = compile_tree(root, tmp_path / "cache")
    warm = compile_tree(root, tmp_path / "cache")
    assert (cold.compiled, warm.compiled) == (3, 0)
    assert warm.cache_hits == 3
    assert warm.descriptor_set() == cold.descriptor_set()


def test_a_change_recompiles_the_file_and_its_dependents_only(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", TREE)
    compile_tree(root, tmp_path / "cache")
    # A becomes an enum: b.proto's own text is unchanged, but its descriptor must change.
    write_tree(root, {"acme/a/v1/a.proto": proto("acme.a.v1", "// A.\nenum A {\n  // z.\n  A_UNSPECIFIED = 0;\n}")})
    result = compile_tree(root, tmp_path / "cache")
    assert result.compiled == 2 and result.cache_hits == 1
    field = files_of(result)["acme/b/v1/b.proto"].message_type[0].field[0]
    assert field.type == descriptor_pb2.FieldDescriptorProto.TYPE_ENUM


def test_corrupt_and_truncated_entries_are_ignored_and_rebuilt(tmp_path: Path) -> None:
    """An entry is read when a descriptor is needed; one that is truncated, altered or empty then is compiled
    again and rewritten."""
    root = write_tree(tmp_path / "repo", TREE)
    expected = compile_tree(root, tmp_path / "cache").descriptor_set()
    entries = sorted(p for p in (tmp_path / "cache" / "descriptors").rglob("*") if p.is_file())
    assert len(entries) == 3
    entries[0].write_bytes(entries[0].read_bytes()[:-7])  # truncated
    data = bytearray(entries[1].read_bytes())
    data[-1] ^= 0xFF  # one flipped bit
    entries[1].write_bytes(bytes(data))
    entries[2].write_bytes(b"")  # empty
    assert compile_tree(root, tmp_path / "cache").descriptor_set() == expected
    assert all(DescriptorCache(tmp_path / "cache").get(entry.name) is not None for entry in entries)
    assert sorted(p for p in (tmp_path / "cache" / "descriptors").rglob("*") if p.is_file()) == entries


def test_a_compile_stores_its_files_as_one_pack_linked_under_each_key(tmp_path: Path) -> None:
    """The files a compile made together are one file on disk, hard-linked under each key, with no temporary
    file left; damage to one entry of the pack makes that entry alone a miss, and its rebuild replaces that
    key's link with a file of its own, leaving the pack to the others."""
    root = write_tree(tmp_path / "repo", TREE)
    expected = compile_tree(root, tmp_path / "cache").descriptor_set()
    store = tmp_path / "cache" / "descriptors"
    entries = sorted(p for p in store.rglob("*") if p.is_file())
    assert len(entries) == 3 and len({p.stat().st_ino for p in entries}) == 1 and entries[0].stat().st_nlink == 3
    cache = DescriptorCache(tmp_path / "cache")
    payloads = {p.name: cache.get(p.name) for p in entries}
    assert all(entry is not None for entry in payloads.values())
    pack = bytearray(entries[0].read_bytes())
    damaged = payloads[entries[1].name]
    assert damaged is not None
    at = pack.index(damaged.descriptor)
    pack[at] ^= 0xFF
    entries[0].write_bytes(bytes(pack))  # the one inode: every key sees the damage, one entry has it
    assert [cache.get(p.name) is None for p in entries] == [False, True, False]
    assert compile_tree(root, tmp_path / "cache").descriptor_set() == expected
    assert cache.get(entries[1].name) == damaged and entries[1].stat().st_nlink == 1
    assert entries[0].stat().st_nlink == 2 and cache.get(entries[0].name) == payloads[entries[0].name]
    assert cache.get("0" * 64) is None and cache.meta(entries[0].name) == payloads[entries[0].name].meta


def test_without_hard_links_each_entry_is_a_file_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system that refuses hard links gets one file per entry, and the same descriptors."""
    root = write_tree(tmp_path / "repo", TREE)
    expected = compile_tree(root, tmp_path / "linked").descriptor_set()

    def refuse(source: str, target: str) -> None:
        raise PermissionError(1, "Operation not permitted", target)

    monkeypatch.setattr(os, "link", refuse)
    assert compile_tree(root, tmp_path / "plain").descriptor_set() == expected
    entries = [p for p in (tmp_path / "plain" / "descriptors").rglob("*") if p.is_file()]
    assert len(entries) == 3 and all(p.stat().st_nlink == 1 for p in entries)
    assert compile_tree(root, tmp_path / "plain").compiled == 0


def test_an_entry_deleted_after_its_compile_is_rebuilt_when_read(tmp_path: Path) -> None:
    """A file the workspace's manifest records as compiled under its key is not looked for in the cache (no stat
    per file); when its entry is gone after all, reading it compiles it again."""
    root = write_tree(tmp_path / "repo", TREE)
    expected = compile_tree(root, tmp_path / "cache").descriptor_set()
    for entry in (tmp_path / "cache" / "descriptors").rglob("*"):
        if entry.is_file():
            entry.unlink()
    again = compile_tree(root, tmp_path / "cache")
    assert again.compiled == 0 and again.descriptor_set() == expected
    assert len([p for p in (tmp_path / "cache" / "descriptors").rglob("*") if p.is_file()]) == 3


def test_parallel_chunks_give_the_same_set_as_one_process(tmp_path: Path) -> None:
    files = {
        f"acme/p{i}/v1/p{i}.proto": proto(
            f"acme.p{i}.v1", f"// M.\nmessage M{i} {{\n  // a.\n  acme.a.v1.A a = 1;\n}}", ("acme/a/v1/a.proto",)
        )
        for i in range(8)
    }
    root = write_tree(tmp_path / "repo", {**TREE, **files})
    serial = compile_tree(root, tmp_path / "serial", jobs=1)
    parallel = compile_tree(root, tmp_path / "parallel", jobs=2, parallel_min_bytes=0)
    assert parallel.compiled == serial.compiled == 11
    assert parallel.descriptor_set() == serial.descriptor_set()


def test_processes_sharing_a_cache_agree(tmp_path: Path, protokit: Run, cache_dir: Path) -> None:
    files = {f"acme/s{i}/v1/s{i}.proto": proto(f"acme.s{i}.v1", f"// S.\nmessage S{i} {{}}") for i in range(40)}
    root = write_tree(tmp_path / "repo", files)
    env = {"XDG_CACHE_HOME": str(cache_dir), "NO_COLOR": "1"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "protokit", "build", str(root), "-o", str(tmp_path / f"out{i}.binpb")],
            env={**os.environ, **env},
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    outputs = {(tmp_path / f"out{i}.binpb").read_bytes() for i in range(4)}
    assert len(outputs) == 1
    assert not list(cache_dir.rglob(".tmp-*"))
    assert compile_tree(root, cache_dir / "protokit").compiled == 0


def age(root: Path, seconds: float = 3600) -> None:
    """Set every file's modification time into the past, as for a checkout made earlier."""
    past = time.time() - seconds
    for path in root.rglob("*.proto"):
        os.utime(path, (past, past))


def test_source_index_skips_unchanged_files_and_sees_edits(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", TREE)
    age(root)
    compile_tree(root, tmp_path / "cache")
    index = next((tmp_path / "cache" / "sources").glob("*.marshal"))
    assert sorted(marshal.loads(index.read_bytes())) == sorted(str(root / name) for name in TREE)
    # Same size, new content, new modification time: the edit must be seen.
    a = root / "acme/a/v1/a.proto"
    a.write_text(a.read_text().replace("string n = 1;", "bytes  n = 1;"))
    result = compile_tree(root, tmp_path / "cache")
    assert result.compiled == 2
    field = files_of(result)["acme/a/v1/a.proto"].message_type[0].field[0]
    assert field.type == descriptor_pb2.FieldDescriptorProto.TYPE_BYTES


def test_recently_modified_files_are_not_trusted_to_the_index(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", TREE)  # just written: within the timestamp guard
    compile_tree(root, tmp_path / "cache")
    index = tmp_path / "cache" / "sources"
    assert not index.exists() or all(marshal.loads(p.read_bytes()) == {} for p in index.glob("*.marshal"))


def test_an_entrys_metadata_is_read_without_its_payload(tmp_path: Path) -> None:
    """``meta`` reads the header alone: the metadata of an entry, None for a missing or foreign file."""
    from protokit.compile.cache import Entry

    cache = DescriptorCache(tmp_path)
    cache.put("ab12", Entry(b"x" * 100_000, {"key": "run 1"}))
    assert cache.meta("ab12") == {"key": "run 1"} and cache.get("ab12") == Entry(b"x" * 100_000, {"key": "run 1"})
    assert cache.meta("cd34") is None
    (tmp_path / "descriptors" / "cd" / "cd34").parent.mkdir(parents=True)
    (tmp_path / "descriptors" / "cd" / "cd34").write_bytes(b"not an entry")
    assert cache.meta("cd34") is None and DescriptorCache(None).meta("ab12") is None


def test_chunks_cover_the_files_in_order_largest_first_within_bounds() -> None:
    """A large tree is cut into contiguous chunks, none above MAX_CHUNK_BYTES, shrinking towards the end (so
    that the workers end together) but not below MIN_CHUNK_BYTES; a small one still gives each worker one."""
    from types import SimpleNamespace

    from protokit.compile.compiler import MAX_CHUNK_BYTES, MIN_CHUNK_BYTES, _chunks

    sizes = {f"f{i:04}.proto": 20_000 + (i * 7919) % 40_000 for i in range(3000)}  # about 120 MB
    graph = SimpleNamespace(sources={name: SimpleNamespace(size=size) for name, size in sizes.items()})
    chunks = _chunks(list(reversed(sizes)), graph, 2)  # type: ignore[arg-type]
    assert [name for chunk in chunks for name in chunk] == sorted(sizes)
    totals = [sum(sizes[name] for name in chunk) for chunk in chunks]
    assert max(totals) <= MAX_CHUNK_BYTES + 60_000 and totals[0] >= MAX_CHUNK_BYTES
    assert all(total >= MIN_CHUNK_BYTES for total in totals[:-1]) and totals[-2] < totals[0] / 4
    assert all(later <= earlier + 60_000 for earlier, later in itertools.pairwise(totals))  # give or take a file
    small = {f"s{i}.proto": 1_000 for i in range(10)}
    graph = SimpleNamespace(sources={name: SimpleNamespace(size=size) for name, size in small.items()})
    assert [len(chunk) for chunk in _chunks(list(small), graph, 2)] == [5, 5]  # type: ignore[arg-type]
    assert _chunks(list(small), graph, 1) == [sorted(small)]  # type: ignore[arg-type]


def test_early_workers_start_for_a_first_compile_and_compile_what_new_ones_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workspace the cache has never compiled gets its workers before its sources are read; they compile
    what workers started by the compile do, and a later run (the cache knows the workspace) starts none early."""
    from protokit.compile import compiler

    monkeypatch.setattr(compiler, "EARLY_WORKERS_MIN_FILES", 5)
    files = {f"acme/p{i}/v1/p{i}.proto": proto(f"acme.p{i}.v1", f"// M.\nmessage M{i} {{}}") for i in range(8)}
    root = write_tree(tmp_path / "repo", files)
    workspace = open_workspace([root])
    cache = DescriptorCache(tmp_path / "early")
    with compiler.early_workers(workspace, cache, ("protokit.lint.parts",), jobs=2) as workers:
        assert workers is not None
        early = compile_workspace(workspace, cache, jobs=2, parallel_min_bytes=0, workers=workers)
    started = compile_tree(root, tmp_path / "started", jobs=2, parallel_min_bytes=0)
    assert early.compiled == started.compiled == 8
    assert early.descriptor_set() == started.descriptor_set()
    with compiler.early_workers(workspace, cache, jobs=2) as workers:
        assert workers is None
    with compiler.early_workers(workspace, DescriptorCache(None), jobs=2) as workers:
        assert workers is None  # no cache: nothing says whether it is a first compile


def test_workers_are_forked_where_that_is_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker forked from this process sees what this process changed in memory (a fresh one would not);
    with another thread running, workers are spawned instead."""
    import threading

    from protokit.compile import compiler
    from protokit.forking import can_fork

    default = compiler.READ_BATCH_FILES
    monkeypatch.setattr(compiler, "READ_BATCH_FILES", default + 1)
    asked = "__import__('protokit.compile.compiler', fromlist=['_']).READ_BATCH_FILES"
    forks = can_fork()
    with compiler._workers(1) as pool:
        assert pool.submit(eval, asked).result() == (default + 1 if forks else default)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with compiler._workers(1) as pool:
            assert pool.submit(eval, asked).result() == default
    finally:
        release.set()
        other.join()
    assert forks or sys.platform != "linux" or threading.active_count() > 1


def _die(*args: object) -> None:
    os._exit(9)  # as a worker killed by the system (out of memory) ends


def test_a_worker_that_dies_ends_the_compile_with_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A compile worker killed mid-chunk gives a clear error, not a traceback of the process pool."""
    from protokit.compile import compiler
    from protokit.forking import can_fork

    if not can_fork():
        pytest.skip("the worker is made to die through this process's memory, which only a forked one shares")
    monkeypatch.setattr(compiler, "_compile_in_worker", _die)
    files = {f"acme/p{i}/v1/p{i}.proto": proto(f"acme.p{i}.v1", f"// M.\nmessage M{i} {{}}") for i in range(8)}
    root = write_tree(tmp_path / "repo", files)
    with pytest.raises(ProtokitError) as failed:
        compile_tree(root, tmp_path / "cache", jobs=2, parallel_min_bytes=0)
    [diagnostic] = failed.value.diagnostics
    assert "compile worker process ended abruptly" in diagnostic.message


def _plan_sources(workspace: Workspace, cache: DescriptorCache, workers: object = None) -> dict[str, tuple]:
    from protokit.compile.compiler import plan_compile

    plan = plan_compile(workspace, cache, workers=workers)  # type: ignore[arg-type]
    return {name: (s.digest, s.size, s.imports, s.shown) for name, s in plan.graph.sources.items()}


def test_early_workers_read_the_sources_as_this_process_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sources read by the early workers (in batches, some taken back by this process) are those read here, with
    the same source index afterwards; a file they cannot decode is reported as without them."""
    from protokit.compile import compiler

    monkeypatch.setattr(compiler, "EARLY_WORKERS_MIN_FILES", 5)
    monkeypatch.setattr(compiler, "READ_BATCH_FILES", 2)
    files = {f"acme/p{i}/v1/p{i}.proto": proto(f"acme.p{i}.v1", f"message M{i} {{}}") for i in range(9)}
    files["acme/q/v1/q.proto"] = proto("acme.q.v1", "message Q {}", imports=("acme/p1/v1/p1.proto",))
    workspace = open_workspace([write_tree(tmp_path / "repo", files)])
    for file in workspace.files.values():  # settled: the source index records them
        os.utime(file.path, (time.time() - 60, time.time() - 60))
    with compiler.early_workers(workspace, DescriptorCache(tmp_path / "early"), jobs=2) as workers:
        assert workers is not None
        early = _plan_sources(workspace, DescriptorCache(tmp_path / "early"), workers)
    assert early == _plan_sources(workspace, DescriptorCache(tmp_path / "here"))
    indexes = [marshal.loads(next((tmp_path / side / "sources").iterdir()).read_bytes()) for side in ("early", "here")]
    assert indexes[0] == indexes[1] and len(indexes[0]) == 10

    (workspace.files["acme/p3/v1/p3.proto"].path).write_bytes(b"// caf\xe9\n")
    errors = []
    for side in ("early-bad", "here-bad"):
        cache = DescriptorCache(tmp_path / side)
        with compiler.early_workers(workspace, cache, jobs=2) as workers:
            with pytest.raises(ProtokitError) as raised:
                _plan_sources(workspace, cache, workers if side == "early-bad" else None)
        errors.append(str(raised.value))
    assert errors[0] == errors[1] and "p3.proto:1:7: file is not valid UTF-8 (byte 0xe9)" in errors[0]


def test_a_source_changed_since_another_process_read_it_is_read_again(tmp_path: Path) -> None:
    from protokit.compile.sources import SourceGraph, read_for_index

    root = write_tree(tmp_path / "repo", {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}")})
    workspace = open_workspace([root])
    path = workspace.files["acme/x/v1/a.proto"].path
    [before] = read_for_index([str(path)])
    path.write_text(proto("acme.x.v1", "message Changed {}", imports=("google/protobuf/empty.proto",)))
    graph = SourceGraph(workspace)
    graph.prefetched = {str(path): before}
    graph.load(workspace.targets)
    [after] = read_for_index([str(path)])
    source = graph.sources["acme/x/v1/a.proto"]
    assert before is not None and after is not None and before[3] != after[3]
    assert (source.digest, [list(i) for i in source.imports]) == (after[3], after[4])
