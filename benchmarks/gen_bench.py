"""Gen benchmark: ``protokit gen`` with a cold and a warm cache against one plain protoc run.

Generates the synthetic tree (``synthetic.py``; or reuses ``--tree DIR``), then times

* the baseline: protoc from grpcio-tools in a single process on every file of
  the tree, writing messages, gRPC stubs and ``.pyi`` stubs (``--python_out``,
  ``--grpc_python_out``, ``--pyi_out``) into a fresh directory, with no packaging;
* ``protokit gen TREE --out DIR --version 1.0.0`` with an empty cache (a fresh
  ``XDG_CACHE_HOME``): cold;
* the same command again with the same cache and nothing changed (into a fresh
  ``--out``): warm;

and prints the times, the ratios to the baseline and the targets (cold at most
1.5x, warm at most 0.2x).  It checks every output of protokit: a wheel and an
sdist per proto package of the tree, and a ``*_pb2.py`` module in the wheels for
every ``_pb2.py`` protoc wrote (so for every ``.proto`` file).  It exits with 1
when a command fails or a check fails; a missed target is only reported.

Run: ``python benchmarks/gen_bench.py [--files N] [--tree DIR] [--repeat N] [--keep] [--json]``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import re
import shutil
import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from build_bench import (
    CommandFailed,
    Timing,
    cache_env,
    cpu_cores,
    grpc_tools_include,
    in_work_directory,
    parse_args,
    prepare_tree,
    progress,
    proto_files,
    table,
    timed,
    timings_json,
)

COLD_TARGET = 1.5
WARM_TARGET = 0.2
VERSION = "1.0.0"
PACKAGE_STATEMENT = re.compile(rb"^\s*package\s+([\w.]+)\s*;", re.MULTILINE)


@dataclass
class OutputCheck:
    """What one ``protokit gen`` output holds, compared with the tree and protoc's output."""

    packages: int  # proto packages of the tree
    wheels: int
    sdists: int
    packages_without_wheel: list[str]  # packages none of whose modules is in a wheel
    wheels_without_sdist: list[str]
    protoc_modules: int  # *_pb2.py files protoc wrote
    wheel_modules: int  # *_pb2.py files in the wheels
    missing: list[str]  # modules protoc wrote that no wheel holds
    extra: list[str]  # modules in the wheels that protoc did not write

    @property
    def passed(self) -> bool:
        """A wheel and an sdist per package, and every module protoc wrote in a wheel."""
        return (
            self.wheels >= self.packages
            and self.sdists >= self.packages
            and not self.packages_without_wheel
            and not self.wheels_without_sdist
            and not self.missing
        )


# ---------------------------------------------------------------------------
# Commands


def protoc_command(tree: Path, files: list[str], output: Path, args_file: Path) -> list[str]:
    """The baseline protoc command (Python, gRPC and .pyi outputs); its arguments go in a response file."""
    arguments = [
        f"-I{tree}",
        f"-I{grpc_tools_include()}",
        f"--python_out={output}",
        f"--grpc_python_out={output}",
        f"--pyi_out={output}",
        *files,
    ]
    args_file.write_text("\n".join(arguments) + "\n")
    return [sys.executable, "-m", "grpc_tools.protoc", f"@{args_file}"]


def protokit_command(tree: Path, output: Path) -> list[str]:
    """``python -m protokit gen TREE --out OUTPUT --version 1.0.0`` with this Python."""
    return [sys.executable, "-m", "protokit", "gen", str(tree), "--out", str(output), "--version", VERSION]


# ---------------------------------------------------------------------------
# Measuring


@dataclass
class Bench:
    """The benchmark's working directory and the commands it times."""

    tree: Path
    work: Path
    files: list[str]

    def baseline_output(self, run: int) -> Path:
        """Where protoc writes its modules in run ``run``."""
        return self.work / f"baseline-{run}"

    def gen_output(self, run: int, step: str) -> Path:
        """Where ``protokit gen`` writes its distributions in run ``run`` of ``step`` (cold or warm)."""
        return self.work / f"gen-{run}-{step}"

    def baseline(self, run: int) -> float:
        """One protoc run into a fresh directory."""
        output = self.baseline_output(run)
        output.mkdir()
        command = protoc_command(self.tree, self.files, output, self.work / "args.txt")
        return timed(command, cwd=self.work)

    def cold_and_warm(self, run: int) -> tuple[float, float]:
        """One protokit gen with a fresh, empty cache, then one more with the same cache (each to a fresh --out)."""
        cache_home = self.work / f"cache-{run}"
        cache_home.mkdir()
        env = cache_env(cache_home)
        cold = timed(protokit_command(self.tree, self.gen_output(run, "cold")), cwd=self.work, env=env)
        warm = timed(protokit_command(self.tree, self.gen_output(run, "warm")), cwd=self.work, env=env)
        shutil.rmtree(cache_home)
        return cold, warm

    def measure(self, repeat: int, log: bool) -> tuple[Timing, Timing, Timing]:
        """Time the baseline ``repeat`` times, then cold and warm gens ``repeat`` times."""
        baseline, cold, warm = Timing("protoc (1 process)"), Timing("protokit gen cold"), Timing("protokit gen warm")
        for run in range(repeat):
            baseline.seconds.append(self.baseline(run))
            progress(log, f"protoc run {run + 1}/{repeat}: {baseline.seconds[-1]:.2f} s")
        for run in range(repeat):
            cold_seconds, warm_seconds = self.cold_and_warm(run)
            cold.seconds.append(cold_seconds)
            warm.seconds.append(warm_seconds)
            progress(log, f"protokit run {run + 1}/{repeat}: cold {cold_seconds:.2f} s, warm {warm_seconds:.2f} s")
        return baseline, cold, warm


# ---------------------------------------------------------------------------
# Checking the outputs


def packages_of(tree: Path, files: list[str]) -> dict[str, str]:
    """The proto package of each file (from its ``package`` statement; ``""`` if it has none)."""
    packages = {}
    for name in files:
        match = PACKAGE_STATEMENT.search((tree / name).read_bytes())
        packages[name] = match.group(1).decode() if match else ""
    return packages


def pb2_modules(root: Path) -> set[str]:
    """The ``*_pb2.py`` files protoc wrote under ``root``, relative to it."""
    return {path.relative_to(root).as_posix() for path in root.rglob("*_pb2.py")}


def wheel_modules(wheel: Path) -> set[str]:
    """The ``*_pb2.py`` files of a wheel, by path inside it."""
    with zipfile.ZipFile(wheel) as archive:
        return {name for name in archive.namelist() if name.endswith("_pb2.py")}


def check_output(output: Path, expected: set[str], packages: dict[str, str]) -> OutputCheck:
    """Compare a ``protokit gen`` output with the tree's packages and protoc's ``_pb2.py`` files."""
    wheels = sorted(output.glob("*.whl"))
    sdists = {path.name.removesuffix(".tar.gz") for path in output.glob("*.tar.gz")}
    modules: set[str] = set()
    for wheel in wheels:
        modules |= wheel_modules(wheel)
    module_package = {name.removesuffix(".proto") + "_pb2.py": package for name, package in packages.items()}
    packaged = {module_package[module] for module in modules if module in module_package}
    tree_packages = set(packages.values())
    return OutputCheck(
        packages=len(tree_packages),
        wheels=len(wheels),
        sdists=len(sdists),
        packages_without_wheel=sorted(tree_packages - packaged),
        wheels_without_sdist=[w.name for w in wheels if "-".join(w.name.split("-")[:2]) not in sdists],
        protoc_modules=len(expected),
        wheel_modules=len(modules),
        missing=sorted(expected - modules),
        extra=sorted(modules - expected),
    )


def check_all(bench: Bench, repeat: int) -> dict[str, OutputCheck]:
    """The check of every gen output (cold and warm of each run), against the last protoc output."""
    expected = pb2_modules(bench.baseline_output(repeat - 1))
    packages = packages_of(bench.tree, bench.files)
    return {
        f"{step} {run + 1}": check_output(bench.gen_output(run, step), expected, packages)
        for run in range(repeat)
        for step in ("cold", "warm")
    }


# ---------------------------------------------------------------------------
# Reporting


def check_text(label: str, check: OutputCheck) -> str:
    """One line about one output check."""
    counts = (
        f"{check.wheels} wheels and {check.sdists} sdists for {check.packages} packages, "
        f"{check.wheel_modules:,} _pb2 modules for protoc's {check.protoc_modules:,}"
    )
    if check.passed:
        extra = f" ({len(check.extra)} more than protoc's)" if check.extra else ""
        return f"output check ({label}): {counts}{extra}"
    return (
        f"output check ({label}): FAILED: {counts}; packages without a wheel: {check.packages_without_wheel[:3]}, "
        f"wheels without an sdist: {check.wheels_without_sdist[:3]}, "
        f"{len(check.missing)} modules missing (e.g. {check.missing[:3]})"
    )


def report(summary: dict[str, Any], timings: tuple[Timing, Timing, Timing], checks: dict[str, OutputCheck]) -> str:
    """The human-readable report."""
    repeat = summary["repeat"]
    header = (
        f"protokit gen benchmark: {summary['files']:,} .proto files in {summary['packages']:,} packages, "
        f"{summary['bytes'] / 1e6:.1f} MB; {summary['cpu_cores']} CPU cores; grpcio-tools {summary['grpcio_tools']}; "
        f"{repeat} run{'s' if repeat > 1 else ''} per step, ratios of medians"
    )
    failed = [check_text(label, check) for label, check in checks.items() if not check.passed]
    if not failed:
        label, check = next(iter(checks.items()))
        failed = [check_text(f"all {len(checks)} outputs passed; {label}", check)]
    return "\n".join([header, "", *table(timings, (COLD_TARGET, WARM_TARGET)), "", *failed])


# ---------------------------------------------------------------------------
# Main


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
    checks = check_all(bench, args.repeat)
    summary: dict[str, Any] = {
        "files": len(bench.files),
        "packages": len(set(packages_of(tree, bench.files).values())),
        "bytes": sum((tree / name).stat().st_size for name in bench.files),
        "cpu_cores": cpu_cores(),
        "grpcio_tools": importlib.metadata.version("grpcio-tools"),
        "protokit": importlib.metadata.version("protokit"),
        "repeat": args.repeat,
    }
    print(report(summary, timings, checks))
    passed = all(check.passed for check in checks.values())
    if args.json:
        summary.update(
            timings_json(timings, (COLD_TARGET, WARM_TARGET)),
            output_checks={label: {**asdict(check), "passed": check.passed} for label, check in checks.items()},
            output_check_passed=passed,
        )
        print(json.dumps(summary, indent=2))
    return 0 if passed else 1


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark in a temporary working directory."""
    description = "Time protokit gen (cold and warm cache) against plain protoc."
    return in_work_directory(run, parse_args(argv, description))


if __name__ == "__main__":
    sys.exit(main())
