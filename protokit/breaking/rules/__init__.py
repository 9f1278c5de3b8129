"""The breaking rules, one small function each, registered by catalog ID when this package is imported."""

from protokit.breaking.rules import deletions, fields, files, history, packages, rpcs, types

__all__ = ["deletions", "fields", "files", "history", "packages", "rpcs", "types"]
