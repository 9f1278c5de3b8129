"""Layout rules: packages, directories and the import graph between packages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from protokit.checks.registry import Finding, at_file, rule
from protokit.index.elements import FILE_DEPENDENCY, FILE_PACKAGE, FileView
from protokit.lint.context import Context
from protokit.lint.summary import FileSummary, Verdict


def _package_hit(file: FileView, message: str) -> Finding:
    return at_file(file, message, (FILE_PACKAGE,))


@rule("PACKAGE_DEFINED", "file")
def package_defined(ctx: Context, file: FileView) -> Iterator[Finding]:
    """Every file declares a package.

    Why: the types of a file without a package live in the global namespace, where they collide with any other
    such type; generators and Buf's layout rules also need a package to place the file's code.
    Bad: ``syntax = "proto3"; message Order {}``
    Good: ``syntax = "proto3"; package acme.orders.v1; message Order {}``
    Fix: add a ``package`` statement that matches the file's directory (``acme/orders/v1`` is ``acme.orders.v1``).
    """
    if not file.proto.package:
        yield at_file(file, "Files must have a package defined.")


@rule("PACKAGE_DIRECTORY_MATCH", "file")
def package_directory_match(ctx: Context, file: FileView) -> Iterator[Finding]:
    """A file of package ``a.b.v1`` lives in directory ``a/b/v1`` relative to its module root.

    Why: protoc enforces no layout, but many generators (Go, Java) derive output paths from the package, and
    readers find a type's file from its package.
    Bad: ``package acme.orders.v1;`` in ``orders/order.proto``
    Good: ``package acme.orders.v1;`` in ``acme/orders/v1/order.proto``
    Fix: move the file to the directory of its package (or change the package to match the directory).
    """
    package = file.proto.package
    if package and file.directory != package.replace(".", "/"):
        expected = package.replace(".", "/")
        message = (
            f'Files with package "{package}" must be within a directory "{expected}" relative to root '
            f'but were in directory "{file.directory}".'
        )
        yield _package_hit(file, message)


@rule("DIRECTORY_SAME_PACKAGE", "module")
def directory_same_package(ctx: Context, files: list[FileSummary]) -> Iterator[Verdict]:
    """All files in one directory declare the same package.

    Why: most generators treat a directory as one package (a Go package is a directory); two packages in one
    directory produce clashing output and hide where a type belongs.
    Bad: ``package acme.orders.v1;`` in ``acme/orders/v1/a.proto`` and ``package acme.billing.v1;`` in
    ``acme/orders/v1/b.proto``
    Good: ``package acme.orders.v1;`` in both files of ``acme/orders/v1``
    Fix: move the odd file to the directory of its package.
    """
    by_directory: dict[str, list[FileSummary]] = defaultdict(list)
    for file in files:
        by_directory[file.directory].append(file)
    for directory, group in by_directory.items():
        packages = sorted({f.package for f in group})
        if len(packages) < 2:
            continue
        named = [p for p in packages if p]
        if "" in packages:
            what = "Multiple packages" if len(named) > 1 else "Package"
            message = f'{what} "{",".join(named)}" and file with no package detected within directory "{directory}".'
        else:
            message = f'Multiple packages "{",".join(named)}" detected within directory "{directory}".'
        for file in group:
            yield Verdict(file.name, (FILE_PACKAGE,), message)


@rule("PACKAGE_SAME_DIRECTORY", "module")
def package_same_directory(ctx: Context, files: list[FileSummary]) -> Iterator[Verdict]:
    """All files of one package live in one directory.
    Files without a package form one group too, as in Buf (reported at the file's start).

    Why: generators that map a package to one output directory (Go) cannot place a package split across
    directories, and readers look for a package in one place.
    Bad: ``package acme.orders.v1;`` in ``acme/orders/v1/a.proto`` and in ``orders/b.proto``
    Good: ``package acme.orders.v1;`` only in files under ``acme/orders/v1/``
    Fix: move all files of the package into the one directory that matches the package.
    """
    by_package: dict[str, list[FileSummary]] = defaultdict(list)
    for file in files:
        by_package[file.package].append(file)
    for package, group in by_package.items():
        directories = sorted({f.directory for f in group})
        if len(directories) > 1:
            message = f'Multiple directories "{",".join(directories)}" contain files with package "{package}".'
            for file in group:
                yield Verdict(file.name, (FILE_PACKAGE,), message)


@rule("PACKAGE_NO_IMPORT_CYCLE", "module")
def package_no_import_cycle(ctx: Context, files: list[FileSummary]) -> Iterator[Verdict]:
    """Packages do not import each other in a cycle, even when no file imports itself through others.

    Why: protoc only rejects cycles between files, but languages that compile one package at a time (Go) cannot
    build packages that import each other, so the schema compiles and its generated code does not.
    Bad: a file of ``acme.a.v1`` imports ``acme/b/v1/b.proto``, and a file of ``acme.b.v1`` imports
    ``acme/a/v1/a.proto``
    Good: ``acme.a.v1`` and ``acme.b.v1`` both import ``acme/common/v1/common.proto`` and not each other
    Fix: move the types both packages need into a third package that imports neither.
    """
    package_of = {f.name: f.package for f in files}
    edges: dict[str, set[str]] = defaultdict(set)
    for file in files:
        for dependency in file.dependency:
            target = package_of.get(dependency)
            if target and file.package and target != file.package:
                edges[file.package].add(target)
    for file in files:
        for index, dependency in enumerate(file.dependency):
            source, target = file.package, package_of.get(dependency)
            if not source or not target or target == source:
                continue
            cycle = _path(edges, target, source)
            if cycle:
                chain = " -> ".join([source, *cycle])
                yield Verdict(file.name, (FILE_DEPENDENCY, index), f"Package import cycle: {chain}")


def _path(edges: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """A shortest package path from ``start`` to ``goal`` (both included), if any."""
    previous: dict[str, str | None] = {start: None}
    queue = [start]
    for node in queue:
        if node == goal:
            path = [node]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for nxt in sorted(edges.get(node, ())):
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return None
