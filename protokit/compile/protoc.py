"""Running protoc from grpcio-tools in-process, with its messages captured at the file-descriptor level."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from protokit.index.wire import varint, varint_bytes

_MESSAGE = re.compile(r"^(?P<file>[^:\n]+?):(?:(?P<line>\d+):(?P<column>\d+):)?\s*(?P<text>.*)$")


@dataclass(frozen=True)
class ProtocMessage:
    """One line protoc printed: the file (import name), position (0 if none) and text."""

    file: str
    line: int
    column: int
    text: str

    @property
    def is_warning(self) -> bool:
        """Whether protoc marked this line as a warning rather than an error."""
        return self.text.startswith("warning:")


@dataclass(frozen=True)
class ProtocResult:
    """What one protoc run produced: its exit code, its messages and the serialized descriptor set."""

    returncode: int
    messages: tuple[ProtocMessage, ...]
    descriptor_set: bytes


def parse_messages(output: str) -> tuple[ProtocMessage, ...]:
    """protoc's stderr lines as structured messages (lines without a file keep an empty file)."""
    messages = []
    for raw in output.splitlines():
        if not raw.strip():
            continue
        match = _MESSAGE.match(raw)
        if match and not match.group("file").startswith("--"):
            line = int(match.group("line") or 0)
            column = int(match.group("column") or 0)
            messages.append(ProtocMessage(match.group("file"), line, column, match.group("text")))
        else:
            messages.append(ProtocMessage("", 0, 0, raw.strip()))
    return tuple(messages)


def protoc(args: list[str]) -> tuple[int, tuple[ProtocMessage, ...]]:
    """Run grpcio-tools' protoc in-process with ``args`` (without the program name); exit code and messages.

    protoc writes its diagnostics from C++ straight to file descriptor 2, so the
    descriptor is redirected to a temporary file for the duration of the run.
    """
    from grpc_tools import _protoc_compiler

    with tempfile.TemporaryFile() as captured:
        saved = os.dup(2)
        try:
            os.dup2(captured.fileno(), 2)
            returncode = _protoc_compiler.run_main([a.encode() for a in ["protoc", *args]])
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        output = captured.read().decode("utf-8", "replace")
    return returncode, parse_messages(output)


def run_protoc(include_roots: list[str], files: list[str], *, include_imports: bool = False) -> ProtocResult:
    """Compile ``files`` (paths under the include roots) with source info; imports are parsed, and written
    too when ``include_imports``."""
    with tempfile.TemporaryDirectory(prefix="protokit-protoc-") as scratch:
        out = Path(scratch) / "set.pb"
        argfile = Path(scratch) / "args.txt"
        argfile.write_text("\n".join(files), encoding="utf-8")
        args = [*(f"-I{root}" for root in include_roots), f"--descriptor_set_out={out}", "--include_source_info"]
        returncode, messages = protoc([*args, *(["--include_imports"] if include_imports else []), f"@{argfile}"])
        descriptor_set = out.read_bytes() if returncode == 0 and out.exists() else b""
    return ProtocResult(returncode, messages, descriptor_set)


def split_descriptor_set(data: bytes) -> list[bytes]:
    """The serialized ``FileDescriptorProto`` of each file in a serialized ``FileDescriptorSet``.

    The set is a run of field-1 length-delimited records; slicing them keeps the
    exact bytes protoc wrote, with no parse and re-serialization.
    """
    files = []
    pos, end = 0, len(data)
    while pos < end:
        if data[pos] != 0x0A:
            raise ValueError(f"unexpected field tag 0x{data[pos]:02x} in a FileDescriptorSet")
        length, pos = varint(data, pos + 1)
        files.append(data[pos : pos + length])
        pos += length
    if pos != end:
        raise ValueError("truncated FileDescriptorSet")
    return files


def descriptor_name(data: bytes) -> str:
    """The ``name`` of a serialized ``FileDescriptorProto``, read without parsing the rest: protoc writes fields
    in number order, so the name (field 1) comes first; parsed in full if it does not."""
    if data[:1] == b"\x0a":
        length, pos = varint(data, 1)
        return data[pos : pos + length].decode("utf-8")
    from google.protobuf import descriptor_pb2

    return str(descriptor_pb2.FileDescriptorProto.FromString(data).name)


def join_descriptor_set(files: list[bytes]) -> bytes:
    """The serialized ``FileDescriptorSet`` holding the given serialized files, in order."""
    parts = []
    for data in files:
        parts += [b"\x0a", varint_bytes(len(data)), data]  # field 1, length-delimited
    return b"".join(parts)
