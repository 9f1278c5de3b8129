"""Include paths beyond the module roots: well-known types and pip-installed proto packages."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

from protokit.diagnostics import ProtokitError

# Distributions whose .proto files are always importable (google/api, google/rpc, google/type, ...).
DEFAULT_PROTO_DISTRIBUTIONS = ("googleapis-common-protos",)


@lru_cache(maxsize=1)
def well_known_types_root() -> Path:
    """The directory holding ``google/protobuf/*.proto`` as shipped with grpcio-tools."""
    spec = importlib.util.find_spec("grpc_tools")
    if spec is None or not spec.submodule_search_locations:
        raise ProtokitError("grpcio-tools is not installed; reinstall protokit (pip install protokit)")
    return Path(next(iter(spec.submodule_search_locations))) / "_proto"


def distribution_proto_root(name: str, *, listed_in: str | None = None) -> Path:
    """The directory a distribution's ``.proto`` files are importable from (its install location).

    A distribution that is missing or ships no ``.proto`` file is an error naming
    the configuration that listed it.
    """
    found = _installed_root(name)
    if found is not None:
        return found
    import importlib.metadata  # what the quick look does not find (or to say why): slow to import

    where = f" (listed under deps in {listed_in})" if listed_in else ""
    try:
        dist = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        raise ProtokitError(f'proto dependency "{name}"{where} is not installed; run: pip install {name}') from None
    files = dist.files or []
    if not any(str(f).endswith(".proto") for f in files):
        raise ProtokitError(f'proto dependency "{name}"{where} ships no .proto files')
    return Path(str(dist.locate_file(""))).resolve()


def _installed_root(name: str) -> Path | None:
    """Where ``name`` is installed, found as ``importlib.metadata`` finds it (the first ``sys.path`` entry with
    its ``.dist-info`` directory), if its RECORD lists a ``.proto`` file; None when this quick look finds no
    such thing.  Importing ``importlib.metadata`` alone costs more than the rest of a cached lint of a small
    tree, and every run looks up the default proto distributions."""
    prefix = re.sub(r"[-_.]+", "_", name).lower() + "-"
    for entry in sys.path:
        directory = entry or "."
        try:
            listing = os.listdir(directory)
        except OSError:
            continue
        for item in listing:
            if item.endswith(".dist-info") and item.lower().startswith(prefix):
                try:
                    record = Path(directory, item, "RECORD").read_text(encoding="utf-8")
                except OSError:
                    return None
                return Path(directory).resolve() if ".proto," in record else None
    return None


# protovalidate's ``buf/validate/validate.proto``, as Buf's dependency ``buf.build/bufbuild/protovalidate``
# provides it: importable without vendoring (a module's own copy comes first).
PROTOVALIDATE_ROOT = Path(__file__).parent / "validate" / "proto"


def include_roots(deps: tuple[str, ...], *, listed_in: str | None = None) -> tuple[Path, ...]:
    """Well-known types first, then the default proto distributions, then the configured deps, then
    protovalidate's validate.proto."""
    roots: list[Path] = [well_known_types_root()]
    for name in (*DEFAULT_PROTO_DISTRIBUTIONS, *deps):
        root = distribution_proto_root(name, listed_in=listed_in)
        if root not in roots:
            roots.append(root)
    roots.append(PROTOVALIDATE_ROOT)
    return tuple(dict.fromkeys(roots))
