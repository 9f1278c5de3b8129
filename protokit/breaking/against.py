"""The old side of a comparison: a git ref read from the object database, a directory, or a descriptor set."""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from protokit.diagnostics import ProtokitError, display_path

DESCRIPTOR_SET_SUFFIXES = (".binpb", ".pb", ".bin", ".json")
# Files needed to rebuild a workspace at a ref: the protos and the configuration.
_WANTED = re.compile(r"(\.proto|(^|/)(protokit\.yaml|buf\.yaml|buf\.work\.yaml))$")
_SAFE_REF = re.compile(r"^[A-Za-z0-9._/~^@{}+-]+$")


@dataclass(frozen=True)
class Against:
    """What to compare with: ``kind`` is ``git``, ``dir`` or ``image``."""

    kind: str
    ref: str = ""
    path: Path = Path(".")
    subdir: str = ""


def parse_against(text: str) -> Against:
    """Read ``--against``: ``main``, ``v1.4.0``, ``HEAD~1``, ``.git#branch=main,subdir=proto``, a directory, a file."""
    if text.startswith(".git#") or text.startswith(".git,") or text == ".git":
        options = dict(part.split("=", 1) for part in text.partition("#")[2].split(",") if "=" in part)
        unknown = set(options) - {"branch", "tag", "ref", "subdir"}
        if unknown:
            raise ProtokitError(
                f'--against {text}: unknown option "{sorted(unknown)[0]}" (use branch, tag, ref or subdir)'
            )
        ref = options.get("ref") or options.get("tag") or options.get("branch") or "HEAD"
        return Against("git", _checked_ref(ref), subdir=options.get("subdir", "").strip("/"))
    path = Path(text)
    if path.is_dir():
        return Against("dir", path=path)
    if path.is_file():
        if not text.endswith(DESCRIPTOR_SET_SUFFIXES):
            raise ProtokitError(f"{text}: not a descriptor set (.binpb, .pb, .json) nor a directory")
        return Against("image", path=path)
    return Against("git", _checked_ref(text))


def _checked_ref(ref: str) -> str:
    """Refuse refs that could be read as options or ranges; they are never passed to git as given."""
    if not ref or ref.startswith("-") or ".." in ref or not _SAFE_REF.match(ref):
        raise ProtokitError(f'"{ref}" is not a git ref protokit accepts (no leading "-", no "..", no spaces)')
    return ref


class NothingToCompare(Exception):
    """The baseline is before the first commit (``HEAD~1`` on a repository with one commit)."""


_ANCESTOR = re.compile(r"^HEAD(?:~(\d+)|(\^+))$")


def merge_base(repo_dir: Path, branch: str) -> str:
    """The commit where HEAD and ``branch`` diverged, so a pull request is judged on its own edits."""
    import git

    repo = _open(repo_dir, branch)
    try:
        other = repo.commit(_checked_ref(branch))
    except (git.BadName, ValueError, git.BadObject):
        raise ProtokitError(_unknown_ref(repo, branch)) from None
    bases = repo.merge_base(repo.head.commit, other)
    if not bases:
        raise ProtokitError(f'HEAD and "{branch}" have no common ancestor')
    return str(bases[0].hexsha)


def _open(repo_dir: Path, ref: str) -> Any:
    import git

    try:
        return git.Repo(repo_dir, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ProtokitError(f"{display_path(repo_dir)}: not inside a git repository, so {ref} has no meaning") from None


def _commit(repo: Any, ref: str) -> Any:
    """The commit ``ref`` names; ``HEAD~N`` before the first commit is :class:`NothingToCompare`."""
    import git

    try:
        return repo.commit(ref)  # a shallow clone may name a parent whose objects it lacks
    except (git.BadName, ValueError, git.BadObject):
        ancestor = _ANCESTOR.match(ref)
        shallow = os.path.exists(os.path.join(repo.git_dir, "shallow"))
        if ancestor and repo.head.is_valid() and not shallow:
            depth = int(ancestor.group(1) or len(ancestor.group(2) or ""))
            if depth >= len(list(repo.iter_commits("HEAD", max_count=depth + 1))):
                raise NothingToCompare(ref) from None
        raise ProtokitError(_unknown_ref(repo, ref)) from None


@dataclass(frozen=True)
class Snapshot:
    """The protos and configuration files of one commit: ``(path, blob id)`` pairs, read from git's objects."""

    repo: Any
    ref: str
    blobs: tuple[tuple[str, str], ...]


def snapshot(repo_dir: Path, ref: str) -> Snapshot:
    """The wanted files of ``ref`` in the repository that holds ``repo_dir`` (tree listing only, no blob read)."""
    import git

    repo = _open(repo_dir, ref)
    commit = _commit(repo, ref)
    try:
        listing = repo.git.ls_tree("-r", "-z", "--full-tree", commit.hexsha)
    except git.GitCommandError:  # a shallow clone names a parent whose objects it lacks
        raise ProtokitError(_unknown_ref(repo, ref)) from None
    blobs = []
    for line in listing.split("\0"):
        if not line:
            continue
        meta, _, path = line.partition("\t")
        mode, kind, sha = meta.split()
        if kind == "blob" and _WANTED.search(path):
            blobs.append((path, sha))
    return Snapshot(repo, ref, tuple(blobs))


def release_tags(repo_dir: Path, pattern: str) -> list[tuple[str, str]]:
    """Tags matching the glob ``pattern`` as ``(name, commit)``, newest commit first."""
    repo = _open(repo_dir, pattern)
    found = []
    for tag in repo.tags:
        if fnmatch.fnmatchcase(tag.name, pattern):
            commit = tag.commit
            found.append((commit.committed_date, tag.name, commit.hexsha))
    if not found and repo.tags:
        names = [t.name for t in repo.tags]
        close = difflib.get_close_matches(pattern.replace("*", ""), names, n=3, cutoff=0.3)
        hint = f"; tags here include {', '.join(repr(c) for c in close or names[:3])}"
        raise ProtokitError(f'no tag matches "{pattern}"{hint}')
    return [(name, sha) for _, name, sha in sorted(found, reverse=True)]


def _unknown_ref(repo: object, ref: str) -> str:
    """Say that ``ref`` is unknown, with the closest branch and tag names and a hint for shallow clones."""
    names = [h.name for h in repo.heads] + [t.name for t in repo.tags]  # type: ignore[attr-defined]
    for remote in repo.remotes:  # type: ignore[attr-defined]
        names += [r.name for r in remote.refs]
    message = f'unknown git ref "{ref}"'
    close = difflib.get_close_matches(ref, names, n=3, cutoff=0.5)
    if close:
        message += f"; did you mean {', '.join(repr(c) for c in close)}?"
    if os.path.exists(os.path.join(repo.git_dir, "shallow")):  # type: ignore[attr-defined]
        message += (
            ". This is a shallow clone: fetch the history (actions/checkout with fetch-depth: 0) "
            f"or run: git fetch origin {ref}"
        )
    return message
