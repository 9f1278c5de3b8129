"""protokit: a toolchain for Protocol Buffers contract repositories."""

__version__ = "0.1.0"
