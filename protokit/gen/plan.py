"""Planning client distributions: which proto files go into which Python distribution, and what each needs."""

from __future__ import annotations

import importlib.metadata
import keyword
import posixpath
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from google.protobuf import descriptor_pb2

from protokit.diagnostics import ProtokitError
from protokit.index.elements import FileView

# Distributions whose generated modules other packages import rather than generate again.
PROVIDERS = ("protobuf", "googleapis-common-protos")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")


@dataclass(frozen=True)
class Method:
    """One RPC as the client template needs it."""

    name: str
    snake: str
    request: str  # Python expression of the request type, such as ``order_pb2.CreateOrderRequest``
    response: str
    client_streaming: bool
    server_streaming: bool
    idempotent: bool
    comment: str


@dataclass(frozen=True)
class Service:
    """One service: its full name, the module its stub lives in and its RPCs."""

    name: str
    full_name: str
    file: str  # the proto file that defines it
    grpc_module: str  # such as ``order_service_pb2_grpc``
    comment: str
    methods: tuple[Method, ...]


@dataclass
class Distribution:
    """One Python distribution to build: its name, files, services and requirements.

    Each directory of its files becomes an import package (``acme/orders/v1`` -> ``acme.orders.v1``,
    under ``prefix`` when ``gen.import_prefix`` sets one).
    """

    name: str
    proto_packages: tuple[str, ...]
    files: list[str]
    prefix: str = ""
    version: str = "0.0.0"
    requires: list[str] = field(default_factory=list)  # names of other generated distributions
    uses_googleapis: bool = False
    services: list[Service] = field(default_factory=list)
    # made from a proto protokit ships (protovalidate's validate.proto), not from the workspace: a version of
    # its own, no import prefix, shared by every workspace's packages that import it
    shared: bool = False

    @property
    def directories(self) -> list[str]:
        """The directories its files' modules go into, such as ``acme/orders/v1`` (one import package each;
        ``k8s.min.proto`` in ``acme/run/v1`` is ``acme/run/v1/k8s/min_pb2.py``, as protoc names it)."""
        return sorted({module_directory(name) for name in self.files})

    @property
    def paths(self) -> list[str]:
        """The directories the wheel is made of (below the import prefix): those of its modules and of its
        ``.proto`` files, leaving out any below another (including a directory includes what is below it)."""
        found = sorted({module_directory(name) for name in self.files} | {posixpath.dirname(n) for n in self.files})
        return [d for d in found if not any(d.startswith(other + "/") for other in found)]


def python_package(directory: str, prefix: str = "") -> str:
    """The import package of a directory of the proto tree: ``acme/orders/v1`` -> ``[prefix.]acme.orders.v1``."""
    return ".".join(part for part in (prefix, directory.replace("/", ".")) if part)


def python_module(file_name: str, prefix: str = "") -> str:
    """The module protoc generates for a file: ``acme/orders/v1/order.proto`` -> ``acme.orders.v1.order_pb2``.

    protoc's own rule (its Python generator's ``ModuleName``): the name without ``.proto``, ``-`` and ``/``
    replaced by ``_`` and ``.``, then ``_pb2``; so ``acme/run/v1/k8s.min.proto`` is ``acme.run.v1.k8s.min_pb2``.
    """
    module = file_name.removesuffix(".proto").replace("-", "_").replace("/", ".") + "_pb2"
    return f"{prefix}.{module}" if prefix else module


def module_directory(file_name: str) -> str:
    """The directory of a file's generated modules, relative to the import prefix: ``acme/run/v1/k8s.min.proto``
    -> ``acme/run/v1/k8s``."""
    return posixpath.dirname(python_module(file_name).replace(".", "/"))


@cache
def _shipped_modules(distribution: str) -> frozenset[str]:
    """The ``*_pb2.py`` files the installed ``distribution`` holds, relative to site-packages."""
    try:
        files = importlib.metadata.files(distribution) or []
    except importlib.metadata.PackageNotFoundError:
        return frozenset()
    return frozenset(f.as_posix() for f in files if f.name.endswith("_pb2.py"))


def provider(file_name: str) -> str:
    """The installed distribution (one of :data:`PROVIDERS`) that ships the module of ``file_name``, or "".

    It is decided by the module protoc would write, not by directory: googleapis-common-protos ships
    ``google/api/annotations_pb2.py`` but not ``google/api/expr/v1alpha1/syntax_pb2.py``, which gen builds.
    """
    module = python_module(file_name).replace(".", "/") + ".py"
    return next((name for name in PROVIDERS if module in _shipped_modules(name)), "")


def comment_text(raw: str) -> str:
    """A proto comment as text: the space after ``//`` on every line removed, surrounding blank lines dropped."""
    return textwrap.dedent(raw).strip()


def module_stem(file_name: str) -> str:
    """The stem of the modules protoc writes for a file: ``acme/orders/v1/order-items.proto`` -> ``order_items``,
    ``acme/run/v1/k8s.min.proto`` -> ``min``."""
    return python_module(file_name).rsplit(".", 1)[-1].removesuffix("_pb2")


def snake_case(name: str) -> str:
    """``CreateOrder`` -> ``create_order``; ``GetHTTPStatus`` -> ``get_http_status``."""
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", words).lower()


def _check_import_package(directory: str, shown: str) -> None:
    """A file's directory becomes its Python package: it must exist and every part must be an identifier."""
    if not directory:
        raise ProtokitError(f"{shown}: a file at the top of a module has no Python package; put it in a directory")
    for part in directory.split("/"):
        if not part.isidentifier() or keyword.iskeyword(part):
            raise ProtokitError(
                f'{shown}: directory "{part}" cannot be part of a Python import name; rename it (letters, digits, _)'
            )


def plan(views: dict[str, FileView], settings: dict[str, str], prefix: str = "") -> list[Distribution]:
    """One distribution per proto package (named like ``acme-orders-v1``), unless ``gen.distributions`` says else.

    ``settings`` maps a proto package (or ``a.b.*``, every package below ``a.b``) to the distribution name it
    goes into; packages mapped to the same name are grouped, whatever their directories.  Files without a
    package go with their directory as if it were their package. ``prefix`` (``gen.import_prefix``) is
    put before every import package. Vendored copies of the files ``protobuf`` and
    ``googleapis-common-protos`` ship are left to them, and nothing else goes into their ``google``
    namespace.
    """
    _check_prefix(prefix)
    by_name: dict[str, Distribution] = {}
    owner: dict[str, str] = {}
    for name, view in views.items():
        if provider(name):
            continue
        if name.startswith("google/") and not prefix:
            raise ProtokitError(
                f"{view.shown}: the google namespace belongs to protobuf and googleapis-common-protos; "
                "move the file out of google/ or set gen.import_prefix"
            )
        _check_import_package(module_directory(name), view.shown)
        # A file without a package goes with its directory, as if that were its package (``legacy/v1``: legacy.v1).
        package = view.package or module_directory(name).replace("/", ".")
        dist_name = distribution_of(package, settings)
        if not _SAFE_NAME.match(dist_name):
            raise ProtokitError(f'gen: "{dist_name}" is not a valid distribution name')
        dist = by_name.setdefault(dist_name, Distribution(dist_name, (), [], prefix))
        if package not in dist.proto_packages:
            dist.proto_packages += (package,)
        dist.files.append(name)
        owner[name] = dist_name
    for dist in by_name.values():
        for name in dist.files:
            view = views[name]
            for dependency in view.proto.dependency:
                other = owner.get(dependency)
                if other and other != dist.name and other not in dist.requires:
                    dist.requires.append(other)
                dist.uses_googleapis |= provider(dependency) == "googleapis-common-protos"
            dist.services += _services(view)
    _check_directories_owned_once(by_name.values())
    return sorted(by_name.values(), key=lambda d: d.name)


def distribution_of(package: str, settings: dict[str, str]) -> str:
    """The distribution of a proto package: ``gen.distributions`` names it, or a pattern ``a.b.*`` covers it (the
    longest wins), else its own name (``acme.orders.v1`` -> ``acme-orders-v1``)."""
    if package in settings:
        return settings[package]
    covering = [p for p in settings if p.endswith(".*") and package.startswith(p[:-1])]
    if covering:
        return settings[max(covering, key=len)]
    return package.replace(".", "-").replace("_", "-")


def _check_prefix(prefix: str) -> None:
    parts = prefix.split(".") if prefix else []
    if any(not part.isidentifier() or keyword.iskeyword(part) for part in parts):
        raise ProtokitError(f'gen.import_prefix: "{prefix}" is not a dotted Python name (such as acme_clients)')
    if parts[:1] == ["google"]:
        raise ProtokitError(f'gen.import_prefix: "{prefix}" is in the google namespace, which protobuf owns')


def _check_directories_owned_once(dists: Iterable[Distribution]) -> None:
    """Two distributions writing one import package would overwrite each other's ``__init__.py``."""
    seen: dict[str, str] = {}
    for dist in dists:
        for directory in dist.directories:
            other = seen.setdefault(directory, dist.name)
            if other != dist.name:
                raise ProtokitError(
                    f"gen.distributions: {directory}/ holds files of both {other} and {dist.name}; "
                    "the files of one directory (one import package) must go into one distribution"
                )


def _services(view: FileView) -> list[Service]:
    found = []
    grpc_module = module_stem(view.name) + "_pb2_grpc"
    levels = descriptor_pb2.MethodOptions
    services = list(view.walk("service"))
    # the comments of services and RPCs, found in one pass over the file's locations
    view.locate({p for s in services for p in (s.path, *(s.path + (2, i) for i in range(len(s.proto.method))))})
    for service in services:
        methods = []
        for i, rpc in enumerate(service.proto.method):
            level = rpc.options.idempotency_level
            methods.append(
                Method(
                    rpc.name,
                    snake_case(rpc.name),
                    rpc.input_type.lstrip("."),
                    rpc.output_type.lstrip("."),
                    rpc.client_streaming,
                    rpc.server_streaming,
                    level in (levels.NO_SIDE_EFFECTS, levels.IDEMPOTENT),
                    comment_text(view.comments(service.path + (2, i))),
                )
            )
        comment = comment_text(view.comments(service.path))
        found.append(Service(service.name, service.full_name, view.name, grpc_module, comment, tuple(methods)))
    return found
