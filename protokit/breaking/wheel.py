"""A published client package as a baseline: ``--against-wheel acme-orders-v1==1.2.0``, fetched with pip."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from protokit.diagnostics import ProtokitError

DESCRIPTOR_SET = "descriptor_set.binpb"


def fetch_wheel(requirement: str, scratch: Path) -> Path:
    """Download the wheel of ``requirement`` with pip (its configured index, no dependencies) into ``scratch``."""
    if not requirement.strip() or requirement.startswith("-"):
        raise ProtokitError(f'--against-wheel: "{requirement}" is not a requirement such as acme-orders-v1==1.2.0')
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet"]
    found = subprocess.run([*command, "--dest", str(scratch), requirement], capture_output=True, text=True)
    wheels = sorted(scratch.glob("*.whl"))
    if found.returncode != 0 or not wheels:
        errors = [line for line in found.stderr.splitlines() if line.startswith("ERROR")] or found.stderr.splitlines()
        reason = errors[0].removeprefix("ERROR: ") if errors else "pip found no wheel"
        raise ProtokitError(f"--against-wheel {requirement}: {reason}")
    return wheels[0]


def wheel_descriptor_set(wheel: Path, scratch: Path) -> Path:
    """The descriptor set a protokit-built wheel ships (``<package>/descriptor_set.binpb``), written to ``scratch``."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            names = [n for n in archive.namelist() if n.endswith("/" + DESCRIPTOR_SET)]
            if not names:
                raise ProtokitError(f"{wheel.name}: holds no {DESCRIPTOR_SET}; was it built by protokit gen?")
            target = scratch / "baseline.binpb"
            target.write_bytes(b"".join(archive.read(n) for n in sorted(names)))
    except zipfile.BadZipFile:
        raise ProtokitError(f"{wheel.name}: not a wheel (bad zip file)") from None
    return target
