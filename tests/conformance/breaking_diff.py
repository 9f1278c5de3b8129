"""Differential breaking: run ``buf breaking`` and ``protokit breaking`` on the same git histories, print differences.

Two kinds of cases, both under ``tests/data/breaking/``:

* ``rule_cases.yaml``: for every rule, an ``old`` tree, a ``breaking`` edit and a ``compatible``
  edit (trees as ``path: content`` maps). Each is checked with ``use: [RULE]``; rules Buf refuses
  in a v2 ``buf.yaml`` (``buf: false``) are skipped.
* ``buf_cases.yaml``: small cases of one behaviour each (``old``, ``new``, an optional ``config``
  buf.yaml, default ``use: [RULE]`` from the case name ``RULE/what``) with Buf 1.75's findings
  recorded as ``[path, line, column, end line, end column, rule]`` rows.
* ``scenarios/NAME/{old,new}/``: larger trees with their own ``buf.yaml``; ``buf.jsonl`` holds
  Buf's output (``--write`` refreshes it).

Each case becomes a real git repository: ``old`` committed on ``main``, the edit written to the
working tree, then both tools run ``breaking --against main`` (``.git#branch=main`` for Buf).
Findings are compared by (path, start and end position, rule); messages differ by design
(protokit names elements by full name).

Run: ``python tests/conformance/breaking_diff.py [--buf PATH] [--write] [NAME ...]``; exit 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).parent.parent / "data" / "breaking"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip

Finding = tuple[str, int, int, int, int, str]
Tree = dict[str, str]


@dataclass(frozen=True)
class Case:
    """One comparison: ``old`` committed, ``new`` in the working tree."""

    name: str
    old: Tree
    new: Tree
    expected: str  # "breaking": the rule must be reported; "compatible": nothing; "buf": Buf's recorded output
    buf: bool = True  # False: Buf refuses the rule ID in a v2 buf.yaml, so only protokit runs
    findings: frozenset[Finding] = frozenset()  # "recorded": Buf's findings, from buf_cases.yaml


def parse(output: str) -> set[Finding]:
    """Findings of a ``--error-format json`` run, without messages."""
    rows = [json.loads(line) for line in output.splitlines() if line.strip()]
    return {
        (r.get("path", ""), r["start_line"], r["start_column"], r["end_line"], r["end_column"], r["type"]) for r in rows
    }


def git(repo: Path, *args: str) -> None:
    """Run git in ``repo`` with a fixed identity."""
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def write(root: Path, tree: Tree) -> None:
    """Make ``root`` hold exactly ``tree`` (besides ``.git``)."""
    for path in list(root.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(root).parts:
            path.unlink()
    for name, content in tree.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def repository(case: Case, where: Path) -> Path:
    """A git repository with ``case.old`` committed on ``main`` and ``case.new`` in its working tree."""
    repo = where / case.name.replace("/", "_")
    repo.mkdir(parents=True)
    write(repo, case.old)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "old")
    write(repo, case.new)
    return repo


def rule_cases(only: set[str] | None = None) -> list[Case]:
    """Every rule's breaking and compatible edit from ``rule_cases.yaml``, each with ``use: [RULE]``."""
    cases = []
    for rule, spec in yaml.safe_load((DATA / "rule_cases.yaml").read_text()).items():
        if only and rule not in only:
            continue
        config = {"buf.yaml": f"version: v2\nbreaking:\n  use: [{rule}]\n"}
        old = {**config, **spec["old"]}
        for kind in ("breaking", "compatible"):
            if kind in spec:  # a rule whose option no source can set any more has no breaking edit
                cases.append(Case(f"{rule}/{kind}", old, {**config, **spec[kind]}, kind, spec.get("buf", True)))
    return cases


def buf_cases(only: set[str] | None = None) -> list[Case]:
    """The cases of ``buf_cases.yaml`` (named ``RULE/what``), each with Buf's recorded findings."""
    cases = []
    for name, spec in yaml.safe_load((DATA / "buf_cases.yaml").read_text()).items():
        rule = name.split("/")[0]
        if only and rule not in only and name not in only:
            continue
        config = {"buf.yaml": spec.get("config", f"version: v2\nbreaking:\n  use: [{rule}]\n")}
        findings = frozenset(tuple(row) for row in spec["findings"] or [])
        cases.append(Case(name, {**config, **spec["old"]}, {**config, **spec["new"]}, "recorded", True, findings))
    return cases


def _tree(root: Path) -> Tree:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def scenarios(only: set[str] | None = None) -> list[Case]:
    """The larger scenarios, each compared with Buf's recorded output."""
    found = []
    for directory in sorted((DATA / "scenarios").iterdir()):
        if not only or directory.name in only:
            found.append(Case(directory.name, _tree(directory / "old"), _tree(directory / "new"), "buf"))
    return found


def recorded(case: Case) -> set[Finding]:
    """Buf's findings for a scenario, as recorded in its ``buf.jsonl``."""
    return parse((DATA / "scenarios" / case.name / "buf.jsonl").read_text())


def run_buf(buf: str, repo: Path) -> tuple[str, set[Finding]]:
    """Buf's raw JSON output and findings against ``main``."""
    result = subprocess.run(
        [buf, "breaking", "--against", ".git#branch=main", "--error-format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    if result.returncode not in (0, 100):
        raise RuntimeError(f"buf breaking failed in {repo}: {result.stderr}")
    return result.stdout, parse(result.stdout)


def run_protokit(repo: Path, env: dict[str, str] | None = None) -> set[Finding]:
    """protokit's findings against ``main``."""
    result = subprocess.run(
        [sys.executable, "-m", "protokit", "breaking", "--against", "main", "--error-format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if result.returncode not in (0, 100):
        raise RuntimeError(f"protokit breaking failed in {repo}: {result.stderr}")
    return parse(result.stdout)


def main(argv: list[str] | None = None) -> int:
    """Compare every case (or those named) between Buf and protokit; print each difference."""
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="rule IDs or scenario names (default: all)")
    parser.add_argument("--buf", default=shutil.which("buf"), help="the buf binary (default: from PATH)")
    parser.add_argument("--write", action="store_true", help="record Buf's output of each scenario in buf.jsonl")
    args = parser.parse_args(argv)
    if not args.buf:
        parser.error("buf not found: npm install @bufbuild/buf, then pass --buf node_modules/.bin/buf")
    only = set(args.names) or None
    failed = False
    with tempfile.TemporaryDirectory(prefix="breaking-diff-") as scratch:
        for case in scenarios(only) + rule_cases(only) + buf_cases(only):
            if not case.buf:
                print(f"{case.name}: skipped, Buf does not know this rule ID in a v2 buf.yaml")
                continue
            repo = repository(case, Path(scratch))
            raw, theirs = run_buf(args.buf, repo)
            if args.write and case.expected == "buf":
                (DATA / "scenarios" / case.name / "buf.jsonl").write_text(raw)
            ours = run_protokit(repo)
            if case.expected == "recorded" and theirs != case.findings:
                print(f"{case.name}: Buf's findings differ from the recorded ones: {sorted(theirs)}")
                failed = True
            only_buf, only_ours = theirs - ours, ours - theirs
            print(f"{case.name}: {len(theirs & ours)} in common, {len(only_buf)} only buf, {len(only_ours)} only ours")
            for finding in sorted(only_buf):
                print("  buf only:     ", finding)
            for finding in sorted(only_ours):
                print("  protokit only:", finding)
            failed |= bool(only_buf or only_ours)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
