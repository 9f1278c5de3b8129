"""Breaking benchmark: ``protokit breaking`` against ``HEAD~1`` and over 20 release tags, against Buf, in one run.

On the synthetic tree of ``build_bench.py`` turned into a release history by ``history.py``
(20 tags, then one more commit; or ``--tree DIR`` holding such a history) it times

* the baseline: ``buf breaking --against '.git#ref=HEAD~1'`` when a ``buf`` binary is found
  (``--buf``, ``$PATH`` or ``node_modules/.bin``), else plain single-process protoc compiles of
  both sides (HEAD~1 extracted with ``git archive``);
* ``protokit breaking --against HEAD~1`` with an empty cache (cold) and again (both sides cached);
* ``protokit breaking --against-tags 'v*'`` with an empty cache of its own (cold) and again
  (every release cached);

prints the ratios against the targets (cold <= 0.5x Buf, cached <= 0.1x Buf, tags <= 2x the
single-baseline run in the same cache state: cold against cold, cached against cached), and
compares protokit's findings with Buf's (by path, position and rule), against HEAD~1 and, with
``--diff-tag TAG``, against an older release too.

Then it does the same against ``HEAD~1`` on a history of the findings tree of ``synthetic.py``
(``findings=True``, as many files): two commits, the tree and then ``history.py``'s edits to a few
files, compatible and breaking ones; targets cold <= 0.35x Buf, cached <= 0.05x Buf.

Run: ``python benchmarks/breaking_bench.py [--files N] [--tree DIR] [--buf PATH] [--baseline protoc]
[--diff-tag v1.0.0] [--keep]``. On a 24 GB machine ``buf breaking`` runs out of memory on the
5,000-file history: use ``--baseline protoc`` there, and Buf on a smaller history (``--files 1000``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from build_bench import cache_env, in_work_directory, proto_files, protoc_command
from history import make_history
from lint_bench import compare, find_buf, findings, protokit, ratio_row, table_head, timed
from synthetic import generate_tree

TARGETS = {"cold": 0.5, "cached": 0.1}
FINDINGS_TARGETS = {"cold": 0.35, "cached": 0.05}
TAGS_TARGET = 2.0
FINDINGS_EDITS = 8  # edits in the second commit of the findings-tree history


def baseline(tree: Path, work: Path, buf: str | None) -> tuple[str, float, str]:
    """The name, wall time and output of the comparison run."""
    if buf is not None:
        seconds, output = timed([buf, "breaking", "--against", ".git#ref=HEAD~1", "--error-format", "json"], tree)
        return "buf breaking", seconds, output
    old = work / "old"
    old.mkdir(exist_ok=True)
    archive = work / "old.tar"
    subprocess.run(["git", "archive", "-o", str(archive), "HEAD~1"], cwd=tree, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(old, filter="data")
    started = time.perf_counter()
    for side, name in ((tree, "new"), (old, "old")):
        command = protoc_command(side, proto_files(side), work / f"{name}.pb", work / f"{name}.txt")
        subprocess.run(command, cwd=side, check=True, capture_output=True)
    return "protoc, both sides (1 process)", time.perf_counter() - started, ""


def run(args: argparse.Namespace, work: Path) -> int:
    """Measure both histories; exit status 1 on a difference from Buf."""
    buf = None if args.baseline == "protoc" else find_buf(args.buf)
    same = releases(args, work, buf)
    return 0 if findings_history(args, work, buf) and same else 1


def findings_history(args: argparse.Namespace, work: Path, buf: str | None) -> bool:
    """Measure ``--against HEAD~1`` on a two-commit history of the findings tree; True when Buf agrees."""
    tree = work / "findings"
    print(f"generating a findings tree of {args.files} files and a commit of {FINDINGS_EDITS} edits ...",
          file=sys.stderr)  # fmt: skip
    generate_tree(tree, files=args.files, findings=True)
    make_history(tree, releases=1, edits=FINDINGS_EDITS)
    name, base, buf_output = baseline(tree, work, buf)
    env = cache_env(work / "findings-cache")
    single = ["breaking", "--against", "HEAD~1", "--error-format", "json"]
    cold, cold_output = timed(protokit(*single), tree, env)
    cached, cached_output = timed(protokit(*single), tree, env)
    print(f"\nfindings tree: {len(proto_files(tree))} files, one commit of {FINDINGS_EDITS} edits; baseline: {name}")
    print(table_head(name, base))
    for step, seconds in (("cold", cold), ("cached", cached)):
        print(ratio_row(f"--against HEAD~1, {step}", seconds, base, FINDINGS_TARGETS[step]))
    same = cached_output == cold_output
    print(f"cached output equal to the cold run's: {'yes' if same else 'NO'}")
    if buf is not None:
        same &= compare("findings tree, against HEAD~1", findings(buf_output, False), findings(cold_output, False))
    return same


def releases(args: argparse.Namespace, work: Path, buf: str | None) -> bool:
    """Measure, print the table and the differential of the release history; True when Buf agrees."""
    tree = Path(args.tree) if args.tree else work / "tree"
    if not (tree / ".git").exists():
        if not any(tree.rglob("*.proto")):
            print(f"generating {args.files} files into {tree} ...", file=sys.stderr)
            generate_tree(tree, files=args.files)
        print("committing a history of 20 releases ...", file=sys.stderr)
        make_history(tree)
    name, base, buf_output = baseline(tree, work, buf)
    env = cache_env(work / "cache")
    single = ["breaking", "--against", "HEAD~1", "--error-format", "json"]
    tags = ["breaking", "--against-tags", "v*", "--error-format", "json"]
    cold, cold_output = timed(protokit(*single), tree, env)
    cached, _ = timed(protokit(*single), tree, env)
    tags_env = cache_env(work / "tags-cache")  # an empty cache of its own: cold against cold
    tags_cold, tags_output = timed(protokit(*tags), tree, tags_env)
    tags_cached, _ = timed(protokit(*tags), tree, tags_env)
    print(f"protokit breaking benchmark: {len(proto_files(tree))} files, 20 releases; baseline: {name}")
    print(table_head(name, base))
    for step, seconds in (("cold", cold), ("cached", cached)):
        print(ratio_row(f"--against HEAD~1, {step}", seconds, base, TARGETS[step]))
    for step, seconds, single_seconds in (("cold", tags_cold, cold), ("cached", tags_cached, cached)):
        ratio = seconds / single_seconds
        verdict = "PASS" if ratio <= TAGS_TARGET else "FAIL"
        label = f"--against-tags 'v*', {step}"
        print(f"{label:<34}{seconds:>9.2f}{ratio:>8.2f}x{TAGS_TARGET:>8.2f}x  {verdict} (vs --against HEAD~1 {step})")
    reused = [f for f in findings(tags_output) if f[5].endswith("_REUSED")]
    print(f"--against-tags found {len(reused)} number reuse(s) that --against HEAD~1 cannot see")
    same = True
    if buf is not None:
        same = compare("against HEAD~1", findings(buf_output, False), findings(cold_output, False))
        if args.diff_tag:
            _, theirs = timed(
                [buf, "breaking", "--against", f".git#tag={args.diff_tag}", "--error-format", "json"], tree
            )
            _, ours = timed(protokit("breaking", "--against", args.diff_tag, "--error-format", "json"), tree, env)
            same &= compare(f"against {args.diff_tag}", findings(theirs, False), findings(ours, False))
    return same


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark in a temporary directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000, help="files of each generated tree (default 5000)")
    parser.add_argument("--tree", help="a synthetic tree (made into a history if it has no .git) to reuse")
    parser.add_argument("--buf", help="the buf binary to compare with")
    parser.add_argument("--diff-tag", default="", help="also compare findings with Buf against this older tag")
    parser.add_argument(
        "--baseline",
        choices=("buf", "protoc"),
        default="buf",
        help="buf breaking (when found), or protoc compiles of both sides (buf 1.75 needs > 24 GB at 5000 files)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return in_work_directory(run, parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
