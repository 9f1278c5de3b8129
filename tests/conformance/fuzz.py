"""Seeded differential fuzzer: random proto trees through ``buf`` and ``protokit``, every difference shrunk and saved.

Each case comes from ``generate.py`` or, for the ``validate`` kind, ``generate_validate.py`` (case ``i`` of a run
with seed ``S`` uses seed ``S * 100000 + i``).  Lint and validate cases are linted by both tools from inside the
tree; breaking cases are an ``old/`` and a ``new/`` tree, both tools run from ``new/`` with ``--against ../old``.
Findings are compared as sets of (path, start line and column, end line and column, rule, message), where the
message is compared only for ``PROTOVALIDATE`` findings (Go pointers ``0x...`` in it masked) and is empty otherwise.
A case Buf cannot compile is "invalid" (skipped) unless protokit accepts it; protokit failing on a case Buf accepts
is a difference too.

A difference is identified by its signature (kind, rule, side): ``missing`` (only Buf reports the rule there),
``extra`` (only protokit does), ``position`` (both on the same line, at other columns), ``message`` (both at the same
place with other messages), ``PROTOKIT_ERROR`` or ``BUF_ERROR`` (one tool rejects the input).  For a finding with a
message the side also holds the message's gist (names, quoted text and numbers masked), so that one cause gives one
signature.  The first case of each signature is shrunk (files, blocks, line chunks, lines, list items and
message-literal items removed while that signature persists; validate.proto is kept) and written to ``--out`` as
``<kind>-<seed>-<n>/`` holding the tree (``old/`` and ``new/`` for breaking), ``expected.jsonl`` (Buf's findings)
and ``signature.txt``.

Run: ``python tests/conformance/fuzz.py --kind lint|breaking|validate|both|all|KIND,KIND --cases N --seed S
[--buf PATH] [--jobs 2] [--out DIR] [--no-shrink]``; exit 1 on any difference.  ``fuzz.py --record DIR...`` re-runs
Buf on saved (maybe hand-trimmed) cases and rewrites their ``expected.jsonl``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import generate  # noqa: E402
import generate_validate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO))
from protokit import catalog  # noqa: E402

# protokit's command line; ``run_tool`` runs it in a fork of this process instead of a new interpreter.
PROTOKIT = [sys.executable, "-m", "protokit"]
# What ``protokit lint`` and ``protokit breaking`` import as they run: imported once, before the first fork.
PRELOAD = ("protokit.cli", "protokit.cli.console", "protokit.lint.engine", "protokit.breaking.run",
           "protokit.compile.compiler", "protokit.report.formats", "protokit.docs", "grpc_tools._protoc_compiler",
           "google.protobuf.descriptor_pb2", "google.protobuf.json_format")  # fmt: skip
REGRESSIONS = Path(__file__).parent / "regressions"
Finding = tuple[str, int, int, int, int, str, str]  # path, start/end line/column, rule, message (or "")
Tree = dict[str, str]
Signature = tuple[str, str, str]  # (kind, rule, side)
# Finding types protokit prints that are not findings of a rule (unused or unknown comment ignores): not compared.
NOT_COMPARED = frozenset({"WARNING"})
# Seconds either tool may take on one case.
TIMEOUT = 120
# The row ``expected.jsonl`` holds when Buf fails without a JSON finding (a configuration it rejects).
FAILURE = "FAILURE"
# Rules whose findings' messages are compared too: every lint rule (lint prints Buf's messages, which a test
# of the catalog cannot see); breaking rules word their messages their own way.
MESSAGES_COMPARED = frozenset(catalog.rules("lint"))
# Every kind of case, and the names ``--kind`` accepts for several.
KINDS = ("lint", "breaking", "validate")
KIND_GROUPS = {"both": ["lint", "breaking"], "all": list(KINDS)}
# Where validate cases keep Buf's validate.proto: never removed by shrinking.
PINNED = (generate_validate.VALIDATE_PATH,)


@dataclass(frozen=True)
class Case:
    """One fuzz case: a lint tree, or a breaking pair as one tree with ``old/`` and ``new/`` prefixes."""

    kind: str
    seed: int
    files: Tree


@dataclass
class Outcome:
    """What one tool did: whether it accepted the input, its findings and raw JSON lines."""

    ok: bool
    findings: frozenset[Finding]
    lines: list[str]
    error: str = ""


@dataclass
class Result:
    """Both tools' outcomes on one case and the signatures of their differences."""

    case: Case
    buf: Outcome
    ours: Outcome | None
    signatures: list[Signature] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    @property
    def invalid(self) -> bool:
        """Buf rejects the case and protokit does too."""
        return not self.buf.ok and not self.signatures


def make_case(kind: str, seed: int) -> Case:
    """The case of ``kind`` generated from ``seed``."""
    if kind == "lint":
        return Case(kind, seed, generate.lint_case(seed))
    if kind == "validate":
        return Case(kind, seed, generate_validate.validate_case(seed))
    old, new = generate.breaking_case(seed)
    return Case(kind, seed, {**{f"old/{p}": t for p, t in old.items()}, **{f"new/{p}": t for p, t in new.items()}})


def write_tree(root: Path, files: Tree) -> None:
    """Write ``files`` under ``root``."""
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def parse(output: str) -> tuple[frozenset[Finding], list[str], bool]:
    """Findings of a ``--error-format json`` run, its raw lines, and whether one is a compile error."""
    lines = [line for line in output.splitlines() if line.strip().startswith("{")]
    rows = [json.loads(line) for line in lines]
    keys = ("start_line", "start_column", "end_line", "end_column")
    found = frozenset((r.get("path", ""), *(r.get(k, 0) for k in keys), r["type"], compared_message(r)) for r in rows)
    return found, lines, any(r["type"] in ("COMPILE", FAILURE) for r in rows)


def compared_message(row: dict[str, object]) -> str:
    """The message of a finding as compared: Go pointers masked, and empty unless its rule's messages are compared."""
    if row["type"] not in MESSAGES_COMPARED:
        return ""
    return re.sub(r"0x[0-9a-f]+", "0x?", str(row.get("message", "")))


def run_tool(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Outcome:
    """Run one tool; it accepted the input when it exits 0 or 100 without compile errors."""
    if command[: len(PROTOKIT)] == PROTOKIT:
        completed = _forked_protokit(command[len(PROTOKIT) :], cwd, env or dict(os.environ))
    else:
        try:
            run = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            completed = None
        else:
            completed = (run.returncode, run.stdout, run.stderr)
    if completed is None:
        return Outcome(False, frozenset(), [], "timeout")
    returncode, stdout, stderr = completed
    found, lines, compile_error = parse(stdout)
    ok = returncode in (0, 100) and not compile_error
    error = ""
    if not ok:
        _, error_lines, _ = parse(stdout + "\n" + stderr)
        messages = [json.loads(x).get("message", "") for x in error_lines]
        error = next((m for m in messages if m), "") or stderr.strip() or f"exit code {returncode}"
    return Outcome(ok, found, lines, error.strip()[:300])


def _forked_protokit(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str] | None:
    """``protokit ARGS`` run in a fork of this process, which imports protokit once instead of once per case.

    The child gets its own working directory, environment and standard streams (files), runs the real entry point
    and exits with its exit code; the result is (exit code, stdout, stderr), or None on timeout.
    """
    for module in PRELOAD:
        importlib.import_module(module)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # not a caller's replacement (pytest's)
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
                os.chdir(cwd)
                os.environ.clear()
                os.environ.update(env)
                sys.argv = ["protokit", *args]
                sys.modules["protokit.cli"].main()
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        deadline = time.monotonic() + TIMEOUT
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                return None
            time.sleep(0.002)
        out.seek(0)
        err.seek(0)
        text = (out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))
    return os.waitstatus_to_exitcode(status), *text


def protokit_env(cache: Path) -> dict[str, str]:
    """The environment protokit runs in: this checkout first on PYTHONPATH, a private cache."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "XDG_CACHE_HOME": str(cache), "NO_COLOR": "1"}


def commands(kind: str, buf: str) -> tuple[list[str], list[str], str]:
    """Buf's and protokit's command lines for ``kind`` and the directory (of the case) they run in."""
    if kind in ("lint", "validate"):
        return [buf, "lint", "--error-format", "json"], [*PROTOKIT, "lint", "--error-format", "json"], "."
    against = ["breaking", "--against", "../old", "--error-format", "json"]
    return [buf, *against], [*PROTOKIT, *against], "new"


def run_case(case: Case, buf: str, only: Signature | None = None) -> Result:
    """Run both tools on ``case``; with ``only``, protokit is skipped when Buf's side already rules it out."""
    with tempfile.TemporaryDirectory(prefix="protokit-fuzz-") as scratch:
        root = Path(scratch)
        write_tree(root, case.files)
        buf_command, our_command, where = commands(case.kind, buf)
        cwd = root / where
        if not cwd.is_dir():
            cwd.mkdir(parents=True)
        theirs = run_tool(buf_command, cwd)
        if only is not None and (only[1] == "BUF_ERROR") == theirs.ok:
            return Result(case, theirs, None)
        ours = run_tool(our_command, cwd, protokit_env(root / "cache"))
    return compare(Result(case, theirs, ours))


def _gist(error: str) -> str:
    """An error message without its quoted names and numbers, so that one cause gives one signature."""
    first = error.strip().splitlines()[0] if error.strip() else "?"
    return re.sub(r"\d+", "N", re.sub(r'"[^"]*"|`[^`]*`', "X", first))[:100]


def _message_gist(message: str) -> str:
    """A finding's message without its names, quoted text and numbers ("" for none): one cause, one signature."""
    if not message:
        return ""
    masked = re.sub(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\'[^\']*\'', "X", message)
    masked = re.sub(r"0x\?|&\{[^}]*\}|\[[^\]]*\]", "X", masked)
    # Rule names and the CEL context (``(buf.validate.field).map.keys.cel.expression on field X``) are one gist.
    masked = re.sub(r"\(buf\.validate\.\w+\)[\w.]*", "R", masked)
    masked = re.sub(r"\bon (?:field|message|extension field)(?: X)?(?= fails| evaluates)", "on X", masked)
    # Type names: ``is of type repeated map<int32, p.M> but``, ``evaluates to a list(int), only``, ``was given map``.
    masked = re.sub(r"(is of type |evaluates to an? ).*?(?= but has|, only string)|(?<=was given ).*$", r"\1T", masked)
    return re.sub(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?", "N", masked)[:220]


def _side(side: str, finding: Finding) -> str:
    """The side of a signature, with the gist of the finding's message when it has one."""
    gist = _message_gist(finding[6])
    return f"{side}: {gist}" if gist else side


def compare(result: Result) -> Result:
    """Fill in the signatures and readable details of the differences between the two outcomes."""
    theirs, ours, kind = result.buf, result.ours, result.case.kind
    assert ours is not None
    if not theirs.ok:
        if ours.ok:
            result.signatures.append((kind, "BUF_ERROR", "protokit accepts: " + _gist(theirs.error)))
            result.details.append(f"buf rejects: {theirs.error}")
        return result
    if not ours.ok:
        result.signatures.append((kind, "PROTOKIT_ERROR", "protokit rejects: " + _gist(ours.error)))
        result.details.append(f"protokit rejects: {ours.error}")
        return result
    extra = {f for f in ours.findings - theirs.findings if f[5] not in NOT_COMPARED}
    missing = theirs.findings - ours.findings
    for f in sorted(missing):
        result.details.append(f"buf only:      {f}")
    for f in sorted(extra):
        result.details.append(f"protokit only: {f}")
    # Both report the rule at the same place with other messages: a message difference (named by Buf's message).
    reworded = {f[:6] for f in missing} & {f[:6] for f in extra}
    sides = {(kind, f[5], _side("message", f)) for f in missing if f[:6] in reworded}
    missing = {f for f in missing if f[:6] not in reworded}
    extra = {f for f in extra if f[:6] not in reworded}
    # Both report the rule (and message) on the same line but at other columns (or end lines): a position difference.
    line = lambda f: (f[0], f[1], f[5], f[6])  # noqa: E731
    moved = {line(f) for f in missing} & {line(f) for f in extra}
    sides |= {(kind, f[5], _side("position", f)) for f in missing if line(f) in moved}
    sides |= {(kind, f[5], _side("missing", f)) for f in missing if line(f) not in moved}
    sides |= {(kind, f[5], _side("extra", f)) for f in extra if line(f) not in moved}
    result.signatures.extend(sorted(sides))
    return result


# ---------------------------------------------------------------------------------------------------------------------
# Shrinking


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Ranges [start, end) of every brace block (with the comment lines right above it), outermost first."""
    found, stack = [], []
    for i, line in enumerate(lines):
        code = line.split("//", 1)[0]
        for ch in code:
            if ch == "{":
                start = i
                while start > 0 and lines[start - 1].lstrip().startswith(("//", "/*")):
                    start -= 1
                stack.append(start)
            elif ch == "}" and stack:
                found.append((stack.pop(), i + 1))
    return sorted({b for b in found if b[1] - b[0] > 1}, key=lambda b: (b[0] - b[1], b[0]))


def _without(files: Tree, path: str, start: int, end: int) -> Tree | None:
    """``files`` with lines [start, end) of ``path`` removed; for a breaking case, the same lines of its twin too."""
    lines = files[path].split("\n")
    chunk = lines[start:end]
    result = {**files, path: "\n".join(lines[:start] + lines[end:])}
    twin = _twin(path)
    if twin and twin in files:
        other = files[twin].split("\n")
        for i in range(len(other) - len(chunk) + 1):
            if other[i : i + len(chunk)] == chunk:
                result[twin] = "\n".join(other[:i] + other[i + len(chunk) :])
                break
    return result if result != files else None


def _twin(path: str) -> str | None:
    if path.startswith("old/"):
        return "new/" + path[4:]
    if path.startswith("new/"):
        return "old/" + path[4:]
    return None


def _candidates(files: Tree) -> Iterator[Tree]:
    """Smaller variants of ``files``: a file (pair) dropped, a block dropped (in both twins, then in one), a line,
    an item of a bracketed list or of a message literal.  Files in ``PINNED`` are kept whole."""
    protos = [p for p in files if p.endswith(".proto") and p not in PINNED]
    for path in protos:
        smaller = {k: v for k, v in files.items() if k not in (path, _twin(path))}
        yield smaller
        if _twin(path) in files:
            yield {k: v for k, v in files.items() if k != path}
    for path in protos:
        lines = files[path].split("\n")
        for start, end in _blocks(lines):
            for paired in (True, False):
                candidate = _without(files, path, start, end) if paired else _single(files, path, start, end)
                if candidate:
                    yield candidate
    for path in protos:
        lines = files[path].split("\n")
        size = len(lines) // 2
        while size >= 2:
            for start in range(1, len(lines), size):
                candidate = _without(files, path, start, start + size)
                if candidate:
                    yield candidate
            size //= 2
    for path in [*protos, *(p for p in files if p.endswith("buf.yaml"))]:
        lines = files[path].split("\n")
        for i in range(len(lines) - 1, -1, -1):
            if lines[i].strip() and not lines[i].startswith(("syntax", "edition", "version")):
                for candidate in (_without(files, path, i, i + 1), _single(files, path, i, i + 1)):
                    if candidate:
                        yield candidate
        for i, line in enumerate(lines):
            match = re.search(r"\[([^\]]*,[^\]]*)\]", line)
            if match:
                items = [x.strip() for x in match.group(1).split(",")]
                for item in items:
                    rest = ", ".join(x for x in items if x != item)
                    shorter = line[: match.start()] + f"[{rest}]" + line[match.end() :]
                    yield {**files, path: "\n".join(lines[:i] + [shorter] + lines[i + 1 :])}
        yield from _literal_items(files, path, lines)
        yield {**files, path: "\n".join(line for line in lines if line.strip())}


# One ``name: value`` item of a message literal: a quoted string, a list, a flat literal or a bare token.
_LITERAL_ITEM = re.compile(
    r'(?<=[{\s,;])\[?[\w.]+\]?:\s*(?:"(?:[^"\\]|\\.)*"|\[[^\[\]]*\]|\{[^{}]*\}|[^\s,;{}\[\]]+)[,;]?\s?'
)


def _literal_items(files: Tree, path: str, lines: list[str]) -> Iterator[Tree]:
    """``files`` with one ``name: value`` item of a message literal in ``path`` removed."""
    for i, line in enumerate(lines):
        for match in _LITERAL_ITEM.finditer(line):
            shorter = line[: match.start()] + line[match.end() :]
            yield {**files, path: "\n".join(lines[:i] + [shorter] + lines[i + 1 :])}


def _single(files: Tree, path: str, start: int, end: int) -> Tree | None:
    lines = files[path].split("\n")
    return {**files, path: "\n".join(lines[:start] + lines[end:])} if _twin(path) else None


def shrink(case: Case, signature: Signature, buf: str, budget: int = 300, seconds: float = 150) -> Result:
    """Greedily the smallest variant of ``case`` that still shows ``signature`` (at most ``budget`` runs)."""
    best = run_case(case, buf)
    deadline, runs, seen = time.monotonic() + seconds, 0, set()
    progress = True
    while progress and runs < budget and time.monotonic() < deadline:
        progress = False
        for files in _candidates(best.case.files):
            key = tuple(sorted(files.items()))
            if key in seen:
                continue
            seen.add(key)
            runs += 1
            result = run_case(Case(case.kind, case.seed, files), buf, only=signature)
            if signature in result.signatures:
                best, progress = result, True
                break
            if runs >= budget or time.monotonic() > deadline:
                break
    return best


def expected_lines(outcome: Outcome) -> str:
    """``expected.jsonl`` for Buf's outcome: its JSON lines, or one FAILURE row when it failed without any."""
    lines = outcome.lines or ([] if outcome.ok else [json.dumps({"type": FAILURE, "message": outcome.error})])
    return "".join(line + "\n" for line in lines)


def save(result: Result, signature: Signature, out: Path, n: int) -> Path:
    """Write a shrunk case as ``out/<kind>-<seed>-<n>/``: its files, ``expected.jsonl`` and ``signature.txt``."""
    target = out / f"{result.case.kind}-{result.case.seed}-{n}"
    shutil.rmtree(target, ignore_errors=True)
    write_tree(target, {p: t.rstrip("\n") + "\n" for p, t in result.case.files.items()})
    (target / "expected.jsonl").write_text(expected_lines(result.buf), encoding="utf-8")
    (target / "signature.txt").write_text(" ".join(signature[1:]) + "\n", encoding="utf-8")
    return target


def load(directory: Path) -> Case:
    """The case saved in ``directory`` (its kind from the name), without ``expected.jsonl`` and ``signature.txt``."""
    files = {
        p.relative_to(directory).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name not in ("expected.jsonl", "signature.txt")
    }
    return Case(directory.name.split("-", 1)[0], 0, files)


def record(directory: Path, buf: str) -> Result:
    """Run both tools on a saved (maybe hand-edited) case and rewrite its ``expected.jsonl`` with Buf's findings."""
    result = run_case(load(directory), buf)
    (directory / "expected.jsonl").write_text(expected_lines(result.buf), encoding="utf-8")
    return result


# ---------------------------------------------------------------------------------------------------------------------
# Driver


def native_buf(buf: str) -> str:
    """The platform binary behind npm's node wrapper ``node_modules/.bin/buf`` (saves a node start per run)."""
    path = Path(buf).resolve()
    if path.parent.parent.name == "buf" and path.parent.parent.parent.name == "@bufbuild":
        for binary in sorted(path.parent.parent.parent.glob("buf-*/bin/buf")):
            if os.access(binary, os.X_OK):
                return str(binary)
    return str(path)


def _check(kind: str, seed: int, buf: str) -> Result:
    return run_case(make_case(kind, seed), buf)


def _shrink(case: Case, signature: Signature, buf: str) -> tuple[Signature, Result]:
    return signature, shrink(case, signature, buf)


@dataclass
class Summary:
    """Counts of one fuzz run."""

    cases: int = 0
    invalid: int = 0
    differing: int = 0
    signatures: dict[Signature, Result] = field(default_factory=dict)
    saved: list[Path] = field(default_factory=list)
    check_seconds: float = 0.0  # the time spent running cases (not shrinking)


def fuzz(kinds: list[str], cases: int, seed: int, buf: str, jobs: int, out: Path | None, shrink_cases: bool = True,
         verbose: bool = True) -> Summary:  # fmt: skip
    """Run ``cases`` cases of each kind in ``kinds`` on ``jobs`` processes; shrink and save each new signature."""
    summary = Summary()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        checks = [pool.submit(_check, kind, seed * 100000 + i, buf) for kind in kinds for i in range(cases)]
        shrinks: list[Future[tuple[Signature, Result]]] = []
        start = time.monotonic()
        seen: dict[Signature, int] = {}
        for future in checks:
            result = future.result()
            summary.cases += 1
            if verbose and summary.cases % 50 == 0:
                print(f"... {summary.cases} cases, {time.monotonic() - start:.0f} s", flush=True)
            if result.invalid:
                summary.invalid += 1
                continue
            if not result.signatures:
                continue
            summary.differing += 1
            for signature in result.signatures:
                seen[signature] = seen.get(signature, 0) + 1
                if verbose and seen[signature] <= 3:  # a few examples: one signature may have several causes
                    print(f"[{result.case.kind} seed {result.case.seed}] difference {signature[1:]}", flush=True)
                    for line in result.details:
                        print("   ", line, flush=True)
                if signature in summary.signatures:
                    continue
                summary.signatures[signature] = result
                if shrink_cases and out is not None:
                    shrinks.append(pool.submit(_shrink, result.case, signature, buf))
        summary.check_seconds = time.monotonic() - start
        for n, future in enumerate(shrinks):
            signature, small = future.result()
            summary.signatures[signature] = small
            path = save(small, signature, out, n) if out is not None else None
            if path is not None:
                summary.saved.append(path)
                if verbose:
                    print(f"shrunk {signature[1:]} -> {path}", flush=True)
    return summary


def parse_kinds(text: str) -> list[str]:
    """The kinds ``--kind`` names: one kind, a group (both, all) or a comma-separated list of those."""
    kinds: list[str] = []
    for name in text.split(","):
        name = name.strip()
        if name not in KINDS and name not in KIND_GROUPS:
            raise argparse.ArgumentTypeError(f"unknown kind {name!r}: one of {', '.join([*KINDS, *KIND_GROUPS])}")
        kinds += [k for k in KIND_GROUPS.get(name, [name]) if k not in kinds]
    return kinds


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, fuzz, print the summary; exit 1 on any difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    kinds_help = "lint, breaking, validate, both (lint and breaking), all, or a comma-separated list"
    parser.add_argument("--kind", type=parse_kinds, default="both", help=kinds_help)
    parser.add_argument("--cases", type=int, default=50, help="cases per kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--buf", default=shutil.which("buf"), help="the buf binary (default: from PATH)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--out", type=Path, default=REGRESSIONS, help="where shrunk differences go")
    parser.add_argument("--no-shrink", action="store_true", help="report differences without shrinking them")
    parser.add_argument("--record", nargs="+", type=Path, metavar="DIR", help="rewrite these cases' expected.jsonl")
    args = parser.parse_args(argv)
    if not args.buf:
        parser.error("buf not found: npm install @bufbuild/buf, then pass --buf node_modules/.bin/buf")
    if args.record:
        for directory in args.record:
            result = record(directory, native_buf(args.buf))
            print(f"{directory}: {' '.join(map(' '.join, result.signatures)) or 'no difference'}")
            for line in result.details:
                print("   ", line)
        return 0
    kinds = args.kind
    start = time.monotonic()
    summary = fuzz(kinds, args.cases, args.seed, native_buf(args.buf), args.jobs, args.out,
                   not args.no_shrink)  # fmt: skip
    elapsed = time.monotonic() - start
    print(f"\n{summary.cases} cases, {summary.invalid} invalid, {summary.differing} with differences, "
          f"{len(summary.signatures)} distinct; {elapsed:.1f} s, of which {summary.check_seconds:.1f} s running cases "
          f"({summary.cases / max(summary.check_seconds, 1e-9):.2f} cases/s) and the rest shrinking")  # fmt: skip
    for signature in sorted(summary.signatures):
        print("  ", " ".join(signature))
    return 1 if summary.signatures else 0


if __name__ == "__main__":
    sys.exit(main())
