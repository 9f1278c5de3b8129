"""Lint benchmark: ``protokit lint`` cold, warm and after one file changed, against ``buf lint`` in one run.

It measures, in turn,

* ``synthetic``: the clean synthetic tree of ``build_bench.py`` (``synthetic.py``, no lint findings; or
  ``--tree DIR``), with a ``buf.yaml`` v2 written next to it for Buf's run;
* ``findings``: the findings tree of ``synthetic.py`` (``findings=True``: about ten Buf STANDARD findings
  per file, ``buf:lint:ignore`` comments and an ``ignore_only`` baseline in its ``buf.yaml``);
* ``googleapis``: with ``--googleapis PATH``, a copy of that checkout (it needs its own ``buf.yaml``);

and for each tree it times

* the baseline: ``buf lint --error-format json`` when a ``buf`` binary is found (``--buf``, ``$PATH`` or
  ``node_modules/.bin``), else plain single-process protoc on every file;
* ``protokit lint --error-format json`` with an empty cache (cold) and again with nothing changed (warm);
* after one file changed (``touch_one_file`` appends a message to it): the whole tree again, and, as
  pre-commit runs it, that file alone (an extra row);

prints the ratios against the targets (cold <= 0.5x, warm <= 0.05x, one file changed <= 0.05x), checks
that protokit's findings equal Buf's (path, start and end line and column, rule, message; each row as often) and
that the warm run and the run after the edit (which adds no finding) print exactly what the cold run
printed. It exits with 1 when the findings or the outputs differ.

Each tree is measured ``--repeat`` times (default 3), the baseline and protokit's steps in turn, and each
time shown is the median: on a shared machine whose speed drifts by a third between minutes, runs taken in
turn see the same drifts on both sides.

Run: ``python benchmarks/lint_bench.py [--files N] [--tree DIR] [--googleapis PATH] [--buf PATH] [--repeat N]
[--keep]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from build_bench import cache_env, in_work_directory, proto_files, protoc_command
from synthetic import TOUCH_GLOB, describe_findings, generate_tree, touch_one_file

TARGETS = {"cold": 0.5, "warm": 0.05, "one file changed": 0.05, "the changed file only": 0.1}
SHOWN = 50  # differing findings printed per side

Finding = tuple[str, int, int, int, int, str, str]


def find_buf(explicit: str | None) -> str | None:
    """The buf binary to compare with, if any."""
    repo = Path(__file__).resolve().parent.parent
    for candidate in (explicit, shutil.which("buf"), str(repo / "node_modules/.bin/buf")):
        if candidate and Path(candidate).is_file():
            return str(Path(candidate).resolve())  # the runs have other working directories
    return None


def protokit(*args: str) -> list[str]:
    """``protokit ARGS`` with the script next to this Python, else ``-m protokit``."""
    script = Path(sys.executable).parent / "protokit"
    return [*([str(script)] if script.exists() else [sys.executable, "-m", "protokit"]), *args]


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall time and stdout of ``command``; exit codes 0 and 100 (findings) are success."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 100):
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return elapsed, result.stdout


def findings(output: str, messages: bool = True) -> Counter[Finding]:
    """Findings of a ``--error-format json`` run, by path, position, rule and (unless not ``messages``: breaking
    words its messages its own way) message, each as often as printed."""
    rows = [json.loads(line) for line in output.splitlines() if line.strip()]
    keys = ("start_line", "start_column", "end_line", "end_column", "type")
    return Counter((r.get("path", ""), *(r[k] for k in keys), r["message"] if messages else "") for r in rows)


def compare(label: str, theirs: Counter[Finding], ours: Counter[Finding]) -> bool:
    """Print the differences between Buf's and protokit's findings; True when there are none."""
    only_buf, only_ours = theirs - ours, ours - theirs
    verdict = "DIFFERENT" if only_buf or only_ours else "the same"
    print(f"differential {label}: {verdict}; {(theirs & ours).total()} findings in common, "
          f"{only_buf.total()} only from buf, {only_ours.total()} only from protokit")  # fmt: skip
    for side, rows in (("buf only:     ", only_buf), ("protokit only:", only_ours)):
        listed = sorted(rows.elements())
        for finding in listed[:SHOWN]:
            print(f"  {side}", finding)
        if len(listed) > SHOWN:
            print(f"  {side} ... and {len(listed) - SHOWN} more")
    return not (only_buf or only_ours)


def table_head(name: str, base: float) -> str:
    """The table's header and its first row: the baseline run ``name`` that took ``base`` seconds."""
    return f"{'step':<34}{'seconds':>9}{'ratio':>9}{'target':>9}  result\n{name:<34}{base:>9.2f}{1.0:>8.2f}x"


def ratio_row(step: str, seconds: float, base: float, target: float) -> str:
    """A table row: the step, its time, its ratio to ``base`` and whether that meets ``target``."""
    ratio = seconds / base
    return f"{step:<34}{seconds:>9.2f}{ratio:>8.3f}x{target:>8.2f}x  {'PASS' if ratio <= target else 'FAIL'}"


def baseline(tree: Path, work: Path, buf: str | None) -> tuple[str, float, str | None]:
    """The name, wall time and (Buf's) output of the comparison run."""
    if buf is None:
        files = proto_files(tree)
        command = protoc_command(tree, files, work / "base.pb", work / "args.txt")
        seconds, _ = timed(command, tree)
        return "protoc (1 process)", seconds, None
    config = tree / "buf.yaml"
    written = not config.exists()
    if written:
        config.write_text("version: v2\n")
    try:
        seconds, output = timed([buf, "lint", "--error-format", "json"], tree)
        return "buf lint", seconds, output
    finally:
        if written:
            config.unlink()


def measure(label: str, tree: Path, work: Path, buf: str | None, pattern: str = TOUCH_GLOB, repeat: int = 1) -> bool:
    """Time and check one tree (the file to change is one that ``pattern`` matches); True when the checks pass.

    With ``repeat`` above 1, the baseline and every protokit step are run that many times in turn (the
    baseline, then protokit cold with a new empty cache, warm, after an edit...), so that both sides see the
    same moments of a machine whose speed varies, and each time shown is the median of its runs."""
    lint = protokit("lint", "--error-format", "json")
    times: dict[str, list[float]] = {step: [] for step in ("baseline", *TARGETS)}
    same, cached = True, {"warm": True, "one file changed": True}
    for run in range(repeat):
        name, base, buf_output = baseline(tree, work, buf)
        env = cache_env(work / f"cache-{label}-{run}")
        cold, cold_output = timed(lint, tree, env)
        warm, warm_output = timed(lint, tree, env)
        touched = touch_one_file(tree, pattern)
        changed, changed_output = timed(lint, tree, env)
        single, _ = timed([*lint, touched.relative_to(tree).as_posix()], tree, env)
        for step, seconds in zip(times, (base, cold, warm, changed, single), strict=True):
            times[step].append(seconds)
        agree = buf_output is None or (run > 0 and findings(buf_output) == findings(cold_output))
        if not agree and same:  # shown once, or when a later run differs
            same = compare(f"{label}, protokit vs buf", findings(buf_output or ""), findings(cold_output))
        cached["warm"] &= warm_output == cold_output
        cached["one file changed"] &= changed_output == cold_output
    medians = {step: statistics.median(seconds) for step, seconds in times.items()}
    runs = f"; median of {repeat} runs, taken in turn" if repeat > 1 else ""
    print(f"\n{label}: {len(proto_files(tree))} files, {findings(cold_output).total()} protokit findings; "
          f"baseline: {name}{runs}")  # fmt: skip
    print(table_head(name, medians["baseline"]))
    for step in TARGETS:
        print(ratio_row(f"protokit {step}", medians[step], medians["baseline"], TARGETS[step]))
    if buf is None:
        print("findings not compared with Buf's: no buf binary found")
    print("output equal to the cold run's: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in cached.items()))
    return same and all(cached.values())


def run(args: argparse.Namespace, work: Path) -> int:
    """Generate the trees, measure each and print the tables; exit status 1 when a check fails."""
    buf = find_buf(args.buf)
    tree = Path(args.tree) if args.tree else work / "synthetic"
    if not tree.exists() or not any(tree.rglob("*.proto")):
        print(f"generating {args.files} files into {tree} ...", file=sys.stderr)
        generate_tree(tree, files=args.files)
    findings_tree = work / "findings"
    print(f"generating a findings tree of {args.files} files into {findings_tree} ...", file=sys.stderr)
    print(describe_findings(generate_tree(findings_tree, files=args.files, findings=True)), file=sys.stderr)
    ok = measure("synthetic", tree, work, buf, repeat=args.repeat)
    ok &= measure("findings", findings_tree, work, buf, repeat=args.repeat)
    if args.googleapis:
        copy = work / "googleapis"
        print(f"copying {args.googleapis} to {copy} ...", file=sys.stderr)
        shutil.copytree(args.googleapis, copy, ignore=shutil.ignore_patterns(".git"))
        ok &= measure("googleapis", copy, work, buf, "google/cloud/*/v1/*.proto", repeat=args.repeat)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark in a temporary directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000, help="files of each generated tree (default 5000)")
    parser.add_argument("--tree", help="reuse (and edit one file of) this clean tree instead of generating one")
    parser.add_argument("--googleapis", type=Path, help="also measure a copy of this googleapis checkout")
    parser.add_argument("--buf", help="the buf binary to compare with")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step, taken in turn (default 3)")
    args = parser.parse_args(argv)
    if args.googleapis and not (args.googleapis / "buf.yaml").is_file():
        parser.error(f"{args.googleapis} has no buf.yaml")
    return in_work_directory(run, args)


if __name__ == "__main__":
    sys.exit(main())
