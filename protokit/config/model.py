"""The configuration model every loader produces: absolute paths, validated IDs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from protokit.diagnostics import Diagnostic


@dataclass(frozen=True)
class CheckConfig:
    """Rule selection shared by lint and breaking: use, except, ignore, ignore_only, disable_builtin.

    ``use`` None means the default rules of ``version`` (the catalog's rule table the
    configuration was written for: v1beta1, v1 or v2).  IDs are today's: deprecated
    ones were replaced when the configuration was read.
    """

    use: tuple[str, ...] | None = None
    except_: tuple[str, ...] = ()
    ignore: tuple[Path, ...] = ()
    ignore_only: dict[str, tuple[Path, ...]] = field(default_factory=dict)
    version: str = "v2"
    disable_builtin: bool = False


@dataclass(frozen=True)
class LintConfig(CheckConfig):
    """The ``lint`` section, with Buf's options and defaults."""

    enum_zero_value_suffix: str = "_UNSPECIFIED"
    service_suffix: str = "Service"
    rpc_allow_same_request_response: bool = False
    rpc_allow_google_protobuf_empty_requests: bool = False
    rpc_allow_google_protobuf_empty_responses: bool = False
    allow_comment_ignores: bool = True


@dataclass(frozen=True)
class BreakingConfig(CheckConfig):
    """The ``breaking`` section."""

    ignore_unstable_packages: bool = False


@dataclass(frozen=True)
class Policy:
    """A policy of buf.yaml v2 ``policies`` as applied to one module.

    ``name`` is the entry's ``policy`` value as written (Buf shows it with every finding);
    ``lint`` and ``breaking`` come from the policy file, with the entry's ``ignore`` and
    ``ignore_only`` resolved against the module root (Buf matches them to import paths).
    Comment ignores never silence a policy's findings.  ``lint_error`` / ``breaking_error`` is the
    located error that command fails with (``ignore_only`` naming a rule of the other kind, as Buf).
    """

    name: str
    lint: LintConfig
    breaking: BreakingConfig
    lint_error: str = ""  # Buf fails lint when ignore_only names a breaking rule (and the reverse)
    breaking_error: str = ""


@dataclass(frozen=True)
class Module:
    """One module: a root directory whose ``.proto`` files are compiled together.

    With ``includes`` only files below one of those directories belong to the module;
    ``excludes`` then leaves out directories below them.  Import names stay relative to
    ``root``.  ``policies`` are extra lint and breaking configurations run on the module.
    Modules with the same ``group`` are the roots of one Buf module: checked together.
    """

    root: Path
    excludes: tuple[Path, ...] = ()
    lint: LintConfig = field(default_factory=LintConfig)
    breaking: BreakingConfig = field(default_factory=BreakingConfig)
    includes: tuple[Path, ...] = ()
    policies: tuple[Policy, ...] = ()
    group: Path | None = None  # the buf.yaml directory when its v1beta1 build.roots make one module of several roots


@dataclass(frozen=True)
class Config:
    """A whole configuration: where it came from, its modules, deps and sections."""

    directory: Path
    source: Path | None
    kind: str
    modules: tuple[Module, ...]
    deps: tuple[str, ...] = ()
    gen: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()  # deprecated names and the like: the configuration still loads


def under(path: Path, roots: tuple[Path, ...]) -> bool:
    """Whether ``path`` is one of ``roots`` or lies below one of them (configured paths are absolute).

    Compared as text (it runs for every finding and every configured path; ``Path.parents`` is slow)."""
    text = str(path)
    return any(text == str(root) or text.startswith(str(root).rstrip(os.sep) + os.sep) for root in roots)
