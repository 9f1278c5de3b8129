"""One unit of ``gen`` work, run in a worker process or in-process: generate, render and build some distributions."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from protokit.diagnostics import Diagnostic, ProtokitError, display_path
from protokit.gen.build import build
from protokit.gen.codegen import generate, mypy_stubs, prefix_imports, repair_docstrings, runtime_versions
from protokit.gen.plan import Distribution, module_directory, python_module
from protokit.gen.render import render
from protokit.includes import PROTOVALIDATE_ROOT
from protokit.index.elements import FileView


@dataclass
class Job:
    """Distributions to build together: one protoc run generates the code of all their files."""

    dists: list[Distribution]
    compiled: dict[str, tuple[bytes, dict[str, Any]]]  # every file the distributions need, imports included
    closures: dict[str, list[str]]  # each distribution's files and what they import, in dependency order
    sources: dict[str, str]  # disk path of each file of the distributions
    requires: dict[str, list[str]]  # each distribution's requirements beyond the runtimes
    settings: dict[str, Any]
    versions: dict[str, str]  # every distribution's version, for compatible-release bounds
    epoch: str
    scratch: str
    entries: dict[str, str]  # where each built distribution goes in the package cache
    local: frozenset[str]  # the files generated in this workspace (gen.import_prefix applies to their modules)
    protoc: list[str] | None = None  # another grpcio-tools' protoc (gen.protoc); None: protokit's own
    made_with: tuple[str, str] = ("", "")  # the protobuf and grpcio-tools versions that generate the code


@dataclass
class Outcome:
    """Why a job failed (nothing when every distribution of it is in the package cache)."""

    errors: list[Diagnostic] = field(default_factory=list)


def requirements(
    dist: Distribution, runtimes: tuple[str, str], versions: dict[str, str], extra: list[str]
) -> list[str]:
    """The runtimes at least as new as the generated code and sibling distributions with compatible bounds."""
    protobuf, grpc = runtimes
    found = [f"protobuf>={protobuf}", *extra]
    if dist.services:
        found += [f"grpcio>={grpc}", f"types-grpcio>={grpc.rsplit('.', 1)[0]}"]
    for name in dist.requires:
        major, minor, *_ = versions[name].split(".")
        found.append(f"{name}~={versions[name]}" if major == "0" else f"{name}~={major}.{minor}")
    return sorted(set(found))


def descriptor_set(files: list[bytes]) -> bytes:
    """Some of the distribution's files as a ``FileDescriptorSet``, without source info (the .proto files ship too)."""
    from google.protobuf import descriptor_pb2

    found = descriptor_pb2.FileDescriptorSet()
    for raw in files:
        added = found.file.add()
        added.ParseFromString(raw)
        added.ClearField("source_code_info")
    return found.SerializeToString(deterministic=True)


def run_job(job: Job) -> Outcome:
    """Generate the code of ``job``'s files, then render and build each distribution into the package cache.

    Any failure is one error line naming the distribution (or the job's distributions while their code is
    generated together), its first proto file and the cause: never a traceback from a worker.
    """
    current = job.dists
    try:
        scratch = Path(tempfile.mkdtemp(prefix="job-", dir=job.scratch))
        code = scratch / "code"
        prefix = job.dists[0].prefix  # one job's distributions share it (a shared one has none)
        out = code.joinpath(*prefix.split(".")) if prefix else code  # protoc writes acme/orders/v1/... below it
        out.mkdir(parents=True)
        files = [f for d in job.dists for f in d.files]
        stubs = job.settings.get("stubs", "protoc")
        descriptors = [raw for raw, _ in job.compiled.values()]
        with_services = sorted({s.file for d in job.dists for s in d.services})
        generate(descriptors, files, out, stubs, frozenset(with_services), job.protoc)
        mypy_stubs(descriptors, files if stubs == "mypy-protobuf" else [], with_services, out)
        for name in with_services:
            repair_docstrings(out / (python_module(name).replace(".", "/") + "_grpc.py"))
        if prefix:
            prefix_imports(out, {python_module(name) for name in job.local}, prefix)
        runtimes = runtime_versions(out, job.made_with)
        views = {name: FileView.cached(raw, name, name, meta) for name, (raw, meta) in job.compiled.items()}
        for dist in job.dists:
            current = [dist]
            staged = scratch / dist.name
            own = {
                directory: descriptor_set([job.compiled[n][0] for n in dist.files if module_directory(n) == directory])
                for directory in dist.directories
            }
            needs = requirements(dist, runtimes, job.versions, job.requires[dist.name])
            closure = {n: views[n] for n in job.closures[dist.name]}
            render(dist, code, job.sources, own, closure, job.local, job.settings, needs, staged / "src")
            if dist.shared:  # protovalidate's validate.proto comes with its license
                for directory in dist.directories:
                    shutil.copyfile(PROTOVALIDATE_ROOT / "LICENSE", staged / "src" / directory / "LICENSE")
            build(staged / "src", staged / "dist", job.epoch)
            _remember(staged, Path(job.entries[dist.name]))
        return Outcome()
    except ProtokitError as error:
        return Outcome(errors=[_about(current, job, d) for d in error.diagnostics])
    except Exception as exc:  # a tool underneath (protoc's generators, hatchling, the file system) failed
        cause = " ".join(str(exc).split()) or "no message"
        return Outcome(errors=[_about(current, job, Diagnostic("", 0, 0, f"{type(exc).__name__}: {cause}", "GEN"))])


def _about(dists: list[Distribution], job: Job, error: Diagnostic) -> Diagnostic:
    """An error of the work on ``dists``, named after them and shown at their first proto file unless it has a place."""
    if error.path:
        return error
    first = min(f for dist in dists for f in dist.files)
    names = ", ".join(dist.name for dist in dists)
    return replace(error, path=display_path(Path(job.sources[first])), message=f"{names}: {error.message}")


def _remember(staged: Path, entry: Path) -> None:
    """Store a built distribution in the package cache (atomically)."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=entry.name + ".", dir=entry.parent)) / "entry"
        shutil.move(staged, partial)  # a rename when both are on one file system
        shutil.rmtree(entry, ignore_errors=True)
        os.replace(partial, entry)
        partial.parent.rmdir()
    except OSError as exc:
        raise ProtokitError(f"cannot write the package cache {display_path(entry)}: {exc.strerror}") from None
