"""Gen on a real tree: ``protokit gen`` of every package of a googleapis checkout against one plain protoc run.

It fetches nothing: give it the path of your own googleapis checkout (``git clone
https://github.com/googleapis/googleapis``).  Its ``.proto`` files are copied into a working directory with a
``protokit.yaml`` that sets ``gen.import_prefix`` (googleapis lives in the ``google`` namespace, which protobuf
owns), then it times

* the baseline: protoc from grpcio-tools in one process on the same files, writing messages, gRPC stubs and
  ``.pyi`` stubs (``--python_out --grpc_python_out --pyi_out``), no packaging;
* ``protokit gen`` with an empty cache (cold, target at most 1.5x) and again with nothing changed (target at
  most 0.1x), each with its peak memory (the largest resident set of the command and its workers);

in ``--repeat`` interleaved rounds (default 3; each cold run with a cache of its own), reporting the medians,

and then installs every wheel into one fresh virtual environment with pip (the packages' requirements on each
other and on the runtimes resolved together) and imports every module they hold.  Exit code 1 when a command
fails, a wheel does not install or a module does not import; a missed target is only reported.

Run: ``python benchmarks/gen_real.py PATH [--prefix gapi] [--exclude preview] [--repeat N] [--keep] [--no-install]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from dataclasses import dataclass
from pathlib import Path

from build_bench import cache_env, grpc_tools_include

COLD_TARGET = 1.5
WARM_TARGET = 0.1
# Imports every module below site-packages/TOP; prints how many and the failures.
IMPORT_ALL = """
import importlib, pathlib, sys
root = pathlib.Path(sys.argv[1])
names = sorted(".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
               for p in (root / sys.argv[2]).rglob("*.py"))
failed = []
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print(len(names), len(failed))
print("\\n".join(failed[:20]))
"""


@dataclass
class Run:
    """One timed command: wall seconds and peak resident memory (MiB) of it and its children."""

    seconds: float
    peak_mib: float


def measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command``; its wall time and the largest resident set among it and the processes it waited for."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        tail = errors.decode(errors="replace").strip().splitlines()[-3:]
        raise SystemExit(f"error: {' '.join(command[:4])} ... exited with {process.returncode}: {' | '.join(tail)}")
    return Run(elapsed, usage.ru_maxrss / 1024)


def copy_tree(source: Path, tree: Path, excludes: list[str]) -> list[str]:
    """Copy the ``.proto`` files of ``source`` (minus ``excludes``) into ``tree``; their names, sorted."""
    names = []
    for path in sorted(source.rglob("*.proto")):
        name = path.relative_to(source).as_posix()
        if any(name == e or name.startswith(e.rstrip("/") + "/") for e in excludes) or "/." in "/" + name:
            continue
        target = tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        names.append(name)
    return names


def baseline(tree: Path, files: list[str], work: Path) -> Run:
    """One plain protoc run on every file, into a fresh directory."""
    out = work / "protoc-out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    arguments = [f"-I{tree}", f"-I{grpc_tools_include()}", f"--python_out={out}", f"--grpc_python_out={out}"]
    arguments += [f"--pyi_out={out}", *files]
    (work / "args.txt").write_text("\n".join(arguments) + "\n")
    return measured([sys.executable, "-m", "grpc_tools.protoc", f"@{work / 'args.txt'}"], work)


def median(runs: list[Run]) -> Run:
    """The median time of ``runs`` with the largest peak memory among them."""
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mib for r in runs))


def gen(tree: Path, out: Path, work: Path, env: dict[str, str]) -> Run:
    """``protokit gen TREE --out OUT --version 1.0.0``."""
    command = [sys.executable, "-m", "protokit", "gen", str(tree), "--out", str(out), "--version", "1.0.0"]
    return measured(command, work, env)


def install_and_import(wheels: list[Path], work: Path, top: str) -> tuple[int, list[str]]:
    """Install every wheel into one fresh venv (pip resolves them together); how many modules import, and failures."""
    home = work / "venv"
    venv.EnvBuilder(with_pip=True).create(home)
    python = str(home / "bin" / "python")
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--find-links", str(wheels[0].parent)]
    done = subprocess.run([*pip, *map(str, wheels)], capture_output=True, text=True)
    if done.returncode != 0:
        return 0, [f"pip install failed: {done.stderr.strip().splitlines()[-1]}"]
    where = "import site; print(site.getsitepackages()[0])"
    site = subprocess.run([python, "-c", where], capture_output=True, text=True)
    result = subprocess.run([python, "-c", IMPORT_ALL, site.stdout.strip(), top], capture_output=True, text=True)
    lines = result.stdout.splitlines()
    if result.returncode != 0 or not lines:
        return 0, [result.stderr.strip()[-300:]]
    count, failed = (int(n) for n in lines[0].split())
    return count - failed, [line for line in lines[1:] if line]


def run(args: argparse.Namespace, work: Path) -> int:
    """Copy, measure, install, import and report; the exit code."""
    tree = work / "tree"
    files = copy_tree(Path(args.path), tree, args.exclude)
    (tree / "protokit.yaml").write_text(f"version: v1\nmodules:\n  - path: .\ngen:\n  import_prefix: {args.prefix}\n")
    print(f"{len(files)} files from {args.path}", file=sys.stderr)
    bases, colds, warms = [], [], []
    for index in range(args.repeat):  # interleaved, so that both sides see the machine alike
        bases.append(baseline(tree, files, work))
        env = cache_env(work / f"cache-{index}")
        for out in ("dist-cold", "dist-warm"):
            shutil.rmtree(work / out, ignore_errors=True)
        colds.append(gen(tree, work / "dist-cold", work, env))
        warms.append(gen(tree, work / "dist-warm", work, env))
        shutil.rmtree(work / f"cache-{index}", ignore_errors=True)
        print(f"round {index + 1}: protoc {bases[-1].seconds:.2f} s, cold {colds[-1].seconds:.2f} s", file=sys.stderr)
    base, cold, warm = median(bases), median(colds), median(warms)
    wheels = sorted((work / "dist-cold").glob("*.whl"))
    print(f"protokit gen on a real tree: {len(files)} files, {len(wheels)} distributions, median of {args.repeat}")
    print(f"{'step':<26}{'seconds':>9}{'ratio':>9}{'target':>9}{'peak MiB':>10}  result")
    print(f"{'protoc (1 process)':<26}{base.seconds:>9.2f}{1.0:>8.2f}x{'':>9}{base.peak_mib:>10.0f}")
    steps = (("protokit gen cold", cold, COLD_TARGET), ("protokit gen unchanged", warm, WARM_TARGET))
    for step, result, target in steps:
        ratio = result.seconds / base.seconds
        verdict = "PASS" if ratio <= target else "FAIL"
        print(f"{step:<26}{result.seconds:>9.2f}{ratio:>8.3f}x{target:>8.2f}x{result.peak_mib:>10.0f}  {verdict}")
    if args.no_install:
        return 0
    imported, failures = install_and_import(wheels, work, args.prefix)
    print(f"all {len(wheels)} wheels in one fresh venv: {imported} modules import, {len(failures)} failures")
    for failure in failures:
        print("   ", failure)
    return 1 if failures or not imported else 0


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run in a temporary working directory (kept with ``--keep``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="a googleapis checkout (or another real tree of protos)")
    parser.add_argument("--prefix", default="gapi", help="gen.import_prefix (default gapi)")
    parser.add_argument("--exclude", nargs="*", default=["preview"], help="directories to leave out")
    parser.add_argument("--keep", action="store_true", help="keep the working directory and print it")
    parser.add_argument("--no-install", action="store_true", help="skip installing and importing the wheels")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of protoc, cold and unchanged (medians)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="protokit-gen-real-"))
    try:
        return run(args, work)
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
