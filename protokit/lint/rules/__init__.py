"""Every lint rule, one small function each; importing this package registers them all."""

from protokit.lint.rules import comments, layout, naming, protovalidate, rpcs, structure  # noqa: F401
