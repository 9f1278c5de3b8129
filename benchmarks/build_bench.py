"""Build benchmark: ``protokit build`` with a cold and a warm cache against one plain protoc run.

Generates the synthetic tree (``synthetic.py``; or reuses ``--tree DIR``), then times

* the baseline: protoc from grpcio-tools in a single process on every file of
  the tree, writing a descriptor set with imports and source info;
* ``protokit build`` with an empty cache (a fresh ``XDG_CACHE_HOME``): cold;
* the same command again with the same cache and nothing changed: warm;

and prints the times, the ratios to the baseline and the targets (cold at most
0.7x, warm at most 0.1x), and checks that protokit's output holds the same
files as protoc's.  It exits with 1 when a command fails or the outputs differ.

Run: ``python benchmarks/build_bench.py [--files N] [--tree DIR] [--repeat N] [--keep] [--json]``.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.metadata
import importlib.resources
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2
from synthetic import ELEMENT_KINDS, describe, generate_tree

COLD_TARGET = 0.7
WARM_TARGET = 0.1


class CommandFailed(Exception):
    """A benchmarked command exited with an error."""

    def __init__(self, command: list[str], result: subprocess.CompletedProcess[bytes]) -> None:
        super().__init__(f"command failed with exit code {result.returncode}: {' '.join(command)}")
        self.stderr = result.stderr.decode(errors="replace")


@dataclass
class Timing:
    """The wall times of one benchmarked step over the repetitions."""

    name: str
    seconds: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        """The fastest run."""
        return min(self.seconds)

    @property
    def median(self) -> float:
        """The median run (what the ratios use)."""
        return statistics.median(self.seconds)


@dataclass
class OutputCheck:
    """How protokit's descriptor set compares with protoc's."""

    protoc_files: int
    protokit_files: int
    missing: list[str]  # in protoc's output only
    extra: list[str]  # in protokit's output only
    identical: int  # files whose descriptors are byte-for-byte the same

    @property
    def same_files(self) -> bool:
        """Whether both outputs hold the same set of file names."""
        return not self.missing and not self.extra


# ---------------------------------------------------------------------------
# Commands


def grpc_tools_include() -> Path:
    """The directory of the ``google/protobuf/*.proto`` files that grpcio-tools ships."""
    return Path(str(importlib.resources.files("grpc_tools") / "_proto"))


def proto_files(tree: Path) -> list[str]:
    """Every ``.proto`` file under ``tree``, relative to it, sorted."""
    return sorted(path.relative_to(tree).as_posix() for path in tree.rglob("*.proto"))


def protoc_command(tree: Path, files: list[str], output: Path, args_file: Path) -> list[str]:
    """The baseline protoc command; its arguments go in a response file (``@args_file``), one per line."""
    arguments = [
        f"-I{tree}",
        f"-I{grpc_tools_include()}",
        f"--descriptor_set_out={output}",
        "--include_imports",
        "--include_source_info",
        *files,
    ]
    args_file.write_text("\n".join(arguments) + "\n")
    return [sys.executable, "-m", "grpc_tools.protoc", f"@{args_file}"]


def protokit_command(tree: Path, output: Path) -> list[str]:
    """``protokit build TREE -o OUTPUT``, with the ``protokit`` script next to this Python, else ``-m protokit``."""
    script = Path(sys.executable).parent / "protokit"
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "protokit"]
    return [*launcher, "build", str(tree), "-o", str(output)]


def cache_env(cache_home: Path) -> dict[str, str]:
    """The environment for protokit with its cache under ``cache_home``, and its modules' bytecode used as an
    installed protokit uses it (see :func:`compile_protokit`)."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    env.pop("PROTOKIT_CACHE_DIR", None)  # it would take precedence over XDG_CACHE_HOME
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_protokit() -> None:
    """Compile protokit's modules to bytecode, as ``pip install`` does when it installs a package: from an
    editable install under ``PYTHONDONTWRITEBYTECODE`` every timed run would compile them again (about 0.1 s).
    The bytecode goes where Python looks for it (``__pycache__`` beside the modules, which git ignores)."""
    spec = importlib.util.find_spec("protokit")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            compileall.compile_dir(location, quiet=1)


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Run ``command`` and return its wall time in seconds; raise ``CommandFailed`` if it fails."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise CommandFailed(command, result)
    return elapsed


# ---------------------------------------------------------------------------
# Measuring


@dataclass
class Bench:
    """The benchmark's working directory and the commands it times."""

    tree: Path
    work: Path
    files: list[str]

    @property
    def baseline_output(self) -> Path:
        """Where protoc writes its descriptor set."""
        return self.work / "baseline.pb"

    @property
    def protokit_output(self) -> Path:
        """Where protokit writes its descriptor set."""
        return self.work / "out.binpb"

    def baseline(self) -> float:
        """One protoc run."""
        command = protoc_command(self.tree, self.files, self.baseline_output, self.work / "args.txt")
        return timed(command, cwd=self.work)

    def cold_and_warm(self, run: int) -> tuple[float, float]:
        """One protokit build with a fresh, empty cache, then one more with the same cache."""
        cache_home = self.work / f"cache-{run}"
        cache_home.mkdir()
        env = cache_env(cache_home)
        command = protokit_command(self.tree, self.protokit_output)
        cold = timed(command, cwd=self.work, env=env)
        warm = timed(command, cwd=self.work, env=env)
        shutil.rmtree(cache_home)
        return cold, warm

    def measure(self, repeat: int, log: bool) -> tuple[Timing, Timing, Timing]:
        """Time the baseline ``repeat`` times, then cold and warm builds ``repeat`` times."""
        baseline, cold, warm = Timing("protoc (1 process)"), Timing("protokit cold"), Timing("protokit warm")
        for run in range(repeat):
            baseline.seconds.append(self.baseline())
            progress(log, f"protoc run {run + 1}/{repeat}: {baseline.seconds[-1]:.2f} s")
        for run in range(repeat):
            cold_seconds, warm_seconds = self.cold_and_warm(run)
            cold.seconds.append(cold_seconds)
            warm.seconds.append(warm_seconds)
            progress(log, f"protokit run {run + 1}/{repeat}: cold {cold_seconds:.2f} s, warm {warm_seconds:.2f} s")
        return baseline, cold, warm


def progress(log: bool, message: str) -> None:
    """Report progress on stderr (so that stdout stays the report)."""
    if log:
        print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Checking the outputs


def read_descriptor_set(path: Path) -> descriptor_pb2.FileDescriptorSet:
    """Parse a binary ``FileDescriptorSet``."""
    descriptor_set = descriptor_pb2.FileDescriptorSet()
    descriptor_set.ParseFromString(path.read_bytes())
    return descriptor_set


def compare_outputs(protoc_output: Path, protokit_output: Path) -> OutputCheck:
    """Compare the files (names, then serialized descriptors) of the two descriptor sets."""
    expected = {f.name: f.SerializeToString(deterministic=True) for f in read_descriptor_set(protoc_output).file}
    actual = {f.name: f.SerializeToString(deterministic=True) for f in read_descriptor_set(protokit_output).file}
    return OutputCheck(
        protoc_files=len(expected),
        protokit_files=len(actual),
        missing=sorted(expected.keys() - actual.keys()),
        extra=sorted(actual.keys() - expected.keys()),
        identical=sum(1 for name, data in expected.items() if actual.get(name) == data),
    )


def count_message(message: descriptor_pb2.DescriptorProto, kinds: Counter[str]) -> None:
    """Add a message's elements (nested ones and map entries included) to ``kinds``."""
    kinds["messages"] += 1
    kinds["fields"] += len(message.field)
    kinds["oneofs"] += len(message.oneof_decl)
    for enum in message.enum_type:
        kinds["enums"] += 1
        kinds["enum_values"] += len(enum.value)
    for nested in message.nested_type:
        count_message(nested, kinds)


def count_elements(descriptor_set: descriptor_pb2.FileDescriptorSet, names: set[str]) -> Counter[str]:
    """The descriptor elements of the files ``names`` of ``descriptor_set``, by kind (as ``synthetic`` counts)."""
    kinds: Counter[str] = Counter({kind: 0 for kind in ELEMENT_KINDS})
    for file in descriptor_set.file:
        if file.name not in names:
            continue
        for message in file.message_type:
            count_message(message, kinds)
        for enum in file.enum_type:
            kinds["enums"] += 1
            kinds["enum_values"] += len(enum.value)
        kinds["services"] += len(file.service)
        kinds["methods"] += sum(len(service.method) for service in file.service)
    return kinds


# ---------------------------------------------------------------------------
# Reporting


def cpu_cores() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def timing_json(timing: Timing, baseline: Timing, target: float | None) -> dict[str, Any]:
    """One step's times, ratio to the baseline (medians) and target, for ``--json``."""
    ratio = timing.median / baseline.median
    result: dict[str, Any] = {"runs": timing.seconds, "best": timing.best, "median": timing.median, "ratio": ratio}
    if target is not None:
        result.update(target=target, passed=ratio <= target)
    return result


def timings_json(timings: tuple[Timing, Timing, Timing], targets: tuple[float, float]) -> dict[str, Any]:
    """The baseline, cold and warm steps for ``--json``, each against the baseline and its target."""
    baseline, cold, warm = timings
    return {
        "baseline": timing_json(baseline, baseline, None),
        "cold": timing_json(cold, baseline, targets[0]),
        "warm": timing_json(warm, baseline, targets[1]),
    }


def table(timings: tuple[Timing, Timing, Timing], targets: tuple[float, float]) -> list[str]:
    """The table of times, ratios (of medians) to the baseline and the cold and warm targets."""
    baseline, cold, warm = timings
    lines = [f"{'step':<20} {'best s':>8} {'median s':>9} {'vs protoc':>10} {'target':>8}  result"]
    for timing, target in ((baseline, None), (cold, targets[0]), (warm, targets[1])):
        ratio = timing.median / baseline.median
        verdict = "" if target is None else ("PASS" if ratio <= target else "FAIL")
        target_text = "" if target is None else f"<={target:.2f}x"
        row = f"{timing.name:<20} {timing.best:>8.2f} {timing.median:>9.2f} {ratio:>9.2f}x {target_text:>8}  {verdict}"
        lines.append(row.rstrip())
    return lines


def check_text(check: OutputCheck) -> str:
    """One line about the output comparison."""
    if check.same_files:
        return (
            f"output check: protokit and protoc wrote the same {check.protoc_files:,} files "
            f"({check.identical:,} with byte-identical descriptors)"
        )
    return (
        f"output check: FAILED: {len(check.missing)} files only in protoc's output (e.g. {check.missing[:3]}), "
        f"{len(check.extra)} only in protokit's (e.g. {check.extra[:3]})"
    )


def report(summary: dict[str, Any], timings: tuple[Timing, Timing, Timing], check: OutputCheck) -> str:
    """The human-readable report."""
    repeat = summary["repeat"]
    header = (
        f"protokit build benchmark: {summary['files']:,} .proto files, {summary['elements']:,} elements, "
        f"{summary['bytes'] / 1e6:.1f} MB; {summary['cpu_cores']} CPU cores; grpcio-tools {summary['grpcio_tools']}; "
        f"{repeat} run{'s' if repeat > 1 else ''} per step, ratios of medians"
    )
    return "\n".join([header, "", *table(timings, (COLD_TARGET, WARM_TARGET)), "", check_text(check)])


# ---------------------------------------------------------------------------
# Main


def prepare_tree(args: argparse.Namespace, work: Path, log: bool) -> Path:
    """The tree to build: ``--tree`` if it holds one, else a new one (in ``--tree`` or under ``work``)."""
    tree = args.tree or work / "tree"
    if tree.is_dir() and any(tree.rglob("*.proto")):
        progress(log, f"reusing the tree in {tree}")
        return tree.resolve()
    started = time.perf_counter()
    stats = generate_tree(tree, args.files, args.seed)
    progress(log, f"generated {describe(stats)} in {time.perf_counter() - started:.1f} s")
    return tree.resolve()


def run(args: argparse.Namespace, work: Path) -> int:
    """Prepare the tree, measure, check and report; the exit code."""
    log = not args.quiet
    tree = prepare_tree(args, work, log)
    bench = Bench(tree, work, proto_files(tree))
    try:
        timings = bench.measure(args.repeat, log)
    except CommandFailed as error:
        print(f"error: {error}\n{error.stderr}", file=sys.stderr)
        return 1
    check = compare_outputs(bench.baseline_output, bench.protokit_output)
    kinds = count_elements(read_descriptor_set(bench.baseline_output), set(bench.files))
    summary: dict[str, Any] = {
        "files": len(bench.files),
        "elements": sum(kinds.values()),
        "element_kinds": dict(kinds),
        "bytes": sum((tree / name).stat().st_size for name in bench.files),
        "cpu_cores": cpu_cores(),
        "grpcio_tools": importlib.metadata.version("grpcio-tools"),
        "repeat": args.repeat,
    }
    print(report(summary, timings, check))
    if args.json:
        summary.update(
            timings_json(timings, (COLD_TARGET, WARM_TARGET)),
            output_check={**asdict(check), "same_files": check.same_files},
        )
        print(json.dumps(summary, indent=2))
    return 0 if check.same_files else 1


def parse_args(
    argv: list[str] | None, description: str = "Time protokit build (cold and warm cache) against plain protoc."
) -> argparse.Namespace:
    """The command line (shared with ``gen_bench.py``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--files", type=int, default=5000, help="files of the generated tree (default 5000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated tree (default 1)")
    parser.add_argument("--tree", type=Path, help="reuse the tree in DIR (generate it there if DIR is empty)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each step (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the working directory (outputs, generated tree)")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress messages on stderr")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def in_work_directory(benchmark: Callable[[argparse.Namespace, Path], int], args: argparse.Namespace) -> int:
    """Run ``benchmark(args, work)`` in a temporary directory, removed afterwards unless ``args.keep``."""
    work = Path(tempfile.mkdtemp(prefix="protokit-bench-"))
    compile_protokit()
    try:
        return benchmark(args, work)
    except ValueError as error:  # from generate_tree: a --tree that is neither a tree nor empty
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark in a temporary working directory."""
    return in_work_directory(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
