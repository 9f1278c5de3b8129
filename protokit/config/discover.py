"""Finding the configuration that governs a path, and loading it."""

from __future__ import annotations

from pathlib import Path

from protokit.config.formats import (
    BUF_FILE,
    BUF_WORK_FILE,
    PROTOKIT_FILE,
    load_buf_work_yaml,
    load_buf_yaml,
    load_protokit_yaml,
)
from protokit.config.model import Config, Module

_LOADERS = ((PROTOKIT_FILE, load_protokit_yaml), (BUF_WORK_FILE, load_buf_work_yaml), (BUF_FILE, load_buf_yaml))


def find_config(start: Path) -> Path | None:
    """The nearest configuration file in ``start`` or its parents (protokit.yaml, buf.work.yaml, buf.yaml).

    The search stops at the top of a git repository, so a stray file above the
    repository never governs it.
    """
    for directory in (start, *start.parents):
        for name, _ in _LOADERS:
            candidate = directory / name
            if candidate.is_file():
                if name == BUF_FILE and _inside_buf_work(directory):
                    continue
                return candidate
        if (directory / ".git").exists():
            return None
    return None


def _inside_buf_work(directory: Path) -> bool:
    """Whether a buf.yaml's directory belongs to a buf.work.yaml higher up (the workspace wins)."""
    for parent in directory.parents:
        if (parent / BUF_WORK_FILE).is_file():
            return True
        if (parent / ".git").exists():
            return False
    return False


def load_config(path: Path | None, default_root: Path) -> Config:
    """Load the configuration file at ``path``, or the default (one module at ``default_root``)."""
    if path is None:
        return Config(directory=default_root, source=None, kind="default", modules=(Module(root=default_root),))
    loader = dict(_LOADERS)[path.name] if path.name in dict(_LOADERS) else load_protokit_yaml
    return loader(path.resolve())
