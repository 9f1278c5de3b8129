"""Install Buf, the oracle of the differential tests, into ``node_modules/.bin/buf`` (no npm needed).

Buf is published on the npm registry as one package per platform
(``@bufbuild/buf-linux-x64`` and so on) holding the binary.  This script fetches
the tarball of the pinned version for this machine, checks it against the
registry's sha512 integrity, and unpacks ``bin/buf`` where ``tests/conftest.py``
looks for it.  It does nothing when that binary already has the pinned version.
Buf is never a runtime dependency of protokit: only the tests run it.

Run: ``python tests/tools/install_buf.py [--version 1.75.0]``; exit 1 with one line when it cannot.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

VERSION = "1.75.0"
REGISTRY = "https://registry.npmjs.org"
TARGET = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "buf"
_PLATFORMS = {
    ("Linux", "x86_64"): "linux-x64",
    ("Linux", "aarch64"): "linux-aarch64",
    ("Linux", "arm64"): "linux-aarch64",
    ("Darwin", "x86_64"): "darwin-x64",
    ("Darwin", "arm64"): "darwin-arm64",
}


def installed_version(binary: Path) -> str | None:
    """The version an existing buf binary reports, or None."""
    if not binary.is_file():
        return None
    result = subprocess.run([str(binary), "--version"], capture_output=True, text=True)
    return (result.stdout.strip() or result.stderr.strip()) if result.returncode == 0 else None


def fetch_binary(version: str, package: str) -> bytes:
    """The buf binary of ``@bufbuild/buf-<package>`` at ``version``, integrity-checked."""
    with urllib.request.urlopen(f"{REGISTRY}/@bufbuild/buf-{package}/{version}", timeout=60) as response:
        dist = json.load(response)["dist"]
    with urllib.request.urlopen(dist["tarball"], timeout=300) as response:
        tarball = response.read()
    algorithm, _, expected = dist["integrity"].partition("-")
    if base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode() != expected:
        raise RuntimeError(f"{dist['tarball']} does not match the registry's {algorithm} integrity")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile("package/bin/buf")
        if member is None:
            raise RuntimeError(f"{dist['tarball']} holds no package/bin/buf")
        return member.read()


def install(version: str, target: Path) -> str:
    """Install buf ``version`` at ``target`` (atomically); what was done, in one line."""
    if installed_version(target) == version:
        return f"buf {version} is already at {target}"
    package = _PLATFORMS.get((platform.system(), platform.machine()))
    if package is None:
        raise RuntimeError(f"no buf build for {platform.system()} {platform.machine()}")
    binary = fetch_binary(version, package)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as scratch:
        scratch.write(binary)
    os.chmod(scratch.name, 0o755)
    os.replace(scratch.name, target)
    return f"installed buf {installed_version(target)} at {target}"


def main(argv: list[str] | None = None) -> int:
    """Install the pinned buf; exit 1 with one line on failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION)
    args = parser.parse_args(argv)
    try:
        print(install(args.version, TARGET))
    except (OSError, RuntimeError, KeyError, ValueError) as exc:
        print(f"install_buf: cannot install buf {args.version}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
