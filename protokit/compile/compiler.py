"""Compiling a workspace: cached per file, cache misses compiled in parallel chunks."""

from __future__ import annotations

import atexit
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from protokit import __version__
from protokit.collection import collect_leftovers, set_for_workers
from protokit.compile.cache import DescriptorCache, Entry
from protokit.compile.manifest import Manifest
from protokit.compile.protoc import ProtocMessage, join_descriptor_set
from protokit.compile.source_index import SourceIndex
from protokit.compile.sources import Source, SourceGraph, dependency_order, read_for_index
from protokit.compile.worker import ChunkResult, FileWork, compile_chunk, preload, symbol_position
from protokit.diagnostics import Diagnostic, ProtokitError
from protokit.forking import can_fork
from protokit.workspace import Workspace

if TYPE_CHECKING:  # the pool's modules are imported when a pool is started: most runs compile little or nothing
    from concurrent.futures import Future, ProcessPoolExecutor

Progress = Callable[[int, int], None]
T = TypeVar("T")

# Below this much source to compile, a worker pool costs more than it saves.
PARALLEL_MIN_BYTES = 512 * 1024
# Large trees are compiled in chunks, handed to the workers largest first (see _chunks): none holds more
# source than MAX_CHUNK_BYTES (protoc's memory grows with it, to about 1 GB for googleapis' 63 MB in one
# run) nor, but the last, less than MIN_CHUNK_BYTES (each chunk parses the files it imports again).
MAX_CHUNK_BYTES = 8 * 1024 * 1024
MIN_CHUNK_BYTES = 1024 * 1024
# A workspace the cache has never compiled, of at least this many files, gets its workers started before its
# sources are read (they start while the sources are read, instead of after).
EARLY_WORKERS_MIN_FILES = 200
# Those workers read the sources with this process, in batches of this many files.
READ_BATCH_FILES = 250
# What the compiled descriptors hold besides protoc's output: changing it invalidates cached ones.
DESCRIPTOR_FORMAT = (
    "buf-columns 1, refused statements 3, literal options 6, shared-line comments 1, buf refusals 2, directives 1, "
    "qualified extension names 1"
)


class Entries(Mapping[str, Entry]):
    """The compiled files by name, each read from the cache the first time it is looked up (a run that
    needs few descriptors reads few); one whose cache entry turned out unreadable is compiled again."""

    def __init__(self, cache: DescriptorCache, keys: dict[str, str], rebuild: Callable[[str], Entry]) -> None:
        self._cache, self._keys, self._rebuild = cache, keys, rebuild
        self._loaded: dict[str, Entry] = {}

    def __getitem__(self, name: str) -> Entry:
        entry = self._loaded.get(name) or self._cache.get(self._keys[name])
        if entry is None:
            self.put(name, self._rebuild(name))
            return self._loaded[name]
        self._loaded[name] = entry
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def put(self, name: str, entry: Entry, *, stored: bool = False) -> None:
        """A freshly compiled file, stored in the cache too (unless the worker ``stored`` it already)."""
        self._loaded[name] = entry
        if not stored:
            self._cache.put(self._keys[name], entry)


@dataclass
class CompileResult:
    """The compiled closure of the targets: entries by name, dependency order, warnings and cache stats."""

    targets: tuple[str, ...]
    order: list[str]
    entries: Mapping[str, Entry]
    sources: dict[str, Source]
    warnings: list[Diagnostic] = field(default_factory=list)
    cache_hits: int = 0
    compiled: int = 0
    keys: dict[str, str] = field(default_factory=dict)
    metas: dict[str, dict[str, Any]] = field(default_factory=dict)  # each file's package, symbols and warnings
    extras: dict[str, Any] = field(default_factory=dict)  # what a FileWork made of each file this run compiled

    def descriptor_set(self, *, include_imports: bool = True) -> bytes:
        """The serialized ``FileDescriptorSet``, dependencies before dependents."""
        wanted = set(self.targets)
        names = self.order if include_imports else [n for n in self.order if n in wanted]
        return join_descriptor_set([self.entries[n].descriptor for n in names])


def _protoc_version() -> str:
    """grpcio-tools' version, whose protoc compiles (read from the module it ships: package metadata is slow to
    import and look up, and a run keys its files before anything else)."""
    from grpc_tools.grpc_version import VERSION

    return str(VERSION)


def cache_keys(sources: dict[str, Source], order: list[str]) -> dict[str, str]:
    """Each file's key: versions, name, content digest and the keys of its imports (order is topological)."""
    salt = f"protokit {__version__} protoc {_protoc_version()} {DESCRIPTOR_FORMAT}"
    keys: dict[str, str] = {}
    for name in order:
        source = sources[name]
        parts = [salt, name, source.digest, *(f"{i.name}={keys[i.name]}" for i in source.imports)]
        keys[name] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return keys


@dataclass
class CompilePlan:
    """What a compile will look at, known before any descriptor is read: the sources, the dependency order
    and each file's cache key (so a caller can look up results derived from the keys first)."""

    graph: SourceGraph
    order: list[str]
    keys: dict[str, str]
    manifest: Manifest


def plan_compile(
    workspace: Workspace,
    cache: DescriptorCache,
    index: SourceIndex | None = None,
    workers: ProcessPoolExecutor | None = None,
) -> CompilePlan:
    """Read the targets' sources and imports (unchanged files from the source index) and key every file.

    A workspace on disk keeps a manifest of its files' metadata; a checkout (``index`` given) does not.
    ``workers`` (from :func:`early_workers`) read the module files the index lacks, with this process.
    """
    graph = SourceGraph(workspace, index or SourceIndex.for_workspace(cache.root, workspace.roots))
    if workers is not None:
        graph.prefetched = _read_in_workers(workers, [str(f.path) for f in workspace.files.values()])
    graph.load(workspace.targets)
    order = graph.topological(list(workspace.targets))
    manifest = Manifest.for_workspace(None if index else cache.root, workspace.roots)
    return CompilePlan(graph, order, cache_keys(graph.sources, order), manifest)


@contextmanager
def early_workers(
    workspace: Workspace, cache: DescriptorCache, modules: Iterable[str] = (), jobs: int | None = None
) -> Iterator[ProcessPoolExecutor | None]:
    """Compile workers started now, for a :func:`compile_workspace` call to come, when the workspace is large and
    the cache has never compiled it (a first run compiles everything): they start up while the sources are read,
    and have ``modules`` (what the call's ``work`` needs) imported, a forked worker from this process and a spawned
    one by importing them.  None otherwise: a run with a cache compiles little."""
    jobs = jobs or os.cpu_count() or 1
    manifest = Manifest.path_for(cache.root, workspace.roots)
    if jobs < 2 or len(workspace.files) < EARLY_WORKERS_MIN_FILES or manifest is None or manifest.exists():
        yield None
        return
    pool = _workers(jobs)
    try:
        for _ in range(jobs):
            pool.submit(preload, tuple(modules))
        yield pool
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # they exit while the caller goes on (joined at its exit)


def _read_in_workers(workers: ProcessPoolExecutor, paths: list[str]) -> dict[str, list[Any] | None]:
    """:func:`read_for_index` of each path, by path: batches handed to the workers in order, and taken back
    from the end by this process while the workers have not started them."""
    batches = [paths[start : start + READ_BATCH_FILES] for start in range(0, len(paths), READ_BATCH_FILES)]
    futures = [workers.submit(read_for_index, batch) for batch in batches]
    read: dict[str, list[Any] | None] = {}
    for batch, future in reversed(list(zip(batches, futures, strict=True))):
        read.update(zip(batch, read_for_index(batch) if future.cancel() else _result(future), strict=True))
    return read


def _result(future: Future[T]) -> T:
    """What a worker sent back; a worker that died (killed, out of memory) ends the run with a one-line error."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        raise ProtokitError(
            "a compile worker process ended abruptly (killed, or out of memory?); nothing was lost: run again"
        ) from None


def _workers(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` compile worker processes: forked from this one where that is safe (they start with its
    modules imported, a quarter of a second of CPU each less than a fresh interpreter), else spawned."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    return ProcessPoolExecutor(jobs, get_context("fork" if can_fork() else "spawn"), initializer=_start_worker)


def _start_worker() -> None:
    """Set a worker up: the collector run between chunks only, and its exit immediate (a worker's results are
    sent by the time it exits, and the system frees its heap at once rather than object by object)."""
    set_for_workers()
    atexit.register(os._exit, 0)


def _compile_in_worker(*args: Any) -> ChunkResult:
    """:func:`compile_chunk` in a worker, after collecting what the chunks before left behind."""
    collect_leftovers()
    return compile_chunk(*args)


def compile_workspace(
    workspace: Workspace,
    cache: DescriptorCache,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    parallel_min_bytes: int = PARALLEL_MIN_BYTES,
    index: SourceIndex | None = None,
    plan: CompilePlan | None = None,
    work: Callable[[], FileWork | None] | None = None,
    workers: ProcessPoolExecutor | None = None,
) -> CompileResult:
    """Compile the workspace's targets and their imports to descriptors with source info.

    Unchanged files come from ``cache``; the rest are compiled with protoc in
    ``jobs`` processes (default: all cores).  ``index`` replaces the stat index of
    sources (a git checkout passes a :class:`BlobIndex`); ``plan`` is the workspace's
    plan when the caller made it already.  ``work`` makes, when something is to be
    compiled, the work done on each compiled file in the worker that compiled it
    (what it makes is the result's ``extras``); ``workers``, from :func:`early_workers`, are used instead of
    starting new ones.  Failures raise a
    :class:`ProtokitError` carrying protoc's diagnostics with display paths.
    """
    plan = plan or plan_compile(workspace, cache, index)
    graph, order, keys = plan.graph, plan.order, plan.keys
    jobs = jobs or os.cpu_count() or 1

    def rebuild(name: str) -> Entry:
        [(_, raw, meta)] = _compile(workspace, graph, [name], 1, None, None)[0]
        assert raw is not None  # compiled in this process, and not stored
        return Entry(raw, meta)

    entries = Entries(cache, {name: keys[name] for name in order}, rebuild)
    # a file the manifest knows under its key was compiled and stored (an entry gone since is rebuilt when read)
    misses = [name for name in order if plan.manifest.meta(name, keys[name]) is None and not cache.has(keys[name])]
    extras: dict[str, Any] = {}
    fresh: dict[str, dict[str, Any]] = {}  # the metadata of the files compiled now
    if misses:
        size = sum(graph.sources[n].size for n in misses)
        parallel = jobs > 1 and size >= parallel_min_bytes and len(misses) >= 2 * jobs
        store = (cache, {name: keys[name] for name in misses})  # the workers write the entries, in parallel
        on_files = work() if work is not None else None
        compiled, extras = _compile(
            workspace, graph, misses, jobs if parallel else 1, progress, store, on_files, workers
        )
        for name, raw, meta in compiled:
            fresh[name] = meta
            if raw is not None:  # else read from the cache, if it is needed at all
                entries.put(name, Entry(raw, meta), stored=True)
    metas = {name: fresh.get(name) or plan.manifest.meta(name, keys[name]) or entries[name].meta for name in order}
    for name in order:
        plan.manifest.record(name, keys[name], metas[name])
    _refuse_duplicate_symbols(graph, order, metas, entries)
    plan.manifest.save(set(order))
    warnings = [
        Diagnostic(graph.sources[name].shown, line, column, text.removeprefix("warning:").strip(), "WARNING")
        for name in order
        if graph.sources[name].in_module
        for line, column, text in metas[name].get("warnings", [])
    ]
    hits, built = len(order) - len(misses), len(misses)
    return CompileResult(workspace.targets, order, entries, graph.sources, warnings, hits, built, keys, metas, extras)


def _chunks(names: list[str], graph: SourceGraph, jobs: int) -> list[list[str]]:
    """Sorted names in contiguous chunks (neighbours share imports) for ``jobs`` workers, largest first: each
    takes half a worker's share of the source not yet handed out (within MIN_CHUNK_BYTES, or a worker's share
    of a small tree, and MAX_CHUNK_BYTES), so that the workers end together, on small chunks, and few imports
    are parsed twice."""
    names = sorted(names)
    if jobs == 1:
        return [names]
    left = sum(graph.sources[n].size for n in names)
    floor = min(MIN_CHUNK_BYTES, left / jobs)  # a small tree still makes a chunk for each worker
    chunks: list[list[str]] = []
    chunk: list[str] = []
    filled = 0
    for name in names:
        if not chunk:
            target = min(max(left / (2 * jobs), floor), MAX_CHUNK_BYTES)
        chunk.append(name)
        filled += graph.sources[name].size
        left -= graph.sources[name].size
        if filled >= target:
            chunks.append(chunk)
            chunk, filled = [], 0
    return chunks + [chunk] if chunk else chunks


def _compile(
    workspace: Workspace,
    graph: SourceGraph,
    misses: list[str],
    jobs: int,
    progress: Progress | None,
    store: tuple[DescriptorCache, dict[str, str]] | None,
    work: FileWork | None = None,
    workers: ProcessPoolExecutor | None = None,
) -> tuple[list[tuple[str, bytes | None, dict]], dict[str, Any]]:
    """Compile the cache misses in this process (``jobs`` 1), else in chunks on ``jobs`` worker processes
    (``store``: where the workers write what they compiled; ``work``: what they do with it besides; ``workers``:
    processes already started); the compiled files, and what ``work`` made of them."""
    roots = [str(r) for r in workspace.roots]
    chunks = [[(n, str(graph.resolve(n))) for n in chunk] for chunk in _chunks(misses, graph, jobs)]

    def work_of(chunk: list[tuple[str, str]]) -> FileWork | None:
        names = [name for name, _ in chunk]
        return None if work is None else work.for_chunk(names, dependency_order(graph.sources, names))

    results: list[ChunkResult] = []
    done = 0
    if jobs == 1:
        results.append(compile_chunk(roots, chunks[0], store, work_of(chunks[0])))
        done = len(misses)
        if progress:
            progress(done, len(misses))
    else:
        with nullcontext(workers) if workers is not None else _workers(min(jobs, len(chunks))) as pool:
            futures = {
                pool.submit(_compile_in_worker, roots, chunk, _part(store, chunk), work_of(chunk), False): len(chunk)
                for chunk in chunks
            }
            from concurrent.futures import as_completed

            for future in as_completed(futures):
                results.append(_result(future))
                done += futures[future]
                if progress:
                    progress(done, len(misses))
    if not all(r.ok for r in results):
        raise ProtokitError(_diagnostics([m for r in results if not r.ok for m in r.messages], graph))
    wanted = set(misses)
    extras = {name: made for r in results for name, made in r.extras.items()}
    return [item for r in results for item in r.files if item[0] in wanted], extras


def _part(
    store: tuple[DescriptorCache, dict[str, str]] | None, chunk: list[tuple[str, str]]
) -> tuple[DescriptorCache, dict[str, str]] | None:
    """What a worker needs of ``store`` for one chunk: the cache and the keys of the chunk's files."""
    return None if store is None else (store[0], {name: store[1][name] for name, _ in chunk})


def _diagnostics(messages: list[ProtocMessage], graph: SourceGraph) -> list[Diagnostic]:
    """protoc's error lines as diagnostics with display paths, deduplicated, follow-on errors dropped."""
    failed = {m.file for m in messages if not m.is_warning}
    found: dict[tuple, Diagnostic] = {}
    for message in messages:
        if message.is_warning:
            continue
        if message.text.startswith("Import ") and message.text.endswith("was not found or had errors."):
            imported = message.text.split('"')[1] if '"' in message.text else ""
            if imported in failed:
                continue
        source = graph.sources.get(message.file)
        shown = source.shown if source else message.file
        diagnostic = Diagnostic(shown, message.line, message.column, message.text, "COMPILE")
        found[(diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.message)] = diagnostic
    if not found:
        found[("", 0, 0, "")] = Diagnostic("", 0, 0, "protoc failed without a message", "COMPILE")
    return sorted(found.values())


def _refuse_duplicate_symbols(
    graph: SourceGraph, order: list[str], metas: dict[str, dict[str, Any]], entries: Mapping[str, Entry]
) -> None:
    """Symbols defined in two files, or clashing with a package, are errors (chunks compile apart)."""
    packages: dict[str, str] = {}
    for name in order:
        package = metas[name].get("package", "")
        parts = package.split(".") if package else []
        for end in range(1, len(parts) + 1):
            packages.setdefault(".".join(parts[:end]), name)
    defined: dict[str, str] = {}
    errors = []
    for name in sorted(order):
        for symbol in metas[name].get("symbols", []):
            if symbol in defined and defined[symbol] != name:
                problem = f'"{symbol}" is already defined in file "{defined[symbol]}".'
            elif symbol in packages:
                problem = f'"{symbol}" is already defined (as a package) in file "{packages[symbol]}".'
            else:
                defined[symbol] = name
                continue
            line, column = symbol_position(entries[name].descriptor, symbol)
            errors.append(Diagnostic(graph.sources[name].shown, line, column, problem))
    if errors:
        raise ProtokitError(errors)
