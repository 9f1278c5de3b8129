"""Lint benchmark: ``protokit lint`` cold, warm and after touching one file, against ``buf lint`` in one run.

On the synthetic tree of ``build_bench.py`` (``synthetic.py``; or ``--tree DIR``) it times

* the baseline: ``buf lint`` on the tree (a ``buf.yaml`` v2 is written next to
  it for the run) when a ``buf`` binary is found (``--buf``, ``$PATH`` or
  ``node_modules/.bin``), else plain single-process protoc on every file;
* ``protokit lint`` with an empty cache (cold) and again with nothing changed (warm);
* after ``touch_one_file`` edits one file: ``protokit lint FILE``, as pre-commit runs it;

and prints the ratios against the targets (cold <= 0.5x, warm <= 0.05x, one file <= 0.1x).

Run: ``python benchmarks/lint_bench.py [--files N] [--tree DIR] [--buf PATH] [--keep]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from build_bench import cache_env, in_work_directory, proto_files, protoc_command, timed
from synthetic import generate_tree, touch_one_file

TARGETS = {"cold": 0.5, "warm": 0.05, "one file": 0.1}


def find_buf(explicit: str | None) -> str | None:
    """The buf binary to compare with, if any."""
    repo = Path(__file__).resolve().parent.parent
    for candidate in (explicit, shutil.which("buf"), str(repo / "node_modules/.bin/buf")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def protokit_lint(*paths: Path) -> list[str]:
    """``protokit lint PATHS`` with the script next to this Python, else ``-m protokit``."""
    script = Path(sys.executable).parent / "protokit"
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "protokit"]
    return [*launcher, "lint", *map(str, paths)]


def baseline(tree: Path, work: Path, buf: str | None) -> tuple[str, float]:
    """The name and wall time of the comparison run."""
    if buf is None:
        files = proto_files(tree)
        return "protoc (1 process)", timed(protoc_command(tree, files, work / "base.pb", work / "args.txt"), tree)
    config = tree / "buf.yaml"
    config.write_text("version: v2\n")
    try:
        return "buf lint", timed([buf, "lint"], tree)
    finally:
        config.unlink()


def run(args: argparse.Namespace, work: Path) -> int:
    """Measure and print the table; exit status 1 if a command fails."""
    tree = Path(args.tree) if args.tree else work / "tree"
    if not tree.exists() or not any(tree.rglob("*.proto")):
        print(f"generating {args.files} files into {tree} ...", file=sys.stderr)
        generate_tree(tree, files=args.files)
    name, base = baseline(tree, work, find_buf(args.buf))
    env = cache_env(work / "cache")
    cold = timed(protokit_lint(tree), tree, env)
    warm = timed(protokit_lint(tree), tree, env)
    touched = touch_one_file(tree)
    one = timed(protokit_lint(touched), tree, env)
    print(f"protokit lint benchmark: {len(proto_files(tree))} files; baseline: {name}")
    print(f"{'step':<22}{'seconds':>9}{'ratio':>9}{'target':>9}  result")
    print(f"{name:<22}{base:>9.2f}{1.0:>8.2f}x")
    for step, seconds in (("cold", cold), ("warm", warm), ("one file", one)):
        ratio = seconds / base
        verdict = "PASS" if ratio <= TARGETS[step] else "FAIL"
        print(f"{'protokit ' + step:<22}{seconds:>9.2f}{ratio:>8.3f}x{TARGETS[step]:>8.2f}x  {verdict}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark in a temporary directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000, help="files to generate (default 5000)")
    parser.add_argument("--tree", help="reuse (and edit one file of) this tree instead of generating one")
    parser.add_argument("--buf", help="the buf binary to compare with")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return in_work_directory(run, parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
