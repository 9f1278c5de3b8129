"""``protokit gen``: compile, plan and version; generate, render and build in parallel; only then fill ``--out``."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import astuple, dataclass, field, replace
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from protokit import __version__
from protokit.checks.run_cache import RunCache, run_key
from protokit.compile.cache import DescriptorCache, default_cache_dir
from protokit.compile.compiler import CompilePlan, CompileResult, compile_workspace, plan_compile
from protokit.compile.sources import dependency_order
from protokit.diagnostics import ProtokitError
from protokit.gen.build import move_into, source_date_epoch
from protokit.gen.codegen import STUBS
from protokit.gen.plan import Distribution, plan
from protokit.gen.render import templates_dir
from protokit.gen.toolchain import made_with, protoc_command
from protokit.gen.versions import NextVersion, next_versions, release_state
from protokit.gen.worker import Job, run_job
from protokit.includes import PROTOVALIDATE_ROOT, distribution_proto_root
from protokit.index.elements import FileView
from protokit.workspace import Workspace

Progress = Callable[[str], None]
TOOLS = ("grpcio-tools", "mypy-protobuf", "hatchling", "googleapis-common-protos", "protobuf")
# Below this much source, one process does all the work: a worker pool costs more than it saves.
PARALLEL_MIN_BYTES = 256 * 1024
# The distribution of ``buf/validate/*_pb2.py`` when protovalidate's validate.proto comes from protokit (no module
# of the workspace and no ``deps`` distribution provides it): versioned as the protovalidate release whose
# validate.proto it is, with fixed metadata and timestamps, so every workspace builds the same wheel of it.
SHARED_VALIDATE = "buf-validate"
SHARED_EPOCH = "315532800"  # 1980-01-01, the earliest time a zip file can hold


@dataclass
class GenResult:
    """What ``gen`` wrote: each distribution's version decision, the wheels and sdists, the project directories."""

    versions: list[NextVersion]
    files: list[Path]
    sources: list[Path] = field(default_factory=list)


@cache
def _installed(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""


def _fingerprint() -> str:
    """What every package depends on besides its protos: protokit, the code generators, the templates."""
    digest = hashlib.sha256(f"protokit {__version__}".encode())
    for tool in TOOLS:
        digest.update(f"\0{tool} {_installed(tool)}".encode())
    for path in sorted(templates_dir().rglob("*")):
        if path.is_file():
            digest.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def closures(dists: list[Distribution], result: CompileResult) -> dict[str, list[str]]:
    """Each distribution's files and what they import, directly or not, dependencies first."""
    return {dist.name: dependency_order(result.sources, dist.files) for dist in dists}


def planned(
    workspace: Workspace, cache: DescriptorCache, files: CompilePlan | None = None
) -> tuple[list[Distribution], CompileResult]:
    """The distributions of every module file, with the compiled files (imports too).

    ``files`` is the compile plan of every module file, when the caller made it already.
    """
    compiled = compile_workspace(replace(workspace, targets=tuple(workspace.files)), cache, plan=files)
    views = {n: FileView.compiled(compiled, n) for n in compiled.order if n in workspace.files}
    settings = workspace.config.gen
    return plan(views, settings.get("distributions", {}), settings.get("import_prefix", "")), compiled


def _extra_requirements(
    dist: Distribution, closure: list[str], compiled: CompileResult, workspace: Workspace, roots: dict[Path, str]
) -> list[str]:
    """Requirements besides the runtimes: googleapis, distributions from ``deps`` it imports, the shared
    ``buf-validate`` and ``protovalidate`` when its protos use protovalidate, configured extras.

    ``closure`` is its files and what they import; ``roots`` maps the proto root of each distribution under
    ``deps`` to its name.
    """
    if dist.shared:
        return [_types_protobuf()]
    found = set(workspace.config.gen.get("dependencies", []))
    found.add(_types_protobuf())
    if dist.uses_googleapis:
        found.add(f"googleapis-common-protos>={_installed('googleapis-common-protos') or '1.60'}")
    for name in dist.files:
        for imported in compiled.sources[name].imports:
            if imported.name in workspace.files:
                continue
            for root, dist_name in roots.items():
                if (root / imported.name).is_file():
                    found.add(f"{dist_name}>={_installed(dist_name)}")
            if _from_protokit(imported.name, workspace, roots):
                found.add(f"{SHARED_VALIDATE}>={_shared_version()}")
    if any(name.startswith("buf/validate/") for name in closure):
        found.add(f"protovalidate>={_installed('protovalidate') or '2.1'}")  # the clients' validate=True runs it
    return sorted(found)


def _from_protokit(name: str, workspace: Workspace, roots: dict[Path, str]) -> bool:
    """Whether ``name`` is compiled from protokit's own copy of protovalidate's protos (no module of the
    workspace and no distribution under ``deps`` has it)."""
    if name in workspace.files or not (PROTOVALIDATE_ROOT / name).is_file():
        return False
    return not any((root / name).is_file() for root in roots)


def _shared_version() -> str:
    """The version of ``buf-validate``: the protovalidate release whose validate.proto protokit ships."""
    return _installed("protovalidate") or "0.0.0"


def shared_distributions(
    dists: list[Distribution], closure: dict[str, list[str]], workspace: Workspace
) -> list[Distribution]:
    """``buf-validate`` when one of ``dists`` imports protokit's validate.proto, directly or not (``closure``:
    each one's files and what they import).

    Generated code imports ``buf.validate.validate_pb2``, which neither protobuf nor protovalidate
    (whose copy is for protobuf-py, not Google's protobuf) provides: it is built once, as a distribution
    of its own that every package needing it requires, so that packages of any workspace install side
    by side.
    """
    roots = {distribution_proto_root(name): name for name in workspace.config.deps}
    needed = {name for dist in dists for name in closure[dist.name] if _from_protokit(name, workspace, roots)}
    if not needed:
        return []
    shared = Distribution(SHARED_VALIDATE, ("buf.validate",), sorted(needed), version=_shared_version(), shared=True)
    return [shared]


def _source(workspace: Workspace, dist: Distribution, name: str) -> Path:
    """Where a file of ``dist`` is on disk: in the workspace, or protokit's copy for a shared distribution."""
    return PROTOVALIDATE_ROOT / name if dist.shared else workspace.files[name].path


def _shared_settings(settings: dict[str, object]) -> dict[str, object]:
    """The gen settings of a shared distribution: the workspace's own metadata is not its."""
    kept = {k: v for k, v in settings.items() if k in ("stubs", "protoc", "python")}
    return {**kept, "license": "Apache-2.0", "authors": ["Buf Technologies, Inc."]}


@cache
def _types_protobuf() -> str:
    """types-protobuf as mypy-protobuf requires it (the generated stubs are checked against it)."""
    for requirement in importlib.metadata.requires("mypy-protobuf") or []:
        if requirement.startswith("types-protobuf"):
            return requirement.split(";")[0].strip()
    return "types-protobuf"


def _cache_key(dist: Distribution, files: dict[str, str], settings: dict[str, object], epoch: str, base: str) -> str:
    parts = {"base": base, "dist": [dist.name, dist.version], "files": files, "settings": settings, "epoch": epoch}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _jobs(dists: list[Distribution], sizes: dict[str, int], count: int) -> list[list[Distribution]]:
    """``dists`` in ``count`` groups of similar source size (largest first, each to the lightest group)."""
    groups: list[tuple[int, list[Distribution]]] = [(0, []) for _ in range(count)]
    for dist in sorted(dists, key=lambda d: -sizes[d.name]):
        lightest = min(range(count), key=lambda i: groups[i][0])
        groups[lightest] = (groups[lightest][0] + sizes[dist.name], groups[lightest][1] + [dist])
    return [group for _, group in groups if group]


def gen(
    workspace: Workspace,
    out: Path,
    version: str = "",
    *,
    keep_source: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> GenResult:
    """Build a wheel and an sdist per distribution of ``workspace`` into ``out``.

    ``version`` (``--version``) overrides ``gen.version``; distributions that ``auto`` finds
    unchanged are not built. Built packages are cached by everything they are made from, so an
    unchanged distribution is linked from the cache, not rebuilt, and the whole run is kept too:
    when nothing it read changed, nothing is compiled or planned again. Everything is staged next
    to ``out`` and moved into it only once every package built.
    """
    out = out.resolve()
    settings = dict(workspace.config.gen)
    if settings.get("stubs", "protoc") not in STUBS:
        raise ProtokitError(f'gen.stubs: "{settings["stubs"]}" is not one of {", ".join(STUBS)}')
    cache = DescriptorCache(default_cache_dir())
    files = plan_compile(replace(workspace, targets=tuple(workspace.files)), cache)
    epoch = source_date_epoch(workspace.config.directory)
    base = _fingerprint()
    # the last run, kept by everything its versions and packages come from (the files by their compile keys)
    deps = [(name, _installed(name)) for name in workspace.config.deps]
    state = release_state(workspace, version)
    key = run_key(__version__, base, workspace.config, version, epoch, deps, state, sorted(files.keys.items()))
    runs = RunCache(default_cache_dir(), "gen", workspace.config.directory)
    last = runs.recall(key)
    if last is None or not all((Path(entry) / "dist").is_dir() for entry in last["entries"]):
        last = _built(workspace, version, cache, files, epoch, base, jobs, progress)
        runs.record(key, last)
    versions = [NextVersion(*row) for row in last["versions"]]
    if not last["entries"]:
        return GenResult(versions, [])
    entries = [Path(entry) for entry in last["entries"]]
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".protokit-gen-", dir=out.parent) as scratch:
        placed, kept = move_into(
            [p for entry in entries for p in sorted((entry / "dist").iterdir())],
            [(entry / "src", name) for entry, name in zip(entries, last["names"], strict=True)] if keep_source else [],
            out,
            Path(scratch),
        )
    return GenResult(versions, placed, kept)


def _built(
    workspace: Workspace,
    version: str,
    cache: DescriptorCache,
    files: CompilePlan,
    epoch: str,
    base: str,
    jobs: int | None,
    progress: Progress | None,
) -> dict[str, list[Any]]:
    """Plan and version the distributions, then build those missing from the package cache: the version
    decisions (as rows), and the names and cache entries of the distributions to release."""
    say = progress or (lambda _: None)
    settings = dict(workspace.config.gen)
    every, compiled = planned(workspace, cache, files)
    decisions = next_versions(workspace, every, cache, version)
    for dist, decision in zip(every, decisions, strict=True):
        dist.version = decision.version
    dists = [d for d, decision in zip(every, decisions, strict=True) if decision.releases]
    files_needed = closures(dists, compiled)
    shared = shared_distributions(dists, files_needed, workspace)
    every, dists = every + shared, dists + shared
    files_needed.update(closures(shared, compiled))
    decisions += [NextVersion(d.name, d.version) for d in shared]
    packages = default_cache_dir() / "packages"
    entries = {
        d.name: packages
        / _cache_key(
            d,
            {n: compiled.keys[n] for n in files_needed[d.name]},
            _shared_settings(settings) if d.shared else settings,
            SHARED_EPOCH if d.shared else epoch,
            base,
        )
        for d in dists
    }
    missing = [d for d in dists if not (entries[d.name] / "dist").is_dir()]
    if missing:
        say(f"Building {len(missing)} of {len(dists)} distribution(s)")
        packages.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".building-", dir=packages) as scratch:  # built entries: renamed
            _build(workspace, every, missing, compiled, files_needed, entries, settings, epoch, scratch, jobs)
    return {
        "versions": [list(astuple(d)) for d in decisions],
        "names": [d.name for d in dists],
        "entries": [str(entries[d.name]) for d in dists],
    }


def _build(
    workspace: Workspace,
    every: list[Distribution],
    missing: list[Distribution],
    compiled: CompileResult,
    closure: dict[str, list[str]],
    entries: dict[str, Path],
    settings: dict[str, object],
    epoch: str,
    scratch: str,
    jobs: int | None,
) -> None:
    """Build the ``missing`` distributions of ``every`` into the package cache, in parallel if there is enough."""
    versions = {d.name: d.version for d in every}
    local = frozenset(name for d in every if not d.shared for name in d.files)
    roots = {distribution_proto_root(name): name for name in workspace.config.deps}
    own = [d for d in missing if not d.shared]
    sizes = {d.name: sum(compiled.sources[n].size for n in d.files) for d in own}
    workers = jobs or os.cpu_count() or 1
    parallel = workers > 1 and len(own) > 1 and sum(sizes.values()) >= PARALLEL_MIN_BYTES
    # a shared distribution is a job of its own: no import prefix, settings and timestamps of its own
    groups = (_jobs(own, sizes, workers if parallel else 1) if own else []) + [[d] for d in missing if d.shared]
    requirement = str(settings.get("protoc", ""))
    protoc = protoc_command(requirement, default_cache_dir()) if requirement else None
    versions_of_tools = made_with(protoc)
    work = []
    for group in groups:
        needed = {n for d in group for n in closure[d.name]}
        work.append(
            Job(
                group,
                {n: (compiled.entries[n].descriptor, compiled.entries[n].meta) for n in compiled.order if n in needed},
                {d.name: closure[d.name] for d in group},
                {n: str(_source(workspace, d, n)) for d in group for n in d.files},
                {d.name: _extra_requirements(d, closure[d.name], compiled, workspace, roots) for d in group},
                _shared_settings(settings) if group[0].shared else settings,
                versions,
                SHARED_EPOCH if group[0].shared else epoch,
                scratch,
                {d.name: str(entries[d.name]) for d in group},
                local,
                protoc,
                versions_of_tools,
            )
        )
    if not parallel:
        outcomes = [run_job(job) for job in work]
    else:
        with ProcessPoolExecutor(max_workers=len(work), mp_context=get_context("spawn")) as pool:
            outcomes = list(pool.map(run_job, work))
    errors = [e for outcome in outcomes for e in outcome.errors]
    if errors:
        raise ProtokitError(errors)
