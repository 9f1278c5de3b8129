"""An older (or newer) grpcio-tools for ``gen``, in an isolated environment of its own: ``gen.protoc``.

Generated code refuses protobuf runtimes older than the protoc that generated it, so the runtimes a
client package accepts are set by the grpcio-tools that made it.  ``gen.protoc: grpcio-tools==1.64.1``
generates with that release instead of protokit's own: it is installed once into a virtual environment in
the cache (made in a temporary directory and renamed into place, so a failed install leaves nothing) and
run there as ``python -m grpc_tools.protoc``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from protokit.diagnostics import ProtokitError

_READY = "protokit-toolchain-ready"


def protoc_command(requirement: str, cache_root: Path) -> list[str]:
    """The command that runs protoc from ``requirement`` (a pip requirement on grpcio-tools), installing it first."""
    if not requirement.replace(" ", "").lower().startswith("grpcio-tools"):
        raise ProtokitError(f'gen.protoc: "{requirement}" is not a requirement on grpcio-tools (grpcio-tools==1.64.1)')
    key = hashlib.sha256(f"{sys.version}\n{requirement}".encode()).hexdigest()[:24]
    home = cache_root / "toolchains" / key
    python = home / "bin" / "python"
    if not (home / _READY).is_file():
        _install(requirement, home)
    return [str(python), "-m", "grpc_tools.protoc"]


def _install(requirement: str, home: Path) -> None:
    """Make the environment in a scratch directory next to ``home`` and rename it into place."""
    home.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=home.name + ".", dir=home.parent))
    try:
        venv.EnvBuilder(with_pip=True, symlinks=True).create(scratch)
        pip = [str(scratch / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        done = subprocess.run([*pip, requirement], capture_output=True, text=True)
        if done.returncode != 0:
            last = next((line for line in reversed(done.stderr.splitlines()) if line.strip()), "no message")
            raise ProtokitError(f'gen.protoc: pip could not install "{requirement}": {last.strip()}')
        (scratch / _READY).write_text(requirement)
        shutil.rmtree(home, ignore_errors=True)
        os.replace(scratch, home)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def made_with(command: list[str] | None) -> tuple[str, str]:
    """What the code a toolchain (None: protokit's own) generates was made for: the oldest protobuf runtime its
    grpcio-tools release accepts, and that release."""
    script = (
        "import importlib.metadata as m, re\n"
        "needs = [r for r in m.requires('grpcio-tools') or [] if r.startswith('protobuf')]\n"
        "bounds = [re.search(r'>=\\s*([0-9.]+)', r) for r in needs]\n"
        "print(next((b.group(1) for b in bounds if b), m.version('protobuf')), m.version('grpcio-tools'))"
    )
    found = subprocess.run([command[0] if command else sys.executable, "-c", script], capture_output=True, text=True)
    protobuf, _, grpc = found.stdout.strip().partition(" ")
    return protobuf, grpc
