"""Writing a compiled descriptor set: binary or JSON, atomically, with optional stripping."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from protokit.compile.compiler import CompileResult
from protokit.diagnostics import ProtokitError, display_path

JSON_SUFFIXES = (".json",)


def check_output_path(out: str) -> None:
    """Refuse an output path whose directory does not exist or that is a directory, before any work."""
    if out == "-":
        return
    path = Path(out)
    if path.is_dir():
        raise ProtokitError(f"{display_path(path)}: output path is a directory; name a file such as out.binpb")
    if not path.parent.is_dir():
        raise ProtokitError(f"{display_path(path)}: output directory {display_path(path.parent)} does not exist")


def render(result: CompileResult, *, json_format: bool, include_imports: bool, include_source_info: bool) -> bytes:
    """The descriptor set as bytes: binary wire format or the protobuf JSON mapping."""
    data = result.descriptor_set(include_imports=include_imports)
    if include_source_info and not json_format:
        return data
    from google.protobuf import descriptor_pb2
    from google.protobuf import json_format as jf

    message = descriptor_pb2.FileDescriptorSet.FromString(data)
    if not include_source_info:
        for file in message.file:
            file.ClearField("source_code_info")
    if json_format:
        return (jf.MessageToJson(message, indent=2) + "\n").encode()
    return message.SerializeToString()


def write_output(data: bytes, out: str) -> None:
    """Write ``data`` to ``out`` (``-`` is stdout) through a temporary file renamed into place."""
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(out)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
