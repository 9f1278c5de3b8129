"""Release history: what every released version called each field and enum value number.

Each release is a set of compiled files (descriptor cache keys). A file's numbers are
summarized once per key and cached, so releases that share most files cost little:
only files that changed between releases are ever read again. Only the packages that
changed since the newest release are looked at: a number can only come back there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from protokit.breaking.rules.common import type_name
from protokit.compile.cache import DescriptorCache, Entry
from protokit.index.elements import FileView

FieldKey = tuple[str, int]  # (message or enum full name, number)


@dataclass
class History:
    """Every (name, type) each message field number had, and every name each enum value number had, by release."""

    releases: list[str] = field(default_factory=list)
    fields: dict[FieldKey, dict[tuple[str, str], str]] = field(default_factory=dict)
    values: dict[FieldKey, dict[str, str]] = field(default_factory=dict)
    latest_fields: set[FieldKey] = field(default_factory=set)  # numbers the newest release uses
    latest_values: set[FieldKey] = field(default_factory=set)


def summarize(view: FileView) -> dict[str, list[list[Any]]]:
    """A file's message field numbers (message, number, name, type) and enum value numbers (enum, number, name)."""
    fields = [[f.scope, f.proto.number, f.name, type_name(f)] for f in view.walk("field") if not f.proto.extendee]
    values = [[v.parent.full_name, v.proto.number, v.name] for v in view.walk("enum_value") if v.parent is not None]
    return {"fields": fields, "values": values}


def _summary(key: str, cache: DescriptorCache, store: DescriptorCache) -> dict[str, list[list[Any]]]:
    entry = store.get(key)
    if entry is not None:
        return dict(json.loads(entry.descriptor))
    from google.protobuf import descriptor_pb2

    compiled = cache.get(key)
    if compiled is None:
        return {"fields": [], "values": []}
    summary = summarize(FileView.build(descriptor_pb2.FileDescriptorProto.FromString(compiled.descriptor), key))
    store.put(key, Entry(json.dumps(summary, separators=(",", ":")).encode()))
    return summary


def collect(
    releases: list[tuple[str, dict[str, str], dict[str, str]]], cache: DescriptorCache, packages: set[str]
) -> History:
    """The history of ``releases`` (tag, descriptor keys and packages by file; newest first) in ``packages``."""
    store = DescriptorCache(cache.root, "history")
    history = History([tag for tag, _, _ in releases])
    newest: dict[str, str] = {}  # each file key of the wanted packages, with the newest release that has it
    for tag, keys, of_package in releases:
        for file_name, key in keys.items():
            if of_package.get(file_name) in packages:
                newest.setdefault(key, tag)
    latest = set(releases[0][1].values()) if releases else set()
    for key, tag in newest.items():
        summary = _summary(key, cache, store)
        for message, number, name, kind in summary["fields"]:
            where = (str(message), int(number))
            history.fields.setdefault(where, {}).setdefault((str(name), str(kind)), tag)
            if key in latest:
                history.latest_fields.add(where)
        for enum, number, name in summary["values"]:
            where = (str(enum), int(number))
            history.values.setdefault(where, {}).setdefault(str(name), tag)
            if key in latest:
                history.latest_values.add(where)
    return history
