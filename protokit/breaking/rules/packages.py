"""PACKAGE rules: nothing is deleted from a package, while moving elements between its files is fine."""

from __future__ import annotations

from collections.abc import Iterator

from protokit.breaking.context import Context
from protokit.breaking.rules.common import kept_parent
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
        walked = file.walk("field" if kind == "extension" else kind)
        for element in walked:
            if kind != "extension" or element.proto.extendee:
                names.setdefault(element.full_name, element)
    return found


def _deleted_from_package(
    ctx: Context, kind: str, old: dict[str, FileView], new: dict[str, FileView]
) -> Iterator[Finding]:
    """Elements gone from a package that still exists, located as Buf does.

    At the nearest enclosing message that the element's old file still has; at that file when
    no such message is left; at no file when the file itself is gone.
    """
    before, after = _by_package(old, kind, ctx.unchanged), _by_package(new, kind, ctx.unchanged)
    for package, elements in before.items():
        if package not in after:
            continue  # the whole package is gone: PACKAGE_NO_DELETE says so
        for name, element in elements.items():
            if name in after[package]:
                continue
            message = f'Previously present {kind} "{name}" was deleted from package "{package}".'
            file = new.get(element.file.name)
            parent = kept_parent(element, file) if file is not None else None
            yield at(parent, message) if parent else Finding(file, NO_SPAN, message)


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
        yield Finding(None, NO_SPAN, f'Previously present package "{package}" was deleted.')


@rule("PACKAGE_MESSAGE_NO_DELETE", "files")
def package_message_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Finding]:
    """No message is deleted from its package (moving it to another file of the package is fine).

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

    Why: code generated per package (Go) keeps compiling when an enum moves between the package's files, but not
    when it disappears. Buf 1.75 reports nothing for this rule, although its source and docs say it should;
    protokit follows the rule's definition.
    Bad: ``enum OrderStatus {...}`` removed from package ``acme.orders.v1``
    Good: ``enum OrderStatus {...}`` moved from ``order.proto`` to ``types.proto`` of ``acme.orders.v1``
    Fix: keep the enum and deprecate it, or publish the change in a new package version.
    """
    return _deleted_from_package(ctx, "enum", old, new)


@rule("PACKAGE_EXTENSION_NO_DELETE", "files")
def package_extension_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Finding]:
    """No extension is deleted from its package (moving it to another file of the package is fine).

    Why: code that sets or reads the extension stops compiling when it disappears from the package, and its data
    is kept only as unknown fields. Buf 1.75 reports nothing for this rule, although its source and docs say it
    should; protokit follows the rule's definition.
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
