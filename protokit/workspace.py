"""The workspace: which ``.proto`` files belong to which module, and which ones a command targets."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from protokit.config import Config, Module, find_config, load_config
from protokit.diagnostics import Diagnostic, ProtokitError, display_path
from protokit.includes import include_roots


@dataclass(frozen=True)
class ProtoFile:
    """A ``.proto`` file of a module: its import name and where it lives on disk."""

    name: str
    path: Path
    module: Module


@dataclass(frozen=True)
class Workspace:
    """Every file of every module, the targeted subset and the include roots to compile with."""

    config: Config
    files: dict[str, ProtoFile]
    targets: tuple[str, ...]
    include_roots: tuple[Path, ...]

    @property
    def roots(self) -> tuple[Path, ...]:
        """Module roots followed by dependency roots, in the order imports are resolved.

        Nested module roots come before the roots that hold them: protoc names a file it is given by
        the first root that contains it, and a file of ``proto/foo/internal`` belongs to that module.
        """
        modules = sorted(dict.fromkeys(m.root for m in self.config.modules), key=lambda r: -len(r.parts))
        return tuple(modules) + self.include_roots


def module_key(config: Config, module: Module) -> str:
    """A module's name in reports and caches: its root relative to the configuration (``.`` for the
    configuration's own directory), with ``#N`` (its position) when modules share a root with
    different ``includes``, as buf.yaml v2 allows; the roots of a v1beta1 module share its key."""
    root = module.group or module.root
    key = root.relative_to(config.directory).as_posix() if root != config.directory else "."
    if module.group is None and sum(1 for other in config.modules if other.root == root) > 1:
        key += f"#{next(i for i, other in enumerate(config.modules) if other is module)}"
    return key


def _module_files(module: Module) -> dict[str, Path]:
    """The ``.proto`` files of one module by import name, excludes left out, in sorted order.

    With ``includes`` only the files below those directories are walked (a missing one has none).
    """
    found: dict[str, Path] = {}
    root = str(module.root)
    excludes = tuple(str(ex) for ex in module.excludes)
    for start in [str(include) for include in module.includes] or [root]:
        _walk(start, root, excludes, found)
    return dict(sorted(found.items()))


def _walk(start: str, root: str, excludes: tuple[str, ...], found: dict[str, Path]) -> None:
    """Add the ``.proto`` files below ``start`` to ``found``, by their name relative to ``root``."""
    for directory, subdirs, filenames in os.walk(start):
        subdirs[:] = sorted(
            d for d in subdirs if not d.startswith(".") and not _under(os.path.join(directory, d), excludes)
        )
        relative = os.path.relpath(directory, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for filename in filenames:
            if filename.endswith(".proto") and not _under(os.path.join(directory, filename), excludes):
                found[prefix + filename] = Path(directory, filename)


def _under(path: str, parents: tuple[str, ...]) -> bool:
    """Whether ``path`` is one of ``parents`` or lies below one of them."""
    return any(path == parent or path.startswith(parent + os.sep) for parent in parents)


def open_workspace(inputs: list[Path], paths: list[Path] | None = None) -> Workspace:
    """Resolve the configuration governing ``inputs`` and the files they target.

    ``inputs`` are directories or ``.proto`` files; the configuration is the
    nearest protokit.yaml / buf.work.yaml / buf.yaml at or above the first one.
    ``paths`` further restricts the targets (``--path``).  Nonexistent paths,
    paths outside every module and selections without any ``.proto`` file are
    errors.
    """
    absolute = [_existing(p) for p in inputs]
    start = absolute[0] if absolute[0].is_dir() else absolute[0].parent
    config_path = find_config(start)
    config = load_config(config_path, _default_root(absolute[0], start))
    for module in config.modules:
        if not module.root.is_dir():
            listed = display_path(config.source or start)
            raise ProtokitError(f"module root {display_path(module.root)} listed in {listed} does not exist")
    files: dict[str, ProtoFile] = {}
    for module in config.modules:
        for name, path in _module_files(module).items():
            if name in files:
                other = files[name]
                raise ProtokitError(
                    Diagnostic(
                        display_path(path),
                        0,
                        0,
                        f'"{name}" is also defined in module {display_path(other.module.root)} '
                        f"({display_path(other.path)}); an import name must be unique across modules",
                        "INPUT",
                    )
                )
            files[name] = ProtoFile(name, path, module)
    selected = _select(files, absolute, config.modules)
    if paths:
        selected = _select({n: files[n] for n in selected}, [_existing(p) for p in paths], config.modules)
    listed_in = display_path(config.source) if config.source else None
    return Workspace(config, files, tuple(selected), include_roots(config.deps, listed_in=listed_in))


def whole_workspace(selected: Workspace) -> Workspace:
    """The workspace of ``selected`` with every module file targeted (opened again only when ``selected``
    targets some of them: walking a large tree twice costs more than the rest of a cached run)."""
    if len(selected.targets) == len(selected.files):
        return replace(selected, targets=tuple(selected.files))
    return open_workspace([selected.config.directory])


def _default_root(first: Path, start: Path) -> Path:
    """The module root without a configuration: a directory input itself; for a file, the working
    directory when the file is below it (as pre-commit runs hooks from the repository top), else its directory."""
    cwd = Path.cwd()
    if first.is_file() and cwd in first.parents:
        return cwd
    return start


def _existing(path: Path) -> Path:
    absolute = Path(os.path.abspath(path))
    if not absolute.exists():
        raise ProtokitError(f"{display_path(path)}: no such file or directory")
    return absolute


def _select(files: dict[str, ProtoFile], selectors: list[Path], modules: tuple[Module, ...]) -> list[str]:
    """The names of the files under each selector; a selector matching no file is an error."""
    by_path = {f.path: f.name for f in files.values()}
    selected: dict[str, None] = {}
    for selector in selectors:
        if selector.is_file():
            if selector.suffix != ".proto":
                raise ProtokitError(f"{display_path(selector)}: not a .proto file")
            if selector not in by_path:
                raise ProtokitError(_outside_message(selector, modules))
            selected[by_path[selector]] = None
            continue
        matches = [name for path, name in by_path.items() if _under(str(path), (str(selector),))]
        if not matches:
            if not any(selector == m.root or m.root in selector.parents or selector in m.root.parents for m in modules):
                raise ProtokitError(_outside_message(selector, modules))
            raise ProtokitError(f"{display_path(selector)}: no .proto files found")
        selected.update(dict.fromkeys(matches))
    return sorted(selected)


def _outside_message(path: Path, modules: tuple[Module, ...]) -> str:
    where = ", ".join(display_path(m.root) for m in modules)
    return f"{display_path(path)}: not inside any module root (roots: {where}), or excluded by the configuration"
