"""PACKAGE rules: nothing is deleted from a package, while moving elements between its files is fine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from protokit.breaking.context import Context
from protokit.breaking.rules.common import kept_parent, walk
from protokit.checks.registry import Finding, at, rule
from protokit.index.elements import NO_SPAN, Element, FileView


def _by_package(files: dict[str, FileView], kind: str, skip: frozenset[str]) -> dict[str, dict[str, Element]]:
    """For each package, its elements of ``kind`` (extensions for ``extension``) by full name.

    Files in ``skip`` (the same on both sides) only mark their package as present: an element
    of theirs is on both sides, and nothing deleted elsewhere can have moved into them.
    """
    found: dict[str, dict[str, Element]] = {}
    for name, file in files.items():
        names = found.setdefault(file.package, {})
        if name in skip:
            continue
        walked = walk(file, "field" if kind == "extension" else kind)
        for element in walked:
            if kind != "extension" or element.proto.extendee:
                names.setdefault(element.full_name, element)
    return found


def _has_kind(files: dict[str, FileView], package: str, kind: str) -> bool:
    """Whether some file of ``package`` has an element of ``kind`` (extensions for ``extension``)."""
    for file in files.values():
        if file.package == package:
            walked = walk(file, "field" if kind == "extension" else kind)
            if any(kind != "extension" or e.proto.extendee for e in walked):
                return True
    return False


def _enclosing_in_package(element: Element, new: dict[str, FileView]) -> Element | None:
    """The nearest enclosing message of a deleted element that the element's package still has, in any file."""
    package = element.file.package
    messages = {m.full_name: m for f in new.values() if f.package == package for m in walk(f, "message")}
    node = element.parent
    while node is not None:
        if node.full_name in messages:
            return messages[node.full_name]
        node = node.parent
    return None


def _deleted_from_package(
    ctx: Context, kind: str, old: dict[str, FileView], new: dict[str, FileView]
) -> Iterator[Finding]:
    """Elements gone from a package that still exists, located as Buf does.

    Only a package that still has an element of ``kind`` (any service: a file) is looked into: Buf
    finds nothing deleted from a package whose last enum, say, is gone. A deleted message is located
    at its nearest enclosing message left in the package, whichever file that is now in; an enum or
    extension at its nearest enclosing message left in its old file; else at that file, or at no
    file when the file is gone.
    """
    before, after = _by_package(old, kind, ctx.unchanged), _by_package(new, kind, ctx.unchanged)
    for package, elements in before.items():
        if package not in after:
            continue  # the whole package is gone: PACKAGE_NO_DELETE says so
        deleted = [e for name, e in elements.items() if name not in after[package]]
        if not deleted or (kind != "service" and not after[package] and not _has_kind(new, package, kind)):
            continue
        for element in deleted:
            message = f'Previously present {kind} "{element.full_name}" was deleted from package "{package}".'
            file = new.get(element.file.name)
            parent = None
            if file is not None and kind == "message":
                parent = _enclosing_in_package(element, new)
            elif file is not None and kind != "service":
                parent = kept_parent(element, file)
            found = at(parent, message) if parent else Finding(file, NO_SPAN, message)
            yield replace(found, against=element.file.name)


@rule("PACKAGE_NO_DELETE", "files")
def package_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Finding]:
    """No package is deleted (every one of its files gone).

    Why: every file importing it stops compiling, and all code generated from it disappears for its clients.
    Bad: every file of ``acme.orders.v1`` deleted
    Good: ``acme.orders.v1`` kept next to its successor ``acme.orders.v2``, its contents deprecated
    Fix: keep the package and deprecate its contents; delete it only once no client uses it.
    """
    remaining = {f.package for f in new.values()}
    for package in sorted({f.package for f in old.values()} - remaining):
        first = min(name for name, file in old.items() if file.package == package)  # Buf's file for ignores
        yield Finding(None, NO_SPAN, f'Previously present package "{package}" was deleted.', against=first)


@rule("PACKAGE_MESSAGE_NO_DELETE", "files")
def package_message_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Finding]:
    """No message is deleted from its package (moving it to another file of the package is fine).
    As in Buf, nothing is reported when the package has no message left at all.

    Why: code generated per package (Go) keeps compiling when a message moves between the package's files, but
    not when it disappears.
    Bad: ``message Order {...}`` removed from package ``acme.orders.v1``
    Good: ``message Order {...}`` moved from ``order.proto`` to ``types.proto`` of ``acme.orders.v1``
    Fix: keep the message and deprecate it, or publish the change in a new package version.
    """
    return _deleted_from_package(ctx, "message", old, new)


@rule("PACKAGE_ENUM_NO_DELETE", "files")
def package_enum_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Finding]:
    """No enum is deleted from its package (moving it to another file of the package is fine).
    As in Buf, nothing is reported when the package has no enum left at all.

    Why: code generated per package (Go) keeps compiling when an enum moves between the package's files, but not
    when it disappears.
    Bad: ``enum OrderStatus {...}`` removed from package ``acme.orders.v1``
    Good: ``enum OrderStatus {...}`` moved from ``order.proto`` to ``types.proto`` of ``acme.orders.v1``
    Fix: keep the enum and deprecate it, or publish the change in a new package version.
    """
    return _deleted_from_package(ctx, "enum", old, new)


@rule("PACKAGE_EXTENSION_NO_DELETE", "files")
def package_extension_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Finding]:
    """No extension is deleted from its package (moving it to another file of the package is fine).
    As in Buf, nothing is reported when the package has no extension left at all.

    Why: code that sets or reads the extension stops compiling when it disappears from the package, and its data
    is kept only as unknown fields.
    Bad: ``extend google.protobuf.FieldOptions { bool sensitive = 50001; }`` removed from ``acme.options.v1``
    Good: the extension moved to another file of ``acme.options.v1``, or kept with ``[deprecated = true]``
    Fix: keep the extension and mark it ``[deprecated = true]``.
    """
    return _deleted_from_package(ctx, "extension", old, new)


@rule("PACKAGE_SERVICE_NO_DELETE", "files")
def package_service_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Finding]:
    """No service is deleted from its package (moving it between files of the package is fine).

    Why: deployed clients call endpoints that no longer exist, and generated clients and servers stop compiling.
    Bad: ``service OrderService {...}`` removed from package ``acme.orders.v1``
    Good: ``service OrderService {...}`` moved to another file of ``acme.orders.v1``, or kept and deprecated
    Fix: keep the service, deprecate it, and remove it in a new package version once no client calls it.
    """
    return _deleted_from_package(ctx, "service", old, new)
