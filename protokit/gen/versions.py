"""The version of each distribution: given, from the latest release tag, or bumped from it by what changed."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from protokit.breaking.compare import compare
from protokit.breaking.sides import Baseline, Side, module_views, repository_root
from protokit.compile.cache import DescriptorCache
from protokit.diagnostics import ProtokitError
from protokit.gen.plan import Distribution
from protokit.index.elements import FileView
from protokit.workspace import Workspace

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:[-+][0-9A-Za-z.+-]+)?$")
DEFAULT_TAG = "v{version}"
FIRST_VERSION = "0.1.0"
_ADDABLE = ("message", "field", "oneof", "enum", "enum_value", "service", "method")


@dataclass
class NextVersion:
    """The version a distribution gets, the release it is compared with and why."""

    distribution: str
    version: str
    previous: str = ""  # the version of the last release tag, if any
    tag: str = ""
    bump: str = "set"  # set, tag, first, major, minor, patch or none
    reasons: list[str] = field(default_factory=list)

    @property
    def releases(self) -> bool:
        """Whether there is something to release (``auto`` found no change: nothing)."""
        return self.bump != "none"


def check_semver(version: str, where: str) -> str:
    """``version`` when it is a semantic version ``X.Y.Z`` (optionally with a pre-release or build suffix)."""
    if not SEMVER.match(version):
        raise ProtokitError(f'{where}: "{version}" is not a version like 1.2.3')
    return version


def tag_pattern(template: str, dist: Distribution) -> re.Pattern[str]:
    """The regex of the release tags of ``dist``: ``{version}``, ``{distribution}`` and ``{package}`` filled in."""
    if "{version}" not in template:
        raise ProtokitError(f'gen.tag: "{template}" has no {{version}} placeholder')
    package = dist.proto_packages[0]
    text = re.escape(template.replace("{distribution}", dist.name).replace("{package}", package))
    version = r"(?P<version>(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*))"
    return re.compile("^" + text.replace(re.escape("{version}"), version) + "$")


def _tags(directory: Path, fields: str = "%(refname:short)") -> list[str]:
    """One line per tag of the git repository at ``directory``, holding ``fields`` (a ``for-each-ref`` format)."""
    found = subprocess.run(
        ["git", "for-each-ref", f"--format={fields}", "refs/tags"], cwd=directory, capture_output=True, text=True
    )
    if found.returncode != 0:
        raise ProtokitError(f"cannot list git tags in {directory}: {found.stderr.strip()}")
    return found.stdout.splitlines()


def _mode(workspace: Workspace, explicit: str) -> str:
    """How versions are decided: ``explicit`` (``--version``), else ``gen.version``."""
    return explicit or str(workspace.config.gen.get("version", ""))


def release_state(workspace: Workspace, explicit: str = "") -> str:
    """What the versions depend on besides the files: nothing for a given version, else every tag with the
    object it names (``git-tag`` reads tag names, ``auto`` also the tagged files)."""
    if _mode(workspace, explicit) not in ("git-tag", "auto"):
        return ""
    return "\n".join(_tags(repository_root(workspace.config.directory), "%(refname) %(objectname)"))


def latest_release(tags: list[str], pattern: re.Pattern[str]) -> tuple[str, str] | None:
    """The ``(tag, version)`` with the highest version among the tags matching ``pattern``."""
    best: tuple[tuple[int, ...], str, str] | None = None
    for tag in tags:
        found = pattern.match(tag)
        if found:
            version = found.group("version")
            number = tuple(int(p) for p in version.split("."))
            if best is None or number > best[0]:
                best = (number, tag, version)
    return (best[1], best[2]) if best else None


def bump(version: str, level: str) -> str:
    """``version`` bumped by ``level``: major (minor below 1.0), minor or patch."""
    major, minor, patch = (int(p) for p in version.split("."))
    if level == "major":
        return f"{major + 1}.0.0" if major else f"0.{minor + 1}.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _elements(views: dict[str, FileView]) -> set[tuple[str, str]]:
    return {(kind, e.full_name) for v in views.values() for kind in _ADDABLE for e in v.walk(kind)}


def _same(old: Side, new: Side, name: str) -> bool:
    """Whether a file compiled to the same descriptor (comments included) though an import of it changed."""
    before = old.views.get(name)
    if before is None:
        return False
    return before.proto.SerializeToString(deterministic=True) == new.views[name].proto.SerializeToString(
        deterministic=True
    )


def _decide(dist: Distribution, old: Side, new: Side, workspace: Workspace, tag: str, previous: str) -> NextVersion:
    """Compare ``dist``'s packages at the release with now: breaking -> major, additions -> minor, else patch."""
    packages = set(dist.proto_packages)
    before = {n: v for n, v in old.views.items() if old.packages.get(n) in packages}
    after = {n: v for n, v in new.views.items() if n in dist.files}
    module = workspace.files[dist.files[0]].module
    disk = {n: workspace.files[n].path for n in after}
    unchanged = frozenset(n for n in after if old.keys.get(n) == new.keys.get(n) or _same(old, new, n))
    findings = compare(before, after, module.breaking, disk, None, unchanged)
    result = NextVersion(dist.name, previous, previous, tag)
    if findings:
        result.bump, result.reasons = "major", [f"{f} ({f.kind})" for f in findings]
    elif added := sorted(_elements(after) - _elements(before)) + [
        ("file", n) for n in sorted(set(after) - set(before))
    ]:
        result.bump, result.reasons = "minor", [f"added {kind.replace('_', ' ')} {name}" for kind, name in added]
    elif changed := sorted(n for n in after if n not in unchanged):
        result.bump, result.reasons = "patch", [f"{n} changed (nothing added, nothing breaking)" for n in changed]
    else:
        result.bump, result.reasons = "none", [f"nothing changed since {tag}"]
        return result
    result.version = bump(previous, result.bump)
    return result


def next_versions(
    workspace: Workspace, dists: list[Distribution], cache: DescriptorCache, explicit: str = ""
) -> list[NextVersion]:
    """Each distribution's version: ``explicit`` (``--version``), else as ``gen.version`` says.

    ``gen.version`` is a version (``1.2.3``), ``git-tag`` (the latest release tag's version) or
    ``auto`` (the latest release bumped by what changed since; nothing changed: nothing to release).
    Release tags follow ``gen.tag`` (default ``v{version}``; ``{distribution}`` and ``{package}``
    tell apart the releases of several packages).
    """
    settings = workspace.config.gen
    mode = _mode(workspace, explicit)
    if not mode:
        raise ProtokitError("no version: pass --version X.Y.Z, or set gen.version (X.Y.Z, git-tag or auto)")
    if mode not in ("git-tag", "auto"):
        where = "--version" if explicit else "gen.version"
        return [NextVersion(d.name, check_semver(mode, where)) for d in dists]
    template = str(settings.get("tag", DEFAULT_TAG))
    directory = workspace.config.directory
    tags = _tags(repository_root(directory))
    releases = {d.name: latest_release(tags, tag_pattern(template, d)) for d in dists}
    if mode == "git-tag":
        missing = [d.name for d in dists if releases[d.name] is None]
        if missing:
            example = template.replace("{version}", "1.0.0").replace("{distribution}", missing[0])
            raise ProtokitError(f"gen.version is git-tag but no tag like {example} names a release of {missing[0]}")
        return [NextVersion(n, r[1], r[1], r[0], "tag", [f"tag {r[0]}"]) for n, r in releases.items() if r]
    new = module_views(workspace, cache)
    found = []
    with Baseline(workspace, cache) as builder:
        for dist in dists:
            release = releases[dist.name]
            if release is None:
                reason = f"no release tag like {template} yet: first release"
                found.append(NextVersion(dist.name, FIRST_VERSION, bump="first", reasons=[reason]))
                continue
            tag, previous = release
            found.append(_decide(dist, builder.git(tag), new, workspace, tag, previous))
    return found
