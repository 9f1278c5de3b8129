"""The differential fuzzer's regressions and a small fixed fuzz budget against Buf.

* Every directory under ``tests/conformance/regressions/`` is a case the fuzzer shrank: protokit must report
  exactly Buf's findings recorded in its ``expected.jsonl`` (no Buf needed).  Cases named in
  ``tests/conformance/regressions/KNOWN_DIFFERENCES.txt`` are expected to fail until protokit is fixed; remove a
  name from that list when its fix lands.
* Where a ``buf`` binary is found, 30 lint and 30 breaking cases of a fixed seed are compared live, and 15
  validate cases (random protovalidate rules, messages compared too).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import find_buf

sys.path.insert(0, str(Path(__file__).parent / "conformance"))

import fuzz  # noqa: E402

REGRESSIONS = Path(__file__).parent / "conformance" / "regressions"
KNOWN = REGRESSIONS / "KNOWN_DIFFERENCES.txt"
FUZZ_SEED = 7
FUZZ_CASES = 30
VALIDATE_CASES = 15


def known_differences() -> set[str]:
    """Names of the regression cases protokit does not pass yet (comment lines start with ``#``)."""
    if not KNOWN.exists():
        return set()
    return {line.split("#", 1)[0].strip() for line in KNOWN.read_text().splitlines()} - {""}


def regression_cases() -> list[object]:
    """One pytest parameter per regression directory, xfailed when it is a known difference."""
    known = known_differences()
    cases = sorted(p for p in REGRESSIONS.iterdir() if p.is_dir()) if REGRESSIONS.is_dir() else []
    marks = pytest.mark.xfail(reason="known difference from Buf (KNOWN_DIFFERENCES.txt)", strict=False)
    return [pytest.param(p, id=p.name, marks=[marks] if p.name in known else []) for p in cases]


@pytest.mark.parametrize("directory", regression_cases())
def test_regression(directory: Path) -> None:
    """protokit reports what Buf reported on this shrunk case (or rejects it as Buf did)."""
    case = fuzz.load(directory)
    expected_lines = (directory / "expected.jsonl").read_text(encoding="utf-8")
    expected, _, buf_rejects = fuzz.parse(expected_lines)
    _, protokit_command, where = fuzz.commands(case.kind, "buf")
    with tempfile.TemporaryDirectory(prefix="protokit-regression-") as scratch:
        root = Path(scratch)
        fuzz.write_tree(root, case.files)
        (root / where).mkdir(parents=True, exist_ok=True)
        ours = fuzz.run_tool(protokit_command, root / where, fuzz.protokit_env(root / "cache"))
    if buf_rejects:
        assert not ours.ok, f"Buf rejects this case ({expected_lines.strip()}) but protokit accepts it"
        return
    assert ours.ok, f"protokit rejects a case Buf accepts: {ours.error}"
    ignored = fuzz.NOT_COMPARED
    extra = sorted(f for f in ours.findings - expected if f[5] not in ignored)
    missing = sorted(expected - ours.findings)
    rows = [json.loads(line) for line in expected_lines.splitlines() if line.strip()]
    assert not extra and not missing, f"only Buf: {missing}\nonly protokit: {extra}\nBuf: {rows}"


def test_known_differences_exist() -> None:
    """Every name in KNOWN_DIFFERENCES.txt is a regression directory (stale names are removed)."""
    stale = known_differences() - {p.name for p in REGRESSIONS.iterdir() if p.is_dir()}
    assert not stale, f"not regression cases: {sorted(stale)}"


BUF = find_buf()


@pytest.mark.skipif(BUF is None, reason="buf is not installed (python tests/tools/install_buf.py)")
def test_fuzz_budget() -> None:
    """A fixed budget of lint and breaking cases shows no difference between Buf and protokit."""
    assert BUF is not None
    summary = fuzz.fuzz(["lint", "breaking"], FUZZ_CASES, FUZZ_SEED, fuzz.native_buf(BUF), 2, None, False, False)
    assert summary.cases == 2 * FUZZ_CASES
    assert summary.invalid < summary.cases / 2, "the generator makes too many cases Buf rejects"
    assert not summary.signatures, differences(summary)


@pytest.mark.skipif(BUF is None, reason="buf is not installed (python tests/tools/install_buf.py)")
def test_fuzz_validate_budget() -> None:
    """A fixed budget of protovalidate cases shows no difference (messages included) between Buf and protokit."""
    assert BUF is not None
    summary = fuzz.fuzz(["validate"], VALIDATE_CASES, FUZZ_SEED, fuzz.native_buf(BUF), 2, None, False, False)
    assert summary.cases == VALIDATE_CASES
    assert summary.invalid <= 1, "the validate generator makes too many cases Buf rejects"
    assert not summary.signatures, differences(summary)


def differences(summary: fuzz.Summary) -> str:
    """Each signature of a fuzz run with its first case's seed and differing findings."""
    return "\n".join(
        f"{' '.join(sig)}: seed {result.case.seed}\n  " + "\n  ".join(result.details)
        for sig, result in sorted(summary.signatures.items())
    )
