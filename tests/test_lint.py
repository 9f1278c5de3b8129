"""``protokit lint``: Buf's findings on a corpus that trips every rule, ignores, paths and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CONTRACTS, Run, proto, run_in_terminal, write_tree

from protokit.catalog import LINT_RULES
from protokit.docs import implementations
from protokit.includes import PROTOVALIDATE_ROOT

RULES = implementations("lint")

BAD = Path(__file__).parent / "data" / "lint" / "bad"
EXPECTED = Path(__file__).parent / "data" / "lint" / "bad.expected.jsonl"  # written by `buf lint --error-format json`
VALIDATE_EXPECTED = EXPECTED.with_name("validate.expected.jsonl")


def findings(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def key(row: dict) -> tuple:
    return (row["path"], row["start_line"], row["start_column"], row["type"], row["message"])


@pytest.fixture
def bad_tree(tmp_path: Path) -> Path:
    return Path(shutil.copytree(BAD, tmp_path / "bad"))


@pytest.mark.parametrize("corpus", ["bad", "edge", "rpc", "validate", "quoting"])
def test_same_json_lines_as_buf(protokit: Run, tmp_path: Path, corpus: str) -> None:
    """``bad`` trips every rule; ``edge`` holds groups, extensions, editions, ignores on packages and imports;
    ``rpc`` holds shared and Empty request and response types under Buf's allowances, and odd file names;
    ``validate`` holds protovalidate rules of each kind of PROTOVALIDATE finding, beside a ``vendor`` module
    with validate.proto (as Buf needs it); ``quoting`` holds option values that Go's ``%q`` escapes and its JSON
    encoder escapes again (``<``, ``>``, ``&``).  The expected files are ``buf lint --error-format json``'s own
    lines: byte for byte the same."""
    data = Path(__file__).parent / "data" / "lint"
    tree = shutil.copytree(data / corpus, tmp_path / corpus)
    if corpus == "validate":
        vendor = tree / "vendor" / "buf" / "validate"
        vendor.mkdir(parents=True)
        shutil.copy(PROTOVALIDATE_ROOT / "buf" / "validate" / "validate.proto", vendor)
    result = protokit("lint", "--error-format", "json", cwd=tree)
    assert result.returncode == 100, result.stderr
    assert result.stdout == (data / f"{corpus}.expected.jsonl").read_text()


def test_the_corpus_trips_every_implemented_rule() -> None:
    tripped = {row["type"] for row in findings(EXPECTED.read_text() + VALIDATE_EXPECTED.read_text())}
    assert set(RULES) == {rule_id for rule_id, spec in LINT_RULES.items() if spec.status == "stable"}
    assert {rule_id for rule_id in RULES if LINT_RULES[rule_id].exists_in("v2")} - tripped == set()


def test_contracts_are_clean(protokit: Run) -> None:
    result = protokit("lint", CONTRACTS)
    assert (result.returncode, result.stdout) == (0, "")


def test_text_format_is_bufs_line_and_show_rule_adds_the_id(protokit: Run, bad_tree: Path) -> None:
    result = protokit("lint", "foo/baz", cwd=bad_tree)
    assert result.stdout.splitlines()[0] == (
        'foo/baz/NotSnake.proto:1:1:Filename "NotSnake.proto" should be lower_snake_case.proto, '
        'such as "not_snake.proto".'
    )
    shown = protokit("lint", "foo/baz", "--show-rule", cwd=bad_tree)
    assert shown.stdout.splitlines()[0].endswith(" (FILE_LOWER_SNAKE_CASE)")


def test_files_given_by_path_are_judged_with_the_whole_module_in_view(protokit: Run, bad_tree: Path) -> None:
    files = ["pkg/y/v1/y2.proto", "foo/bar/v1/other.proto"]
    result = protokit("lint", *files, "--error-format", "json", cwd=bad_tree)
    expected = [r for r in findings(EXPECTED.read_text()) if r["path"] in files]
    assert sorted(findings(result.stdout), key=key) == sorted(expected, key=key)
    assert any(r["type"] == "PACKAGE_SAME_DIRECTORY" for r in expected)  # needs the other package's file


def test_github_actions_format(protokit: Run, bad_tree: Path) -> None:
    result = protokit("lint", "foo/baz", "--error-format", "github-actions", cwd=bad_tree)
    assert result.stdout.splitlines()[0] == (
        "::error file=foo/baz/NotSnake.proto,line=1,col=1,endLine=1,endColumn=1,title=FILE_LOWER_SNAKE_CASE::"
        'Filename "NotSnake.proto" should be lower_snake_case.proto, such as "not_snake.proto".'
    )


LAX = proto("acme.x.v1", "message thing {\n  string Name = 1;\n}")


def lint_types(protokit: Run, root: Path) -> list[str]:
    result = protokit("lint", "--error-format", "json", cwd=root)
    assert result.returncode in (0, 100), result.stderr
    return sorted(r["type"] for r in findings(result.stdout))


def test_use_except_ignore_and_ignore_only(protokit: Run, tmp_path: Path) -> None:
    files = {"acme/x/v1/a.proto": LAX, "acme/x/v1/b.proto": LAX.replace("thing", "other")}
    config = "version: v1\nlint:\n  use: [BASIC]\n"
    root = write_tree(tmp_path / "r", {**files, "protokit.yaml": config})
    assert lint_types(protokit, root) == ["FIELD_LOWER_SNAKE_CASE"] * 2 + ["MESSAGE_PASCAL_CASE"] * 2
    write_tree(root, {"protokit.yaml": config + "  except: [FIELD_LOWER_SNAKE_CASE]\n"})
    assert lint_types(protokit, root) == ["MESSAGE_PASCAL_CASE"] * 2
    write_tree(root, {"protokit.yaml": config + "  ignore: [acme/x/v1/a.proto]\n"})
    assert lint_types(protokit, root) == ["FIELD_LOWER_SNAKE_CASE", "MESSAGE_PASCAL_CASE"]
    write_tree(root, {"protokit.yaml": config + "  ignore_only:\n    BASIC: [acme/x/v1/b.proto]\n"})
    assert lint_types(protokit, root) == ["FIELD_LOWER_SNAKE_CASE", "MESSAGE_PASCAL_CASE"]


def test_protokit_comment_ignores_and_disallowing_them(protokit: Run, tmp_path: Path) -> None:
    body = (
        "// protokit:lint:ignore MESSAGE_PASCAL_CASE\nmessage thing {\n"
        "  // buf:lint:ignore FIELD_LOWER_SNAKE_CASE\n  string Name = 1;\n}"
    )
    root = write_tree(
        tmp_path / "r", {"acme/x/v1/a.proto": proto("acme.x.v1", body), "protokit.yaml": "lint:\n  use: [BASIC]\n"}
    )
    assert lint_types(protokit, root) == []
    write_tree(root, {"protokit.yaml": "lint:\n  use: [BASIC]\n  disallow_comment_ignores: true\n"})
    assert lint_types(protokit, root) == ["FIELD_LOWER_SNAKE_CASE", "MESSAGE_PASCAL_CASE"]


def test_options_rename_suffixes(protokit: Run, tmp_path: Path) -> None:
    body = "// S.\nservice OrderApi {}\n// E.\nenum Kind {\n  // z.\n  KIND_NONE = 0;\n}"
    config = "lint:\n  use: [SERVICE_SUFFIX, ENUM_ZERO_VALUE_SUFFIX]\n"
    config += "  service_suffix: Api\n  enum_zero_value_suffix: _NONE\n"
    root = write_tree(tmp_path / "r", {"acme/x/v1/a.proto": proto("acme.x.v1", body), "protokit.yaml": config})
    assert lint_types(protokit, root) == []


def test_a_configuration_without_rules_runs_and_says_so(protokit: Run, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "r", {"acme/x/v1/a.proto": LAX, "protokit.yaml": "lint:\n  disable_builtin: true\n"})
    result = protokit("lint", cwd=root)
    assert (result.returncode, result.stdout) == (0, "")
    assert "enables no lint rule" in result.stderr


def test_use_all_excepted_is_an_error_as_in_buf(protokit: Run, tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "r", {"acme/x/v1/a.proto": LAX, "protokit.yaml": "lint:\n  use: [MINIMAL]\n  except: [MINIMAL]\n"}
    )
    result = protokit("lint", cwd=root)
    assert result.returncode == 1 and "selects no rule" in result.stderr


def test_a_path_outside_every_module_is_an_error(protokit: Run, tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "r",
        {"protokit.yaml": "modules:\n  - path: proto\n", "proto/acme/x/v1/a.proto": LAX, "other/b.proto": LAX},
    )
    result = protokit("lint", "other/b.proto", cwd=root)
    assert result.returncode == 1 and "not inside any module root (roots: proto)" in result.stderr


def test_list_rules_and_explain_come_from_the_catalog(protokit: Run) -> None:
    table = protokit("lint", "--list-rules")
    assert table.returncode == 0 and "ENUM_VALUE_PREFIX" in table.stdout
    rows = json.loads(protokit("lint", "--list-rules", "--format", "json").stdout)
    assert {r["id"] for r in rows if r["implemented"]} == {i for i in RULES if LINT_RULES[i].exists_in("v2")}
    explained = protokit("explain", "ENUM_VALUE_PREFIX")
    assert explained.returncode == 0 and "Bad:" in explained.stdout and "Good:" in explained.stdout
    unknown = protokit("explain", "ENUM_VALUE_PREFX")
    assert unknown.returncode == 1 and 'did you mean "ENUM_VALUE_PREFIX"?' in unknown.stderr


def test_sarif_has_one_rule_per_id_with_help_and_results_with_regions(protokit: Run, bad_tree: Path) -> None:
    result = protokit("lint", "foo/baz", "--error-format", "sarif", cwd=bad_tree)
    assert result.returncode == 100
    document = json.loads(result.stdout)
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules) and all(r["help"]["text"] for r in rules)
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "FILE_LOWER_SNAKE_CASE"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}


def test_junit_and_gitlab_code_quality(protokit: Run, bad_tree: Path) -> None:
    import xml.etree.ElementTree as ET

    junit = ET.fromstring(protokit("lint", "foo/baz", "--error-format", "junit", cwd=bad_tree).stdout)
    (suite,) = junit.findall("testsuite")
    assert suite.get("name") == "foo/baz/NotSnake.proto" and len(suite.findall("testcase/failure")) == 3
    gitlab = json.loads(protokit("lint", "foo/baz", "--error-format", "gitlab-code-quality", cwd=bad_tree).stdout)
    assert len(gitlab) == 3 and len({issue["fingerprint"] for issue in gitlab}) == 3
    assert gitlab[0]["location"]["path"] == "foo/baz/NotSnake.proto"


def test_config_ignore_yaml_baselines_todays_findings(protokit: Run, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "r", {"acme/x/v1/a.proto": LAX, "protokit.yaml": "version: v1\n"})
    baseline = protokit("lint", "--error-format", "config-ignore-yaml", cwd=root)
    assert baseline.returncode == 100
    assert "    MESSAGE_PASCAL_CASE:\n      - acme/x/v1/a.proto" in baseline.stdout
    write_tree(root, {"protokit.yaml": "version: v1\n" + baseline.stdout})
    assert protokit("lint", cwd=root).returncode == 0
    write_tree(root, {"acme/x/v1/b.proto": LAX.replace("thing", "fresh")})  # a new file is still checked
    assert lint_types(protokit, root).count("MESSAGE_PASCAL_CASE") == 1


STALE = """\
syntax = "proto3";

package acme.x.v1;

// A thing.
// buf:lint:ignore MESSAGE_PASCAL_CASE
// buf:lint:ignore FIELD_LOWER_SNAKE_CAS
message Thing {}
"""


def test_ignores_that_silence_nothing_are_warnings_or_findings(protokit: Run, tmp_path: Path) -> None:
    config = "version: v1\nlint:\n  ignore_only:\n    ENUM_PASCAL_CASE: [acme/x/v1/a.proto]\n"
    root = write_tree(tmp_path / "r", {"acme/x/v1/a.proto": STALE, "protokit.yaml": config})
    relaxed = protokit("lint", cwd=root)
    assert (relaxed.returncode, relaxed.stdout) == (0, "")
    assert "acme/x/v1/a.proto:8:1: warning: comment ignore of MESSAGE_PASCAL_CASE silences nothing" in relaxed.stderr
    assert 'unknown rule "FIELD_LOWER_SNAKE_CAS"; did you mean "FIELD_LOWER_SNAKE_CASE"?' in relaxed.stderr
    assert (
        "protokit.yaml: warning: ignore_only ENUM_PASCAL_CASE for acme/x/v1/a.proto silences nothing" in relaxed.stderr
    )
    strict = protokit("lint", "--error-on-unused-ignores", cwd=root)
    assert strict.returncode == 100
    assert strict.stdout.splitlines() == [
        "acme/x/v1/a.proto:8:1:comment ignore of MESSAGE_PASCAL_CASE silences nothing; remove it",
        "protokit.yaml:ignore_only ENUM_PASCAL_CASE for acme/x/v1/a.proto silences nothing; remove it",
    ]


def test_readme_rule_table_is_the_catalogs() -> None:
    from protokit.docs import rules_markdown

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    table = readme.split("<!-- rules:start", 1)[1].split("-->", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert table.strip() == rules_markdown("lint")


def test_a_tree_that_follows_every_rule_has_no_finding(protokit: Run, tmp_path: Path) -> None:
    """Passing cases of every rule: STANDARD (PROTOVALIDATE included), COMMENTS, UNARY_RPC and
    STABLE_PACKAGE_NO_IMPORT_UNSTABLE."""
    good = shutil.copytree(Path(__file__).parent / "data" / "lint" / "good", tmp_path / "good")
    result = protokit("lint", cwd=good)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_colour_terminal_shows_the_rule_id(tmp_path: Path) -> None:
    import os
    import sys

    root = write_tree(tmp_path / "r", {"acme/x/v1/a.proto": LAX, "protokit.yaml": "lint:\n  use: [BASIC]\n"})
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"XDG_CACHE_HOME": str(tmp_path / "c")}
    code, output = run_in_terminal([sys.executable, "-m", "protokit", "lint"], root, env, stream="stdout")
    assert code == 100
    assert "\x1b[" in output and "(MESSAGE_PASCAL_CASE)" in output
