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

Run: ``python benchmarks/breaking_bench.py [--files N] [--tree DIR] [--buf PATH] [--baseline protoc]
[--diff-tag v1.0.0] [--keep]``. On a 24 GB machine ``buf breaking`` runs out of memory on the
5,000-file history: use ``--baseline protoc`` there, and Buf on a smaller history (``--files 1000``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from build_bench import cache_env, in_work_directory, proto_files, protoc_command
from history import make_history
from lint_bench import find_buf
from synthetic import generate_tree

TARGETS = {"cold": 0.5, "cached": 0.1}
TAGS_TARGET = 2.0

Finding = tuple[str, int, int, int, int, str]


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall time and stdout of ``command``; exit codes 0 and 100 (findings) are success."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 100):
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return elapsed, result.stdout


def findings(output: str) -> set[Finding]:
    """Findings of a ``--error-format json`` run, by path, position and rule."""
    rows = [json.loads(line) for line in output.splitlines() if line.strip()]
    return {
        (r.get("path", ""), r["start_line"], r["start_column"], r["end_line"], r["end_column"], r["type"]) for r in rows
    }


def protokit(*args: str) -> list[str]:
    """``protokit ARGS`` with the script next to this Python, else ``-m protokit``."""
    script = Path(sys.executable).parent / "protokit"
    return [*([str(script)] if script.exists() else [sys.executable, "-m", "protokit"]), *args]


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


def compare(label: str, theirs: set[Finding], ours: set[Finding]) -> bool:
    """Print the differences between Buf's and protokit's findings; True when there are none."""
    only_buf, only_ours = theirs - ours, ours - theirs
    print(f"differential {label}: {len(theirs & ours)} findings in common, {len(only_buf)} only from buf, "
          f"{len(only_ours)} only from protokit")  # fmt: skip
    for finding in sorted(only_buf):
        print("  buf only:     ", finding)
    for finding in sorted(only_ours):
        print("  protokit only:", finding)
    return not (only_buf or only_ours)


def run(args: argparse.Namespace, work: Path) -> int:
    """Measure, print the table and the differential; exit status 1 on a difference from Buf."""
    tree = Path(args.tree) if args.tree else work / "tree"
    if not (tree / ".git").exists():
        if not any(tree.rglob("*.proto")):
            print(f"generating {args.files} files into {tree} ...", file=sys.stderr)
            generate_tree(tree, files=args.files)
        print("committing a history of 20 releases ...", file=sys.stderr)
        make_history(tree)
    buf = None if args.baseline == "protoc" else find_buf(args.buf)
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
    print(f"{'step':<34}{'seconds':>9}{'ratio':>9}{'target':>9}  result")
    print(f"{name:<34}{base:>9.2f}{1.0:>8.2f}x")
    for step, seconds in (("cold", cold), ("cached", cached)):
        ratio = seconds / base
        verdict = "PASS" if ratio <= TARGETS[step] else "FAIL"
        print(f"{'--against HEAD~1, ' + step:<34}{seconds:>9.2f}{ratio:>8.3f}x{TARGETS[step]:>8.2f}x  {verdict}")
    for step, seconds, single_seconds in (("cold", tags_cold, cold), ("cached", tags_cached, cached)):
        ratio = seconds / single_seconds
        verdict = "PASS" if ratio <= TAGS_TARGET else "FAIL"
        label = f"--against-tags 'v*', {step}"
        print(f"{label:<34}{seconds:>9.2f}{ratio:>8.2f}x{TAGS_TARGET:>8.2f}x  {verdict} (vs --against HEAD~1 {step})")
    reused = [f for f in findings(tags_output) if f[5].endswith("_REUSED")]
    print(f"--against-tags found {len(reused)} number reuse(s) that --against HEAD~1 cannot see")
    same = True
    if buf is not None:
        same = compare("against HEAD~1", findings(buf_output), findings(cold_output))
        if args.diff_tag:
            _, theirs = timed(
                [buf, "breaking", "--against", f".git#tag={args.diff_tag}", "--error-format", "json"], tree
            )
            _, ours = timed(protokit("breaking", "--against", args.diff_tag, "--error-format", "json"), tree, env)
            same &= compare(f"against {args.diff_tag}", findings(theirs), findings(ours))
    return 0 if same else 1


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark in a temporary directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000, help="files to generate (default 5000)")
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
