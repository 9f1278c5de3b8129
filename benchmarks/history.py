"""A synthetic release history for breaking-change benchmarks and differential tests.

``make_history(tree)`` turns a synthetic tree (``synthetic.py``) into a git repository with
``releases`` tagged releases ``v1.0.0``, ``v1.1.0``, ... and one more untagged commit, so that
``HEAD~1`` is the newest release. Each commit applies a scripted, seeded series of edits of the
kinds a contracts repository sees: compatible ones (a new message, a new field) and breaking
ones (a deleted field or enum value, a renamed field, a changed field type) and, in later
releases, a field number deleted in an earlier release given to a new field (which only a
history-aware check can see). The same seed gives the same history.

Run as a script: ``python benchmarks/history.py TREE [--releases N] [--edits N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from synthetic import ROOT

BUF_CONFIG = "version: v2\n"
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}  # fmt: skip
_BLOCK = re.compile(r"^\s*(message|enum|oneof|service) (\w+) \{$")
_FIELD = re.compile(r"^(\s+)(repeated |optional )?([\w.]+) (\w+) = (\d+);$")
_VALUE = re.compile(r"^(\s+)([A-Z][A-Z0-9_]*) = (\d+);$")
_SWAPS = {"int32": "int64", "string": "bytes", "uint32": "uint64", "bool": "int32", "sint32": "sint64"}


@dataclass(frozen=True)
class Line:
    """A field or enum value line: where it is and the block (``kind``, name chain) that holds it."""

    index: int
    kind: str
    chain: tuple[str, ...]
    match: re.Match[str]


def _members(lines: list[str]) -> list[Line]:
    """Field lines directly inside messages and value lines directly inside enums."""
    stack: list[tuple[str, str]] = []
    found = []
    for i, text in enumerate(lines):
        block = _BLOCK.match(text)
        if block:
            stack.append((block.group(1), block.group(2)))
        elif text.strip() == "}" and stack:
            stack.pop()
        elif stack and stack[-1][0] == "message" and (field := _FIELD.match(text)):
            found.append(Line(i, "field", tuple(name for _, name in stack), field))
        elif stack and stack[-1][0] == "enum" and (value := _VALUE.match(text)):
            found.append(Line(i, "value", tuple(name for _, name in stack), value))
    return found


def _drop(lines: list[str], index: int) -> None:
    """Delete line ``index`` and the comment lines right above it."""
    start = index
    while start > 0 and lines[start - 1].strip().startswith("//"):
        start -= 1
    del lines[start : index + 1]


class Editor:
    """Seeded edits to the files of a tree; remembers deleted field numbers for later reuse."""

    def __init__(self, tree: Path, seed: int) -> None:
        self.tree = tree
        self.rng = random.Random(seed)
        self.files = sorted(p for p in tree.glob(f"{ROOT}/*/*/v1/*.proto"))
        self.deleted: list[tuple[Path, tuple[str, ...], int]] = []
        self.count = 0

    def edit(self, reuse: bool) -> str:
        """Apply one edit to a random file and describe it."""
        self.count += 1
        if reuse and self.deleted:
            return self.reuse_number()
        kind = self.rng.choice(["add_message", "add_field", "delete_field", "retype", "rename", "delete_value"])
        path = self.rng.choice(self.files)
        lines = path.read_text().split("\n")
        members = _members(lines)
        fields = [m for m in members if m.kind == "field"]
        values = [m for m in members if m.kind == "value" and m.match.group(3) != "0"]
        description = f"{kind} in {path.relative_to(self.tree)}"
        if kind == "add_message" or (kind in ("delete_value",) and not values) or not fields:
            lines += ["// Added by the history benchmark.", f"message HistoryEdit{self.count} {{"]
            lines += ["  string note = 1;", "}", ""]
            description = f"add_message in {path.relative_to(self.tree)}"
        elif kind == "add_field":
            target = self.rng.choice(fields)
            highest = max(int(f.match.group(5)) for f in fields if f.chain == target.chain)
            indent = target.match.group(1)
            lines.insert(target.index + 1, f"{indent}string history_note_{self.count} = {highest + 100};")
        elif kind == "delete_field":
            target = self.rng.choice(fields)
            self.deleted.append((path, target.chain, int(target.match.group(5))))
            _drop(lines, target.index)
        elif kind == "retype":
            swappable = [f for f in fields if f.match.group(3) in _SWAPS] or fields
            target = self.rng.choice(swappable)
            indent, label, old, name, number = target.match.groups()
            new = _SWAPS.get(old, "string")
            lines[target.index] = f"{indent}{label or ''}{new} {name} = {number};"
        elif kind == "rename":
            target = self.rng.choice(fields)
            indent, label, kind_, name, number = target.match.groups()
            lines[target.index] = f"{indent}{label or ''}{kind_} {name}_renamed{self.count} = {number};"
        else:
            _drop(lines, self.rng.choice(values).index)
        path.write_text("\n".join(lines))
        return description

    def reuse_number(self) -> str:
        """Give a number deleted in an earlier release (the oldest such that is still free) to a new field."""
        for deletion in list(self.deleted):
            path, chain, number = deletion
            lines = path.read_text().split("\n")
            fields = [m for m in _members(lines) if m.kind == "field" and m.chain == chain]
            if not fields or any(int(m.match.group(5)) == number for m in fields):
                continue
            self.deleted.remove(deletion)
            lines.insert(fields[0].index, f"{fields[0].match.group(1)}string reused_{self.count} = {number};")
            path.write_text("\n".join(lines))
            return f"reuse of {number} in {path.relative_to(self.tree)}"
        return self.edit(reuse=False)


def git(tree: Path, *args: str) -> str:
    """Run git in ``tree`` with a fixed identity and dates (so the history is reproducible)."""
    env = {**os.environ, **GIT_ENV}
    result = subprocess.run(["git", *args], cwd=tree, env=env, capture_output=True, text=True, check=True)
    return result.stdout


def _commit(tree: Path, message: str, when: int) -> None:
    stamp = f"{1_700_000_000 + when * 3600} +0000"
    git(tree, "add", "-A")
    subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=tree,
        env={**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
        check=True,
        capture_output=True,
    )


def make_history(tree: Path, releases: int = 20, edits: int = 6, seed: int = 1) -> list[str]:
    """Commit ``tree`` as release v1.0.0, then ``releases - 1`` more releases and one untagged commit.

    Returns the tag names, oldest first. A ``buf.yaml`` is added (unless the tree has one, as a findings tree
    does) so that Buf reads the same module.
    """
    if not (tree / "buf.yaml").exists():
        (tree / "buf.yaml").write_text(BUF_CONFIG)
    git(tree, "init", "-q", "-b", "main")
    editor = Editor(tree, seed)
    tags = []
    for release in range(releases + 1):
        if release:
            for edit in range(edits):
                # Now and then, and in the commit after the last release, a number freed earlier is reused.
                editor.edit(reuse=edit == 0 and (release % 4 == 0 or release == releases))
        _commit(tree, f"release {release}" if release < releases else "after the last release", release)
        if release < releases:
            tag = f"v1.{release}.0"
            git(tree, "tag", tag)
            tags.append(tag)
    return tags


def main(argv: list[str] | None = None) -> int:
    """Turn an existing synthetic tree into a history."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--releases", type=int, default=20)
    parser.add_argument("--edits", type=int, default=6, help="edits per release (default 6)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    tags = make_history(args.tree, args.releases, args.edits, args.seed)
    print(f"{args.tree}: {len(tags)} releases ({tags[0]} .. {tags[-1]}) and one commit after them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
