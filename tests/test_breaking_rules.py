"""Every breaking rule on a real git repository: a breaking edit it reports and a compatible edit it does not.

The cases are ``tests/data/breaking/rule_cases.yaml``; each is run with ``use: [RULE]``. With Buf
installed (``PROTOKIT_BUF``, ``PATH`` or ``node_modules/.bin``), the same repositories are also
checked by ``buf breaking`` and the findings must sit at the same places.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import Run, find_buf

sys.path.insert(0, str(Path(__file__).parent / "conformance"))
from breaking_diff import Case, buf_cases, parse, repository, rule_cases, run_buf  # noqa: E402

CASES = rule_cases()
RECORDED = buf_cases()


def test_every_rule_has_cases() -> None:
    from protokit.docs import implementations

    RULES = implementations("breaking")  # noqa: N806

    # The history rules need release tags: tests/test_breaking.py covers them.
    assert {case.name.split("/")[0] for case in CASES} == {r for r, rule in RULES.items() if rule.target != "history"}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_rule(protokit: Run, tmp_path: Path, case: Case) -> None:
    rule = case.name.split("/")[0]
    repo = repository(case, tmp_path)
    result = protokit("breaking", "--against", "main", "--error-format", "json", cwd=repo)
    found = parse(result.stdout)
    if case.expected == "breaking":
        assert result.returncode == 100, result.stderr
        assert found and {f[5] for f in found} == {rule}
    else:
        assert (result.returncode, found) == (0, set()), result.stdout + result.stderr
    buf = find_buf()
    if buf and case.buf:
        _, theirs = run_buf(buf, repo)
        assert theirs == found


@pytest.mark.parametrize("case", RECORDED, ids=lambda case: case.name)
def test_recorded(protokit: Run, tmp_path: Path, case: Case) -> None:
    """protokit reports exactly Buf's recorded findings (and, with Buf installed, Buf still reports them)."""
    repo = repository(case, tmp_path)
    result = protokit("breaking", "--against", "main", "--error-format", "json", cwd=repo)
    assert result.returncode == (100 if case.findings else 0), result.stderr
    assert parse(result.stdout) == case.findings
    buf = find_buf()
    if buf:
        assert run_buf(buf, repo)[1] == case.findings
