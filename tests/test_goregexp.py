"""``go_regexp_error`` against Go's own texts: a table measured with buf, and a differential run of buf itself."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, find_buf

from protokit.validate.goregexp import go_regexp_error

PREFIX = "error parsing regexp: "

# Each expectation was measured with buf 1.75.0 (PROTOVALIDATE on a string.pattern).
TABLE: list[tuple[str, str | None]] = [
    ("(abc", "missing closing ): `(abc`"),
    ("a**", "invalid nested repetition operator: `**`"),
    ("[z-a]", "invalid character class range: `z-a`"),
    (r"\p{Foo}", r"invalid character class range: `\p{Foo}`"),
    ("(?<name>x)(?=y)", "invalid or unsupported Perl syntax: `(?=`"),
    (r"\8", r"invalid escape sequence: `\8`"),
    ("a{1001}", "invalid repeat count: `{1001}`"),
    ("x)", "unexpected ): `x)`"),
    ("[a", "missing closing ]: `[a`"),
    ("*", "missing argument to repetition operator: `*`"),
    ("a{2,1}", "invalid repeat count: `{2,1}`"),
    ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
    ("a+?+", "invalid nested repetition operator: `+?+`"),
    ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
    ("x{2,99999999999}", "invalid repeat count: `{2,99999999999}`"),
    ("(a{500}){3}", "invalid repeat count: `{3}`"),
    ("(?:(?:a{10}){10}){11}", "invalid repeat count: `{11}`"),
    ("{1}", "missing argument to repetition operator: `{1}`"),
    ("(|*)", "missing argument to repetition operator: `*`"),
    (r"\p{Zzzz}", r"invalid character class range: `\p{Zzzz}`"),
    (r"\p{Han", r"invalid character class range: `\p{Han`"),
    (r"\p", r"invalid character class range: `\p`"),
    (r"\C", r"invalid escape sequence: `\C`"),
    ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
    ("[[:alpha:]", "missing closing ]: `[[:alpha:]`"),
    ("(?P<>a)", "invalid named capture: `(?P<>`"),
    ("(?P<a", "invalid named capture: `(?P<a`"),
    ("(?<a-b>x)", "invalid named capture: `(?<a-b>`"),
    ("(?P=n)", "invalid or unsupported Perl syntax: `(?P`"),
    ("(?'n'x)", "invalid or unsupported Perl syntax: `(?'`"),
    ("(?i-)", "invalid or unsupported Perl syntax: `(?i-)`"),
    ("(?--i)", "invalid or unsupported Perl syntax: `(?--`"),
    (r"\x{110000}", r"invalid escape sequence: `\x{110000`"),
    (r"\x{}", r"invalid escape sequence: `\x{}`"),
    (r"\xZZ", r"invalid escape sequence: `\xZZ`"),
    (r"\x1", r"invalid escape sequence: `\x1`"),
    (r"\18", r"invalid escape sequence: `\1`"),
    (r"\q", r"invalid escape sequence: `\q`"),
    ("p-((z[\\:1[", "missing closing ]: `[\\:1[`"),
    ("<saQ)z)*9s", "unexpected ): `<saQ)z)*9s`"),
    ("a\\", "trailing backslash at end of expression: ``"),
    ("(" * 1000 + "a" + ")" * 1000, "expression nests too deeply: `" + "(" * 1000 + "a" + ")" * 1000 + "`"),
    ("x{1000}" * 3356, "expression too large: `" + "x{1000}" * 3356 + "`"),
    (r"\Q...\E", None),
    (r"\z", None),
    ("(?P<n>a)(?P<n>b)", None),
    ("(?<name>x)", None),
    ("(?i)abc", None),
    ("[[:alpha:]]", None),
    (r"\pL", None),
    (r"\p{Greek}", None),
    (r"\p{old italic}", None),
    (r"\p{Lowercase_Letter}", None),
    ("a{2,}", None),
    ("x*?", None),
    ("héllo wörld ☃", None),
    ("a{1000}", None),
    ("(?:(?:a{10}){10}){10}", None),
    ("(?i-s:x)", None),
    (r"\08", None),
    ("(" * 999 + "a" + ")" * 999, None),
    ("x{1000}" * 3355, None),
]


@pytest.mark.parametrize(("pattern", "expected"), TABLE)
def test_go_regexp_error_table(pattern: str, expected: str | None) -> None:
    assert go_regexp_error(pattern) == (None if expected is None else PREFIX + expected)


ALPHABET = "()[]{}*+?|\\^$.-,:=!<>PpQEdwsbBazAZ019"
FINDING = re.compile(
    r'Field "f(\d+)" has a \(buf\.validate\.field\)\.string\.pattern that fails to compile: (.*)\.', re.S
)


def random_patterns(count: int, seed: int) -> list[str]:
    """Short random strings of regexp metacharacters and escape letters."""
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def proto_string(text: str) -> str:
    """``text`` as a protobuf string literal body (patterns here are printable ASCII)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def buf_pattern_errors(buf: str, patterns: list[str], workdir: Path) -> list[str | None]:
    """Go's error text for each pattern, as buf lint's PROTOVALIDATE rule reports it."""
    (workdir / "buf.yaml").write_text("version: v2\nlint:\n  use: [PROTOVALIDATE]\n")
    (workdir / "buf/validate").mkdir(parents=True)
    shutil.copy(REPO / "protokit/validate/proto/buf/validate/validate.proto", workdir / "buf/validate/validate.proto")
    fields = "".join(
        f'  string f{i} = {i + 1} [(buf.validate.field).string.pattern = "{proto_string(p)}"];\n'
        for i, p in enumerate(patterns)
    )
    header = 'syntax = "proto3";\npackage a;\nimport "buf/validate/validate.proto";\n'
    (workdir / "a.proto").write_text(f"{header}message M {{\n{fields}}}\n")
    result = subprocess.run(
        [buf, "lint", "--error-format", "json"], cwd=workdir, capture_output=True, text=True, timeout=120
    )
    errors: list[str | None] = [None] * len(patterns)
    for line in result.stdout.splitlines():
        match = FINDING.fullmatch(json.loads(line)["message"])
        assert match, line
        errors[int(match.group(1))] = match.group(2)
    return errors


@pytest.mark.skipif(find_buf() is None, reason="buf is not installed")
def test_go_regexp_error_matches_buf(tmp_path: Path) -> None:
    patterns = random_patterns(200, seed=20240601)
    expected = buf_pattern_errors(str(find_buf()), patterns, tmp_path)
    assert any(error is not None for error in expected) and any(error is None for error in expected)
    mismatches = [
        (pattern, want, got)
        for pattern, want in zip(patterns, expected, strict=True)
        if (got := go_regexp_error(pattern)) != want
    ]
    assert mismatches == []
