"""Generating Python code with grpcio-tools' protoc: messages, gRPC stubs and their type stubs (mypy-protobuf)."""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

from protokit.compile.protoc import protoc
from protokit.diagnostics import Diagnostic, ProtokitError
from protokit.workspace import Workspace

_PROTOBUF_GENCODE = re.compile(r"_runtime_version\.Domain\.PUBLIC,\s*(\d+),\s*(\d+),\s*(\d+),")
_GRPC_GENCODE = re.compile(r"GRPC_GENERATED_VERSION = '([\d.]+)'")


def _plugin(name: str) -> str:
    """The path of a protoc plugin installed with protokit (next to this Python, else on PATH)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise ProtokitError(f"{name} not found: reinstall protokit (it depends on mypy-protobuf)")
    return found


def generate(workspace: Workspace, names: list[str], out: Path) -> None:
    """Write ``*_pb2.py``, ``*_pb2_grpc.py`` and their ``.pyi`` stubs for the files ``names`` under ``out``."""
    with tempfile.TemporaryDirectory(prefix="protokit-gen-") as scratch:
        argfile = Path(scratch) / "files.txt"
        argfile.write_text("\n".join(str(workspace.files[n].path) for n in names), encoding="utf-8")
        args = [
            *(f"-I{root}" for root in workspace.roots),
            f"--python_out={out}",
            f"--grpc_python_out={out}",
            f"--mypy_out={out}",
            f"--mypy_grpc_out={out}",
            f"--plugin=protoc-gen-mypy={_plugin('protoc-gen-mypy')}",
            f"--plugin=protoc-gen-mypy_grpc={_plugin('protoc-gen-mypy_grpc')}",
            f"@{argfile}",
        ]
        returncode, messages = protoc(args)
    if returncode != 0:
        problems = [m for m in messages if not m.is_warning] or list(messages)
        raise ProtokitError(
            [Diagnostic(m.file, m.line, m.column, m.text, "GEN") for m in problems]
            or "protoc failed to generate Python code"
        )


def runtime_versions(generated: Path) -> tuple[str, str]:
    """The oldest protobuf and grpcio runtimes the generated code accepts (it refuses older ones)."""
    protobuf, grpc = "", ""
    for path in generated.rglob("*_pb2.py"):
        found = _PROTOBUF_GENCODE.search(path.read_text(encoding="utf-8"))
        if found:
            protobuf = ".".join(found.groups())
            break
    for path in generated.rglob("*_pb2_grpc.py"):
        found = _GRPC_GENCODE.search(path.read_text(encoding="utf-8"))
        if found:
            grpc = found.group(1)
            break
    return protobuf, grpc
