"""Building both sides of a comparison as file views: the current workspace and the baseline."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from protokit import __version__
from protokit.breaking.against import Against, Snapshot, snapshot
from protokit.compile.cache import DescriptorCache, Entry
from protokit.compile.compiler import CompilePlan, compile_workspace
from protokit.compile.source_index import BlobIndex, SourceIndex
from protokit.compile.sources import scan_package
from protokit.config.discover import load_config
from protokit.diagnostics import Diagnostic, ProtokitError, display_path
from protokit.index.elements import FileView
from protokit.workspace import Workspace, module_key, open_workspace

_CONFIG_FILES = ("protokit.yaml", "buf.yaml", "buf.work.yaml")
_COMPILING = threading.Lock()  # one compile at a time: each already uses every core


@dataclass
class Side:
    """One side's files by import name: the module files, each with its module (its root relative to the config),
    and the files they import from outside the workspace (well-known types, includes), which Buf compares too."""

    views: dict[str, FileView] = field(default_factory=dict)
    modules: dict[str, str] = field(default_factory=dict)  # module files only
    keys: dict[str, str] = field(default_factory=dict)  # descriptor cache keys, for the release history
    packages: dict[str, str] = field(default_factory=dict)  # each file's proto package
    imports: frozenset[str] = frozenset()  # the files that are not the workspace's
    dependencies: dict[str, list[str]] = field(default_factory=dict)  # what each file imports, known unparsed

    def imported_by(self, name: str) -> list[str]:
        """The files ``name`` imports (from the sources when known, else from its descriptor)."""
        found = self.dependencies.get(name)
        return found if found is not None else list(self.views[name].proto.dependency)


def _module_of(workspace: Workspace, name: str) -> str:
    return module_key(workspace.config, workspace.files[name].module)


def module_views(
    workspace: Workspace,
    cache: DescriptorCache,
    *,
    views: bool = True,
    index: SourceIndex | None = None,
    targets: tuple[str, ...] | None = None,
    plan: CompilePlan | None = None,
) -> Side:
    """The compiled files of a workspace and what they import; with ``views=False`` only their keys.

    ``targets`` limits it to those files and the files they import; ``plan`` is the whole workspace's plan
    when the caller made it already.
    """
    whole = replace(workspace, targets=tuple(workspace.files) if targets is None else targets)
    result = compile_workspace(whole, cache, index=index, plan=plan if targets is None else None)
    names = result.order
    return Side(
        {name: FileView.compiled(result, name) for name in names} if views else {},
        {name: _module_of(workspace, name) for name in names if name in workspace.files},
        {name: result.keys[name] for name in names},
        {name: str(result.metas[name].get("package", "")) for name in names},
        frozenset(name for name in names if name not in workspace.files),
        {name: [i.name for i in result.sources[name].imports] for name in names},
    )


def repository_root(path: Path) -> Path:
    """The top of the git repository that holds ``path``."""
    found = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True)
    if found.returncode != 0:
        raise ProtokitError(f"{display_path(path)}: not inside a git repository, so a git ref has no meaning here")
    return Path(found.stdout.strip()).resolve()


class Checkout:
    """A scratch directory that successive commits are written into, each time only what differs."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.sources = BlobIndex(cache_dir)
        self._scratch = tempfile.TemporaryDirectory(prefix="protokit-against-")
        self.top = Path(os.path.realpath(self._scratch.name))
        (self.top / ".git").mkdir()  # configuration is looked up no higher than the tree's top
        self.blobs: dict[str, str] = {}
        self.packages: dict[str, str] = {}  # the package each checked-out .proto file declares

    def update(self, files: Snapshot) -> None:
        """Make the directory hold ``files``: write changed and new blobs, delete what is gone."""
        wanted = dict(files.blobs)
        for path in [p for p in self.blobs if p not in wanted]:
            (self.top / path).unlink(missing_ok=True)
            del self.blobs[path]
            self.packages.pop(path, None)
        odb = files.repo.odb
        for path, sha in wanted.items():
            if self.blobs.get(path) != sha:
                target = self.top / path
                target.parent.mkdir(parents=True, exist_ok=True)
                content = odb.stream(bytes.fromhex(sha)).read()
                target.write_bytes(content)
                self.blobs[path] = sha
                if path.endswith(".proto"):
                    self.packages[path] = scan_package(content)

    def index(self) -> BlobIndex:
        """The sources index of the files checked out now, by blob id."""
        self.sources.blobs = {str(self.top / path): sha for path, sha in self.blobs.items()}
        return self.sources

    def close(self) -> None:
        """Save what was learned about the blobs, and delete the directory."""
        self.sources.flush()
        self._scratch.cleanup()


class Baseline:
    """How to build the old side: the current workspace, the cache, and ``--against-config`` if given.

    Use it as a context manager: commits are checked out into one scratch directory, deleted at the end.
    """

    def __init__(self, current: Workspace, cache: DescriptorCache, config: Path | None = None) -> None:
        self.current, self.cache, self.config = current, cache, config
        self._checkout: Checkout | None = None
        self._listed: dict[str, Snapshot] = {}

    def __enter__(self) -> Baseline:
        return self

    def __exit__(self, *_: object) -> None:
        if self._checkout is not None:
            self._checkout.close()

    def git(self, ref: str, subdir: str = "", *, views: bool = True, packages: frozenset[str] | None = None) -> Side:
        """The module at ``ref``, from the cache when this tree was compiled before, else checked out and built.

        With ``views=False`` only the files' cache keys are wanted (for the release history): nothing is parsed.
        ``packages`` limits the build to the files of those packages (and what they import).
        Listing a commit's files is safe from several threads; checking out and compiling take turns.
        """
        files, inside, key = self._listing(ref, subdir, packages)
        prefix = "" if inside in ("", ".") else inside.rstrip("/") + "/"
        known = self._recorded(key, views)
        if known is not None:
            return known
        where = ref + (f" ({inside})" if inside not in ("", ".") else "")
        with _COMPILING:
            if self._checkout is None:
                self._checkout = Checkout(self.cache.root)
            checkout = self._checkout
            checkout.update(files)
            wanted = None if packages is None else {p for p, pkg in checkout.packages.items() if pkg in packages}
            try:
                side = self._build(checkout.top / inside, where, views, checkout.index(), wanted)
            finally:
                if self.config is not None:  # _build replaced the configuration files: write them again next time
                    for name in _CONFIG_FILES:
                        checkout.blobs.pop(prefix + name, None)
        self._record(key, side)
        return side

    def identity(self, ref: str, subdir: str = "") -> str:
        """What the module at ``ref`` is made of, as a key: its files' blob ids and the configuration used."""
        return self._listing(ref, subdir, None)[2]

    def _listing(self, ref: str, subdir: str, packages: frozenset[str] | None) -> tuple[Snapshot, str, str]:
        """The files of ``ref`` (listed once per ref), the module directory inside the repository and the key."""
        root = repository_root(self.current.config.directory)
        inside = subdir or self.current.config.directory.relative_to(root).as_posix()
        files = self._listed.get(ref) or snapshot(root, ref)
        self._listed[ref] = files
        prefix = "" if inside in ("", ".") else inside.rstrip("/") + "/"
        if not any(path.startswith(prefix) and path.endswith(".proto") for path, _ in files.blobs):
            raise ProtokitError(f"{inside or '.'}: no .proto files at {ref}")
        return files, inside, self._snapshot_key(files, inside, packages)

    def directory(self, path: Path) -> Side:
        """The module in another directory (copied first when ``--against-config`` replaces its configuration)."""
        if self.config is None:
            return self._build(path, display_path(path))
        with tempfile.TemporaryDirectory(prefix="protokit-against-") as scratch:
            copy = Path(scratch) / "tree"
            shutil.copytree(path, copy, ignore=shutil.ignore_patterns(".git"))
            (Path(scratch) / ".git").mkdir()
            return self._build(copy, display_path(path))

    def _build(
        self,
        old_dir: Path,
        where: str,
        views: bool = True,
        index: SourceIndex | None = None,
        only: set[str] | None = None,
    ) -> Side:
        """Compile the module at ``old_dir`` (``only``: just these files, by path below the checkout's top)."""
        if self.config is not None:
            for name in _CONFIG_FILES:
                (old_dir / name).unlink(missing_ok=True)
            shutil.copyfile(self.config, old_dir / self.config.name)
        try:
            workspace = open_workspace([old_dir])
            targets = None
            if only is not None and self._checkout is not None:
                top = self._checkout.top
                targets = tuple(n for n, f in workspace.files.items() if f.path.relative_to(top).as_posix() in only)
            return module_views(workspace, self.cache, views=views, index=index, targets=targets)
        except ProtokitError as error:
            note = Diagnostic("", 0, 0, f"the baseline {where} does not compile:", "INPUT")
            inside = str(old_dir) + os.sep  # a checkout's files are shown by their path in it, not in a temp dir
            shown = [replace(d, path=d.path.removeprefix(inside)) for d in error.diagnostics]
            raise ProtokitError([note, *shown]) from None

    def _snapshot_key(self, files: Snapshot, inside: str, packages: frozenset[str] | None) -> str:
        config = self.config.read_bytes() if self.config is not None else b""
        listing = "\n".join(f"{path} {sha}" for path, sha in files.blobs)
        only = "*" if packages is None else ",".join(sorted(packages))
        text = f"protokit {__version__} snapshot 4\n{inside}\n{only}\n{hashlib.sha256(config).hexdigest()}\n{listing}"
        return hashlib.sha256(text.encode()).hexdigest()

    def _recorded(self, key: str, views: bool) -> Side | None:
        """A baseline built before from the same files: its views come straight from the descriptor cache."""
        entry = DescriptorCache(self.cache.root, "snapshots").get(key)
        if entry is None:
            return None
        side = Side()
        imports = set()
        for name, module, file_key, package, dependencies in json.loads(entry.descriptor):
            side.keys[name], side.packages[name], side.dependencies[name] = file_key, package, dependencies
            if module is None:
                imports.add(name)
            else:
                side.modules[name] = module
            if not views:
                continue
            compiled = self.cache.get(file_key)
            if compiled is None:
                return None
            side.views[name] = FileView.cached(compiled.descriptor, name, name, compiled.meta)
        side.imports = frozenset(imports)
        return side

    def _record(self, key: str, side: Side) -> None:
        rows = [
            [name, side.modules.get(name), side.keys[name], side.packages[name], side.dependencies.get(name, [])]
            for name in side.keys
        ]
        DescriptorCache(self.cache.root, "snapshots").put(key, Entry(json.dumps(rows).encode()))


def baseline(against: Against, builder: Baseline) -> Side:
    """The old side; a baseline that does not compile is an error that says so."""
    if against.kind == "image":
        return _image_side(against.path, builder.current)
    if against.kind == "git":
        return builder.git(against.ref, against.subdir)
    return builder.directory(against.path)


def _image_side(path: Path, current: Workspace) -> Side:
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
    views = {f.name: FileView.build(f, f"{shown}:{f.name}") for f in image.file}
    return Side(views, imports=frozenset(n for n in views if n not in ours and n.startswith("google/")))


def against_config(path: Path | None) -> Path | None:
    """Check ``--against-config``: an existing protokit.yaml, buf.yaml or buf.work.yaml."""
    if path is None:
        return None
    if not path.is_file():
        raise ProtokitError(f"{display_path(path)}: --against-config names no file")
    if path.name not in _CONFIG_FILES:
        raise ProtokitError(f"{display_path(path)}: --against-config must be a {', '.join(_CONFIG_FILES)} file")
    load_config(path, path.parent)  # errors name the file, line and column here, not in a scratch copy
    return path.resolve()
