"""Rendering one distribution's project directory from ``templates/client``: code, protos, metadata, README."""

from __future__ import annotations

import keyword
import os
import shutil
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

import jinja2

from protokit import __version__
from protokit.gen.plan import (
    Distribution,
    Method,
    Service,
    comment_text,
    module_directory,
    module_stem,
    python_module,
    python_package,
)
from protokit.index.elements import FILE_MESSAGE, FileView

KINDS = {(False, False): "unary", (False, True): "server streaming", (True, False): "client streaming",
         (True, True): "bidirectional streaming"}  # fmt: skip


def templates_dir() -> Path:
    """``templates/client``: inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates" / "client", here.parent / "templates" / "client"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("protokit's templates/client directory is missing; reinstall protokit")


def docstring(text: str, indent: int = 4) -> str:
    """A triple-quoted Python literal for any comment text: backslashes, quotes and non-ASCII survive."""
    body = text.strip().replace("\\", "\\\\").replace('"', '\\"')
    lines = [line.rstrip() for line in body.splitlines()] or [""]
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    pad = " " * indent
    return '"""' + "\n".join(pad + line if line and i else line for i, line in enumerate(lines)) + "\n" + pad + '"""'


def _toml(value: str) -> str:
    """A TOML basic string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _oneline(text: str) -> str:
    """A comment as one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


@cache
def environment() -> jinja2.Environment:
    """The jinja2 environment of the client templates (strict: an unknown name is an error)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(docstring=docstring, toml=_toml, pystr=repr, oneline=_oneline)
    return env


@dataclass(frozen=True)
class MethodView:
    """A method with the Python names the client template prints."""

    name: str
    method_name: str
    request_type: str
    response_type: str
    client_streaming: bool
    server_streaming: bool
    idempotent: bool
    comment: str
    doc: str


class Types:
    """Where messages are defined, as Python expressions; files are indexed only when a lookup needs them."""

    def __init__(self, views: dict[str, FileView], prefix: str, local: frozenset[str]) -> None:
        self.views = views
        self.prefix = prefix
        self.local = local  # files generated in this workspace: their modules are under the prefix
        self.where: dict[str, tuple[str, str]] = {}
        self.indexed: set[str] = set()
        self.imports: dict[str, str] = {}

    def _index(self, name: str) -> None:
        view = self.views[name]
        for message in view.walk("message"):
            self.where[message.full_name] = (name, view.package)
        self.indexed.add(name)

    def python(self, full_name: str, near: str) -> str:
        """``_acme_orders_v1_order_pb2.CreateOrderRequest`` for a type used in file ``near``, importing it.

        The type is defined in ``near`` or in a file it imports; nested messages are attributes.
        """
        candidates = chain([near], self.views[near].proto.dependency, self.views)  # lazily: most stop at near
        for name in candidates:
            if full_name in self.where:
                break
            if name not in self.indexed and name in self.views:
                self._index(name)
        file, package = self.where[full_name]
        module = python_module(file, self.prefix if file in self.local else "")
        alias = "_" + module.replace(".", "_")
        self.imports[module] = alias
        return f"{alias}.{full_name[len(package) + 1 :] if package else full_name}"


CLIENT_NAMES = ("close", "from_channel", "channel_options")  # the clients' own attributes, which RPCs cannot take


def _method(method: Method, types: Types, near: str) -> MethodView:
    name = method.snake + "_" if keyword.iskeyword(method.snake) or method.snake in CLIENT_NAMES else method.snake
    kind = KINDS[(method.client_streaming, method.server_streaming)]
    doc = (method.comment or f"Calls {method.name}.") + f"\n\n{kind.capitalize()} RPC ``{method.name}``."
    return MethodView(
        method.name,
        name,
        types.python(method.request, near),
        types.python(method.response, near),
        method.client_streaming,
        method.server_streaming,
        method.idempotent,
        method.comment,
        doc,
    )


def _messages(views: dict[str, FileView], files: list[str]) -> list[tuple[str, str]]:
    """The top-level messages of ``files`` with their leading comments, for the README.

    Only the locations of top-level messages are looked at (indexing every location costs more).
    """
    found = []
    for name in files:
        proto = views[name].proto
        comments = {}
        for location in proto.source_code_info.location:
            path = location.path
            if len(path) == 2 and path[0] == FILE_MESSAGE:
                comments[path[1]] = location.leading_comments
        prefix = f"{proto.package}." if proto.package else ""
        found += [(prefix + m.name, comment_text(comments.get(i, ""))) for i, m in enumerate(proto.message_type)]
    return found


def render(
    dist: Distribution,
    generated: Path,
    sources: dict[str, str],
    descriptor_sets: dict[str, bytes],
    views: dict[str, FileView],
    local: frozenset[str],
    settings: dict[str, Any],
    requirements: list[str],
    project: Path,
) -> None:
    """Write the project of ``dist`` into ``project``: generated modules, protos, descriptor sets, metadata.

    Each directory of the distribution's files becomes an import package with its ``__init__.py``
    (``__version__``), a ``client.py`` for its services, its ``.proto`` files and their descriptor
    set (``descriptor_sets``, by directory). The generated modules are moved out of ``generated``;
    ``views`` holds the distribution's files and everything they import; ``local`` names the files
    generated in this workspace (their modules are under the import prefix).
    """
    env = environment()
    base = {
        "protokit_version": __version__,
        "kinds": KINDS,
        "requirements": requirements,
        "python": str(settings.get("python", ">=3.10")),
        "license": settings.get("license", ""),
        "authors": list(settings.get("authors", [])),
        "urls": dict(settings.get("urls", {})),
    }
    services = []
    for directory in dist.directories:
        package = python_package(directory, dist.prefix)
        package_dir = project / package.replace(".", "/")
        package_dir.mkdir(parents=True)
        files = [f for f in dist.files if module_directory(f) == directory]
        here = [s for s in dist.services if module_directory(s.file) == directory]
        _place(files, {s.file for s in here}, generated / package.replace(".", "/"), package_dir)
        (package_dir / "descriptor_set.binpb").write_bytes(descriptor_sets[directory])
        (package_dir / "py.typed").write_text("")
        context = _package_context(dist, package, files, here, views, local)
        services += context["package"]["services"]
        (package_dir / "__init__.py").write_text(env.get_template("__init__.py.j2").render(context), encoding="utf-8")
        if here:
            client = env.get_template("client.py.j2").render({**base, **context})
            (package_dir / "client.py").write_text(client, encoding="utf-8")
    _copy_protos(dist.files, sources, project.joinpath(*dist.prefix.split(".")) if dist.prefix else project)
    view = {
        **dist.__dict__,
        "services": services,
        "paths": [python_package(path, dist.prefix).replace(".", "/") for path in dist.paths],
        "messages": _messages(views, dist.files),
        "uses_protovalidate": any(r.startswith("protovalidate>") for r in requirements),
    }
    description = f"Typed Python client for {', '.join(dist.proto_packages)}, generated by protokit."
    context = {**base, "dist": view, "description": description}
    (project / "README.md").write_text(env.get_template("README.md.j2").render(context), encoding="utf-8")
    (project / "pyproject.toml").write_text(env.get_template("pyproject.toml.j2").render(context), encoding="utf-8")


def _place(files: list[str], with_services: set[str], generated: Path, into: Path) -> None:
    """Move the generated modules of ``files`` into their package directory."""
    for file in files:
        stem = module_stem(file)
        for suffix in ("_pb2.py", "_pb2.pyi", *(("_pb2_grpc.py", "_pb2_grpc.pyi") if file in with_services else ())):
            os.replace(generated / f"{stem}{suffix}", into / f"{stem}{suffix}")


def _copy_protos(files: list[str], sources: dict[str, str], root: Path) -> None:
    """Copy the ``.proto`` files to their import paths below ``root`` (the import prefix's directory), so that
    an installed distribution can serve as a proto dependency."""
    for file in files:
        target = root / file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sources[file], target)


def _package_context(
    dist: Distribution,
    package: str,
    files: list[str],
    services: list[Service],
    views: dict[str, FileView],
    local: frozenset[str],
) -> dict[str, Any]:
    """What ``__init__.py`` and ``client.py`` of one import package are rendered from."""
    types = Types(views, dist.prefix, local)
    shown = []
    for service in services:
        grpc_module = f"{package}.{service.grpc_module}"
        alias = "_" + grpc_module.replace(".", "_")
        types.imports[grpc_module] = alias
        methods = [_method(m, types, service.file) for m in service.methods]
        shown.append({**service.__dict__, "import_package": package, "grpc_alias": alias, "methods": methods})
    rpcs = [m for s in services for m in s.methods]
    client_streams = any(m.client_streaming for m in rpcs)
    server_streams = any(m.server_streaming for m in rpcs)
    proto_packages = sorted({views[f].package for f in files})
    return {
        "package": {"name": package, "proto_packages": proto_packages, "services": shown, "version": dist.version},
        "client_streams": client_streams,
        "typing_names": ["Any"] + ["TypeVar"] * client_streams + ["cast"] * server_streams,
        "abc_names": sorted(
            {"Sequence"}
            | ({"AsyncIterable", "AsyncIterator", "Iterable", "Iterator"} if client_streams else set())
            | ({"AsyncIterable", "Iterator"} if server_streams else set())
        ),
        "imports": sorted(types.imports.items()),
    }
