"""Package versions (``a.v1``, ``a.v1beta1``, ``a.v1p1alpha1``, ``a.v1test``) parsed as Buf's protoversion parses them.

Lint (PACKAGE_VERSION_SUFFIX, STABLE_PACKAGE_NO_IMPORT_UNSTABLE) and breaking (``ignore_unstable_packages``) share it.
"""

from __future__ import annotations

import re

STABLE, ALPHA, BETA, TEST = "stable", "alpha", "beta", "test"
_GO_INT = re.compile(r"[+-]?[0-9]+\Z")


def _number(text: str, minimum: int) -> int | None:
    """``text`` as Go's ``strconv.ParseInt(text, 10, 32)`` reads it, if valid and at least ``minimum``."""
    if not _GO_INT.match(text):
        return None
    value = int(text)
    return value if minimum <= value < 2**31 else None


def version_stability(component: str) -> str | None:
    """The stability of a version component (``v1``, ``v1beta1``, ``v1p1alpha1``, ``v1test``, ``v1testfoo``).

    None when ``component`` is no correctly formed version: ``v0``, ``v1p1``, ``v1alpha0``, ``v1alphabeta``...
    """
    if "." in component or len(component) < 2 or component[0] != "v":
        return None
    version = component[1:]
    if TEST in version:
        major, _, _suffix = version.partition(TEST)
        return TEST if _number(major, 1) is not None else None
    alpha, beta = ALPHA in version, BETA in version
    if alpha and beta:
        return None
    if not alpha and not beta:
        return STABLE if _number(version, 1) is not None else None
    stability = ALPHA if alpha else BETA
    head, _, minor = version.partition(stability)
    if minor and _number(minor, 1) is None:
        return None
    if "p" in head:
        major, _, patch = head.partition("p")
        if _number(patch, 1) is None:
            return None
    else:
        major = head
    return stability if _number(major, 1) is not None else None


def package_stability(package: str) -> str | None:
    """The stability of a package's version: its last component, when it has at least two (``a.v1`` but not ``v1``)."""
    parts = package.split(".")
    return version_stability(parts[-1]) if package and len(parts) >= 2 else None
