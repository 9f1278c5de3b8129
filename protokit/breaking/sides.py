"""Building both sides of a comparison as file views: the current workspace and the baseline."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from protokit.breaking.against import Against, materialize
from protokit.compile.cache import DescriptorCache
from protokit.compile.compiler import compile_workspace
from protokit.diagnostics import Diagnostic, ProtokitError, display_path
from protokit.lint.elements import FileView
from protokit.workspace import Workspace, open_workspace


def module_views(workspace: Workspace, cache: DescriptorCache) -> dict[str, FileView]:
    """The compiled module files of a workspace (imports left out), by import name."""

    whole = replace(workspace, targets=tuple(workspace.files))
    result = compile_workspace(whole, cache)
    return {name: FileView.compiled(result, name) for name in result.order if name in workspace.files}


def _repository_root(path: Path) -> Path:
    found = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True)
    if found.returncode != 0:
        raise ProtokitError(f"{display_path(path)}: not inside a git repository, so a git ref has no meaning here")
    return Path(found.stdout.strip()).resolve()


@contextmanager
def baseline(against: Against, current: Workspace, cache: DescriptorCache) -> Iterator[dict[str, FileView]]:
    """The file views of the old side; a baseline that does not compile is an error that says so."""
    if against.kind == "image":
        yield _image_views(against.path, current)
        return
    with tempfile.TemporaryDirectory(prefix="protokit-against-") as scratch:
        if against.kind == "git":
            root = _repository_root(current.config.directory)
            materialize(root, against.ref, Path(scratch))
            inside = against.subdir or current.config.directory.relative_to(root).as_posix()
            old_dir = Path(scratch) / inside
            where = f"{against.ref}" + (f" ({inside})" if inside not in ("", ".") else "")
            if not old_dir.is_dir() or not any(old_dir.rglob("*.proto")):
                raise ProtokitError(f"{inside or '.'}: no .proto files at {against.ref}")
        else:
            old_dir, where = against.path, display_path(against.path)
        try:
            old = open_workspace([old_dir])
            yield module_views(old, cache)
        except ProtokitError as error:
            note = Diagnostic("", 0, 0, f"the baseline {where} does not compile:", "INPUT")
            raise ProtokitError([note, *error.diagnostics]) from None


def _image_views(path: Path, current: Workspace) -> dict[str, FileView]:
    """The files of a descriptor set written by ``protokit build`` or ``buf build`` (binary or JSON)."""
    from google.protobuf import descriptor_pb2, json_format
    from google.protobuf.message import DecodeError

    data = path.read_bytes()
    image = descriptor_pb2.FileDescriptorSet()
    try:
        if path.suffix == ".json":
            json_format.Parse(data.decode("utf-8"), image)
        else:
            image.ParseFromString(data)
    except (DecodeError, json_format.ParseError, UnicodeDecodeError, ValueError) as exc:
        raise ProtokitError(f"{display_path(path)}: not a FileDescriptorSet ({exc})") from None
    if not image.file or not all(f.name for f in image.file):
        raise ProtokitError(f"{display_path(path)}: not a FileDescriptorSet (no named files)")
    ours = set(current.files)
    shown = display_path(path)
    # Files the image carries only as imports (well-known types, googleapis) are not the module's.
    return {
        f.name: FileView.build(f, f"{shown}:{f.name}")
        for f in image.file
        if f.name in ours or not f.name.startswith("google/")
    }
