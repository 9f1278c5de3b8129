"""``protokit gen``: compile, plan, generate, render, build, and only then move the packages into ``--out``."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from protokit import __version__
from protokit.compile.cache import DescriptorCache, default_cache_dir
from protokit.compile.compiler import CompileResult, compile_workspace
from protokit.compile.includes import distribution_proto_root
from protokit.compile.protoc import join_descriptor_set
from protokit.diagnostics import ProtokitError, display_path
from protokit.gen.build import build, move_into, source_date_epoch
from protokit.gen.codegen import generate, runtime_versions
from protokit.gen.plan import Distribution, plan
from protokit.gen.render import Types, render, templates_dir
from protokit.gen.versions import NextVersion, next_versions
from protokit.lint.elements import FileView
from protokit.workspace import Workspace

Progress = Callable[[str], None]
TOOLS = ("grpcio-tools", "mypy-protobuf", "hatchling", "googleapis-common-protos")


@dataclass
class GenResult:
    """What ``gen`` wrote: the distributions with their versions, the files, and how many came from the cache."""

    distributions: list[Distribution]
    versions: list[NextVersion]
    files: list[Path]
    cached: int = 0
    sources: list[Path] = field(default_factory=list)


def _installed(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""


def _templates_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(templates_dir().rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _closure(names: list[str], result: CompileResult) -> list[str]:
    """The files ``names`` import, directly or not, with ``names`` themselves, in dependency order."""
    wanted = set(names)
    for name in reversed(result.order):
        if name in wanted:
            wanted.update(i.name for i in result.sources[name].imports)
    return [name for name in result.order if name in wanted]


def _dependency_distributions(workspace: Workspace) -> dict[Path, str]:
    """The install root of each distribution listed under ``deps`` (a generated client of another repo)."""
    return {distribution_proto_root(name): name for name in workspace.config.deps}


def requirements(
    dist: Distribution,
    runtimes: tuple[str, str],
    versions: dict[str, str],
    external: list[str],
    extra: list[str],
) -> list[str]:
    """The distribution's dependencies: runtimes at least as new as the generated code, googleapis, siblings."""
    protobuf, grpc = runtimes
    found = [f"protobuf>={protobuf}", _stub_requirement("types-protobuf")]
    if dist.services:
        found += [f"grpcio>={grpc}", f"types-grpcio>={grpc.rsplit('.', 1)[0]}"]
    if dist.uses_googleapis:
        found.append(f"googleapis-common-protos>={_installed('googleapis-common-protos') or '1.60'}")
    for name in dist.requires:
        major, minor, *_ = versions[name].split(".")
        found.append(f"{name}~={versions[name]}" if major == "0" else f"{name}~={major}.{minor}")
    return sorted({*found, *external, *extra})


def _stub_requirement(name: str) -> str:
    """The type stubs the mypy-protobuf stubs need, as mypy-protobuf itself requires them."""
    for requirement in importlib.metadata.requires("mypy-protobuf") or []:
        if requirement.startswith(name):
            return requirement.split(";")[0].strip()
    return name


def _external(dist: Distribution, result: CompileResult, roots: dict[Path, str], workspace: Workspace) -> list[str]:
    """Distributions from ``deps`` whose protos ``dist`` imports (their Python modules come with them)."""
    found = set()
    for name in dist.files:
        for imported in result.sources[name].imports:
            if imported.name in workspace.files:
                continue
            for root, dist_name in roots.items():
                if (root / imported.name).is_file():
                    found.add(f"{dist_name}>={_installed(dist_name)}")
    return sorted(found)


def _cache_key(dist: Distribution, result: CompileResult, settings: dict[str, object], epoch: str, extra: str) -> str:
    parts = {
        "protokit": __version__,
        "tools": [_installed(t) for t in TOOLS],
        "templates": extra,
        "dist": [dist.name, dist.import_package, dist.version, dist.requires],
        "files": {n: result.keys[n] for n in _closure(dist.files, result)},
        "settings": settings,
        "epoch": epoch,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def planned(
    workspace: Workspace, cache: DescriptorCache
) -> tuple[list[Distribution], CompileResult, dict[str, FileView]]:
    """The distributions of every module file, with the compiled files (imports too) and their views."""
    everything = Workspace(workspace.config, workspace.files, tuple(workspace.files), workspace.include_roots)
    compiled = compile_workspace(everything, cache)
    views = {name: FileView.compiled(compiled, name) for name in compiled.order}
    wanted = {n: views[n] for n in compiled.order if n in workspace.files}
    return plan(wanted, workspace.config.gen.get("distributions", {})), compiled, views


def gen(
    workspace: Workspace,
    out: Path,
    version: str = "",
    *,
    keep_source: bool = False,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> GenResult:
    """Build a wheel and an sdist per distribution of ``workspace`` into ``out``.

    ``version`` (``--version``) overrides ``gen.version``; distributions that ``auto`` finds
    unchanged are not built. Everything is built in a scratch folder next to ``out`` and moved
    into it only once every package built.
    """
    say = progress or (lambda _: None)
    out = out.resolve()
    cache_root = cache_dir if cache_dir is not None else default_cache_dir()
    every, compiled, views = planned(workspace, DescriptorCache(cache_root))
    settings = dict(workspace.config.gen)
    decisions = next_versions(workspace, every, DescriptorCache(cache_root), version)
    for dist, decision in zip(every, decisions, strict=True):
        dist.version = decision.version
    dists = [d for d, decision in zip(every, decisions, strict=True) if decision.releases]
    if not dists:
        return GenResult(every, decisions, [])
    epoch = source_date_epoch(workspace.config.directory)
    templates = _templates_digest()
    out.parent.mkdir(parents=True, exist_ok=True)
    artefacts = cache_root / "packages"
    keys = {d.name: _cache_key(d, compiled, settings, epoch, templates) for d in dists}
    ready = {d.name: artefacts / keys[d.name] for d in dists if (artefacts / keys[d.name]).is_dir()}
    missing = [d for d in dists if d.name not in ready or (keep_source and not (ready[d.name] / "src").is_dir())]
    with tempfile.TemporaryDirectory(prefix=".protokit-gen-", dir=out.parent) as scratch_name:
        scratch = Path(scratch_name)
        if missing:
            say(f"Generating code for {len(missing)} distribution(s)")
            code = scratch / "code"
            code.mkdir()
            generate(workspace, [f for d in missing for f in d.files], code)
            runtimes = runtime_versions(code)
            roots = _dependency_distributions(workspace)
            types = Types(views)
            sources = {n: workspace.files[n].path for n in workspace.files}
            for dist in missing:
                say(f"Building {dist.name} {dist.version}")
                wanted = _closure(dist.files, compiled)
                descriptor_set = join_descriptor_set([compiled.entries[n].descriptor for n in wanted])
                needs = requirements(
                    dist,
                    runtimes,
                    {d.name: d.version for d in every},
                    _external(dist, compiled, roots, workspace),
                    list(settings.get("dependencies", [])),
                )
                staged = scratch / "staged" / dist.name
                project = staged / "src"
                render(dist, code, sources, descriptor_set, types, settings, needs, project)
                build(project, staged / "dist", epoch)
                ready[dist.name] = _remember(staged, artefacts / keys[dist.name])
        placed, kept = move_into(
            [p for d in dists for p in sorted((ready[d.name] / "dist").iterdir())],
            [(ready[d.name] / "src", d.name) for d in dists] if keep_source else [],
            out,
            scratch,
        )
    return GenResult(every, decisions, placed, len(dists) - len(missing), kept)


def _remember(staged: Path, entry: Path) -> Path:
    """Store a built distribution in the package cache (atomically) and return where it now is."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=entry.name + ".", dir=entry.parent))
        shutil.copytree(staged, partial, dirs_exist_ok=True)
        shutil.rmtree(entry, ignore_errors=True)
        os.replace(partial, entry)
    except OSError as exc:
        raise ProtokitError(f"cannot write the package cache {display_path(entry)}: {exc.strerror}") from None
    return entry
