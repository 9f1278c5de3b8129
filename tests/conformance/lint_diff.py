"""Differential lint: run ``buf lint`` and ``protokit lint`` on the same trees and print every difference.

Each tree is linted by both tools with ``--error-format json`` from inside the
tree; a tree without ``buf.yaml`` gets a temporary ``version: v2`` one for Buf
(protokit reads its own ``protokit.yaml`` when there is one, else the same
defaults).  Findings are compared as sets of (path, start and end position,
rule, message).

Run: ``python tests/conformance/lint_diff.py TREE [TREE ...] [--buf PATH]``; exit 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

Finding = tuple[str, int, int, int, int, str, str]


def parse(output: str) -> set[Finding]:
    """Findings of a ``--error-format json`` run."""
    rows = [json.loads(line) for line in output.splitlines() if line.strip()]
    return {
        (r["path"], r["start_line"], r["start_column"], r["end_line"], r["end_column"], r["type"], r["message"])
        for r in rows
    }


def buf_findings(buf: str, tree: Path) -> set[Finding]:
    """What ``buf lint`` reports on ``tree``."""
    config = tree / "buf.yaml"
    temporary = not config.exists()
    if temporary:
        config.write_text("version: v2\n")
    try:
        result = subprocess.run([buf, "lint", "--error-format", "json"], cwd=tree, capture_output=True, text=True)
    finally:
        if temporary:
            config.unlink()
    if result.returncode not in (0, 100):
        raise RuntimeError(f"buf lint failed on {tree}: {result.stderr}")
    return parse(result.stdout)


def protokit_findings(tree: Path) -> set[Finding]:
    """What ``protokit lint`` reports on ``tree``."""
    result = subprocess.run(
        [sys.executable, "-m", "protokit", "lint", "--error-format", "json"], cwd=tree, capture_output=True, text=True
    )
    if result.returncode not in (0, 100):
        raise RuntimeError(f"protokit lint failed on {tree}: {result.stderr}")
    return parse(result.stdout)


def differences(buf: str, tree: Path) -> tuple[set[Finding], set[Finding], int]:
    """(only Buf's, only protokit's, how many both report)."""
    theirs, ours = buf_findings(buf, tree), protokit_findings(tree)
    return theirs - ours, ours - theirs, len(theirs & ours)


def main(argv: list[str] | None = None) -> int:
    """Compare the trees given on the command line; print each difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--buf", default=shutil.which("buf"), help="the buf binary (default: from PATH)")
    args = parser.parse_args(argv)
    if not args.buf:
        parser.error("buf not found: npm install @bufbuild/buf, then pass --buf node_modules/.bin/buf")
    failed = False
    for tree in args.trees:
        only_buf, only_ours, same = differences(args.buf, tree.resolve())
        print(f"{tree}: {same} findings in common, {len(only_buf)} only from buf, {len(only_ours)} only from protokit")
        for finding in sorted(only_buf):
            print("  buf only:     ", finding)
        for finding in sorted(only_ours):
            print("  protokit only:", finding)
        failed = failed or bool(only_buf or only_ours)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
