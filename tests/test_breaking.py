"""``protokit breaking``: real git repositories with two commits, directories and descriptor sets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Run, git, proto, repository, write_tree

sys.path.insert(0, str(Path(__file__).parent / "conformance"))
from breaking_diff import parse, recorded, scenarios  # noqa: E402

DATA = Path(__file__).parent / "data" / "breaking"
BASIC = DATA / "scenarios" / "basic"


def rows(output: str) -> list[tuple]:
    found = [json.loads(line) for line in output.splitlines() if line.strip()]
    return sorted(
        (r.get("path", ""), r["start_line"], r["start_column"], r["end_line"], r["end_column"], r["type"])
        for r in found
    )


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    """The ``basic`` scenario: its old tree committed, then edited in the working tree; one file deleted."""
    old = BASIC / "old" / "acme/x/v1"
    repo = repository(tmp_path, {f"acme/x/v1/{p.name}": p.read_text() for p in old.iterdir()})
    (repo / "acme/x/v1/a.proto").write_text((BASIC / "new" / "acme/x/v1/a.proto").read_text())
    (repo / "acme/x/v1/deleted.proto").unlink()
    return repo


@pytest.mark.parametrize("case", scenarios(), ids=lambda case: case.name)
def test_same_changes_at_the_same_places_as_buf(protokit: Run, tmp_path: Path, case) -> None:
    """Each scenario's findings are Buf's (recorded in its buf.jsonl)."""
    from breaking_diff import repository as case_repository

    repo = case_repository(case, tmp_path)
    result = protokit("breaking", "--against", "main", "--error-format", "json", cwd=repo)
    assert result.returncode == 100, result.stderr
    ours = parse(result.stdout)
    assert ours == recorded(case)


def test_messages_name_elements_by_full_name(protokit: Run, edited: Path) -> None:
    text = protokit("breaking", "--against", ".git#branch=main", cwd=edited).stdout
    field = 'Field "4" with name "age" on message "acme.x.v1.User"'
    assert f'acme/x/v1/a.proto:7:3:{field} changed type from "int32" to "int64".' in text
    assert '<input>:1:1:Previously present file "acme/x/v1/deleted.proto" was deleted.' in text
    assert 'Field "email" moved from 3 to 5: old data reads as another field.' in text
    assert "    fix: add a new field with the new type and deprecate the old one." in text.splitlines()


def test_working_tree_and_index_are_untouched(protokit: Run, edited: Path) -> None:
    before = git(edited, "status", "--porcelain")
    protokit("breaking", "--against", "HEAD", cwd=edited)
    assert git(edited, "status", "--porcelain") == before
    assert git(edited, "stash", "list") == ""


def test_compatible_edits_are_not_reported(protokit: Run, tmp_path: Path) -> None:
    repo = repository(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {\n  string a = 1;\n}")})
    write_tree(
        repo, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {\n  string a = 1;\n  int32 b = 2;\n}\nmessage B {}")}
    )
    git(repo, "commit", "-qam", "second")
    result = protokit("breaking", "--against", "HEAD~1", cwd=repo)
    assert (result.returncode, result.stdout) == (0, "")


def test_against_a_directory_and_a_descriptor_set(protokit: Run, edited: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    subprocess.run(
        ["git", "worktree", "add", "-q", "--detach", str(old), "main"], cwd=edited, check=True, capture_output=True
    )
    expected = rows((BASIC / "buf.jsonl").read_text())
    from_dir = protokit("breaking", "--against", old, "--error-format", "json", cwd=edited)
    assert rows(from_dir.stdout) == expected
    assert protokit("build", old, "-o", tmp_path / "old.binpb").returncode == 0
    from_image = protokit("breaking", "--against", tmp_path / "old.binpb", "--error-format", "json", cwd=edited)
    assert rows(from_image.stdout) == expected


@pytest.mark.parametrize(
    ("against", "message"),
    [
        ("mian", "unknown git ref \"mian\"; did you mean 'main'?"),
        ("--output=x", '"--output=x" is not a git ref protokit accepts'),
        ("main..HEAD", '"main..HEAD" is not a git ref protokit accepts'),
        (".git#branch=main,depth=1", 'unknown option "depth"'),
    ],
)
def test_bad_refs(protokit: Run, edited: Path, against: str, message: str) -> None:
    result = protokit("breaking", "--against", against, cwd=edited)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_not_a_git_repository(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "plain", {"acme/x/v1/a.proto": proto("acme.x.v1"), ".git": ""})
    (repo / ".git").unlink()
    result = protokit("breaking", "--against", "main", cwd=repo)
    assert result.returncode == 1 and "not inside a git repository" in result.stderr


def test_baseline_that_does_not_compile(protokit: Run, tmp_path: Path) -> None:
    repo = repository(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {\n  int32 x = 1\n}")})
    write_tree(repo, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {\n  int32 x = 1;\n}")})
    result = protokit("breaking", "--against", "main", cwd=repo)
    assert result.returncode == 1
    assert "the baseline main does not compile:" in result.stderr
    assert 'acme/x/v1/a.proto:6:1: Expected ";".' in result.stderr


def test_corrupt_descriptor_set(protokit: Run, edited: Path, tmp_path: Path) -> None:
    bad = tmp_path / "old.binpb"
    bad.write_bytes(b"\x0a\xff\xff\xff\xff\x0f garbage")
    result = protokit("breaking", "--against", bad, cwd=edited)
    assert result.returncode == 1 and "not a FileDescriptorSet" in result.stderr


def test_module_root_missing_at_the_old_ref(protokit: Run, tmp_path: Path) -> None:
    repo = repository(tmp_path, {"README.md": "nothing yet\n"})
    write_tree(repo, {"proto/acme/x/v1/a.proto": proto("acme.x.v1")})
    result = protokit("breaking", "proto", "--against", "main", cwd=repo)
    assert result.returncode == 1 and "proto: no .proto files at main" in result.stderr


def test_first_commit_has_nothing_to_compare(protokit: Run, tmp_path: Path) -> None:
    repo = repository(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}")})
    result = protokit("breaking", "--against", "HEAD~1", cwd=repo)
    assert result.returncode == 0 and "first commit; nothing to compare" in result.stderr


def test_merge_base_ignores_what_landed_on_the_branch_since(protokit: Run, tmp_path: Path) -> None:
    repo = repository(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}")})
    git(repo, "checkout", "-q", "-b", "feature")
    write_tree(repo, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}\nmessage B {}")})
    git(repo, "commit", "-qam", "feature adds B")
    git(repo, "checkout", "-q", "main")
    write_tree(repo, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}\nmessage C {}")})
    git(repo, "commit", "-qam", "main adds C")
    git(repo, "checkout", "-q", "feature")
    tip = protokit("breaking", "--against", "main", cwd=repo)
    assert tip.returncode == 100 and '"acme.x.v1.C" was deleted' in tip.stdout
    base = protokit("breaking", "--against-merge-base", "main", cwd=repo)
    assert (base.returncode, base.stdout) == (0, "")


def test_list_rules_and_explain_come_from_the_catalog(protokit: Run) -> None:
    from protokit.docs import implementations

    listed = json.loads(protokit("breaking", "--list-rules", "--format", "json").stdout)
    assert len(listed) == 67  # the 65 of buf.yaml v2 (one of them deprecated) and protokit's two history rules
    assert {r["id"] for r in listed if r["implemented"]} == set(implementations("breaking"))
    explained = protokit("explain", "field_same_type")
    assert explained.returncode == 0 and "Fix: add a new field" in explained.stdout


def test_readme_breaking_rule_table_is_the_catalogs() -> None:
    from protokit.docs import rules_markdown

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    table = readme.split("<!-- breaking-rules:start", 1)[1].split("-->", 1)[1].split("<!-- breaking-rules:end -->")[0]
    assert table.strip() == rules_markdown("breaking")


def test_shallow_clone_without_the_ref_says_how_to_fetch(protokit: Run, tmp_path: Path) -> None:
    origin = repository(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}")})
    write_tree(origin, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}\nmessage B {}")})
    git(origin, "commit", "-qam", "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    result = protokit("breaking", "--against", "HEAD~1", cwd=clone)
    assert result.returncode == 1
    assert "shallow clone" in result.stderr and "fetch-depth: 0" in result.stderr
    assert "git fetch origin HEAD~1" in result.stderr


def test_a_file_moved_to_another_directory_is_a_deleted_file(protokit: Run, tmp_path: Path) -> None:
    repo = repository(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}")})
    git(repo, "mv", "acme/x/v1/a.proto", "acme/x/v1/b.proto")
    result = protokit("breaking", "--against", "main", cwd=repo)
    assert result.returncode == 100
    assert result.stdout.splitlines()[0] == '<input>:1:1:Previously present file "acme/x/v1/a.proto" was deleted.'


def test_changed_option_values_are_quoted_unambiguously(protokit: Run, tmp_path: Path) -> None:
    """Values holding quotes, backslashes or control characters are shown Go-quoted, as Buf shows them."""
    body = 'option php_namespace = "Acme\\\\X";\noption go_package = "x\\"y";'
    repo = repository(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", body)})
    write_tree(repo, {"acme/x/v1/a.proto": proto("acme.x.v1", body.replace("X", "Y").replace("y", "z\\t"))})
    result = protokit("breaking", "--against", "main", cwd=repo)
    assert result.returncode == 100
    messages = [line.split(":", 3)[3] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert sorted(messages) == [
        'File "acme/x/v1/a.proto" changed option "go_package" from "x\\"y" to "x\\"z\\t".',
        'File "acme/x/v1/a.proto" changed option "php_namespace" from "Acme\\\\X" to "Acme\\\\Y".',
    ]


def test_unstable_packages_can_be_ignored(protokit: Run, tmp_path: Path) -> None:
    files = {"acme/x/v1beta1/a.proto": proto("acme.x.v1beta1", "message A {}")}
    repo = repository(tmp_path, {**files, "protokit.yaml": "breaking:\n  ignore_unstable_packages: true\n"})
    write_tree(repo, {"acme/x/v1beta1/a.proto": proto("acme.x.v1beta1", "message Renamed {}")})
    assert protokit("breaking", "--against", "main", cwd=repo).returncode == 0
    write_tree(repo, {"protokit.yaml": "version: v1\n"})
    assert protokit("breaking", "--against", "main", cwd=repo).returncode == 100


def test_a_repeated_comparison_is_cached_and_never_stale(protokit: Run, tmp_path: Path, cache_dir: Path) -> None:
    """The second run against the same ref is served from the run cache (same output); any edit of the
    working tree or of the ref's files gives a new comparison."""
    repo = repository(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {\n  string a = 1;\n}")})
    write_tree(repo, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {\n}")})
    first = protokit("breaking", "--against", "main", "--error-format", "json", cwd=repo)
    assert rows(first.stdout) == [("acme/x/v1/a.proto", 4, 1, 5, 2, "FIELD_NO_DELETE")]
    assert list((cache_dir / "protokit" / "breaking-runs").rglob("*"))
    again = protokit("breaking", "--against", "main", "--error-format", "json", cwd=repo)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)
    write_tree(repo, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {\n  reserved 1;\n}")})
    edited = protokit("breaking", "--against", "main", "--error-format", "json", cwd=repo)
    assert rows(edited.stdout) == [("acme/x/v1/a.proto", 4, 1, 6, 2, "FIELD_NO_DELETE")]
    git(repo, "commit", "-qam", "reserve")
    assert protokit("breaking", "--against", "main", cwd=repo).returncode == 0


def test_imported_files_are_compared_unless_excluded(protokit: Run, tmp_path: Path) -> None:
    """As in Buf, files imported from outside the module (here a well-known type) take part in the comparison:
    no longer importing one deletes its file and, with it, its package; --exclude-imports leaves them out."""
    old = 'syntax = "proto3";\npackage a.v1;\nimport "google/protobuf/duration.proto";\n'
    old += "message M {\n  google.protobuf.Duration d = 1;\n}\n"
    new = 'syntax = "proto3";\npackage a.v1;\nmessage M {\n  reserved 1;\n}\n'
    config = "version: v2\nbreaking:\n  use: [FILE, PACKAGE]\n"
    repo = repository(tmp_path, {"buf.yaml": config, "a/v1/m.proto": old})
    write_tree(repo, {"a/v1/m.proto": new})
    result = protokit("breaking", "--against", "main", "--error-format", "json", cwd=repo)
    # buf breaking --against .git#branch=main gives these three rows (Buf 1.75)
    assert rows(result.stdout) == [
        ("", 1, 1, 1, 1, "FILE_NO_DELETE"),
        ("", 1, 1, 1, 1, "PACKAGE_NO_DELETE"),
        ("a/v1/m.proto", 3, 1, 5, 2, "FIELD_NO_DELETE"),
    ]
    assert "google/protobuf/duration.proto" in result.stdout
    excluded = protokit("breaking", "--against", "main", "--exclude-imports", "--error-format", "json", cwd=repo)
    assert rows(excluded.stdout) == [("a/v1/m.proto", 3, 1, 5, 2, "FIELD_NO_DELETE")]


def test_enum_from_closed_to_open_matches_buf(protokit: Run, tmp_path: Path) -> None:
    body = "enum E { E_UNSPECIFIED = 0; }\nmessage M { optional E e = 1; }\n"
    config = "version: v2\nbreaking:\n  use: [FILE]\n  except: [FILE_SAME_SYNTAX]\n"
    repo = repository(tmp_path, {"buf.yaml": config, "a/v1/m.proto": 'syntax = "proto2";\npackage a.v1;\n' + body})
    write_tree(repo, {"a/v1/m.proto": 'syntax = "proto3";\npackage a.v1;\n' + body})
    result = protokit("breaking", "--against", "main", "--error-format", "json", cwd=repo)
    assert result.returncode == 100
    # buf breaking: {"path":"a/v1/m.proto","start_line":3,"start_column":1,"end_line":3,"end_column":30,
    #                "type":"ENUM_SAME_TYPE","message":"Enum \"E\" changed from closed to open."}
    assert rows(result.stdout) == [("a/v1/m.proto", 3, 1, 3, 30, "ENUM_SAME_TYPE")]
    assert json.loads(result.stdout)["message"] == 'Enum "a.v1.E" changed from closed to open.'


def _release(repo: Path, tag: str, files: dict[str, str]) -> None:
    write_tree(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", tag)
    git(repo, "tag", tag)


USER = "message User {{\n{}\n}}"


def test_against_tags_finds_a_number_reused_after_an_older_release(protokit: Run, tmp_path: Path) -> None:
    """v1 has field 3 "email"; v2 deletes it (unreserved); the working tree gives 3 to "phone"."""
    path = "acme/x/v1/u.proto"
    enum = "enum Kind {{\n{}\n}}"
    repo = repository(tmp_path, {path: proto("acme.x.v1", USER.format("  string name = 1;"))})
    _release(
        repo,
        "v1.0.0",
        {
            path: proto(
                "acme.x.v1",
                USER.format("  string name = 1;\n  string email = 3;")
                + "\n"
                + enum.format("  KIND_UNSPECIFIED = 0;\n  KIND_A = 1;"),
            )
        },
    )
    _release(
        repo,
        "v2.0.0",
        {path: proto("acme.x.v1", USER.format("  string name = 1;") + "\n" + enum.format("  KIND_UNSPECIFIED = 0;"))},
    )
    git(repo, "tag", "not-a-release")
    write_tree(
        repo,
        {
            path: proto(
                "acme.x.v1",
                USER.format("  string name = 1;\n  string phone = 3;")
                + "\n"
                + enum.format("  KIND_UNSPECIFIED = 0;\n  KIND_B = 1;"),
            )
        },
    )
    single = protokit("breaking", "--against", "v2.0.0", cwd=repo)
    assert (single.returncode, single.stdout) == (0, "")  # the last release alone sees two additions
    result = protokit("breaking", "--against-tags", "v*", "--error-format", "json", cwd=repo)
    assert result.returncode == 100, result.stderr
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(f["type"], f["start_line"]) for f in found] == [
        ("FIELD_NUMBER_REUSED", 6),
        ("ENUM_VALUE_NUMBER_REUSED", 10),
    ]
    assert 'which release "v1.0.0" gave to field "email" of type "string"' in found[0]["message"]
    assert 'which release "v1.0.0" gave to "KIND_A"' in found[1]["message"]
    # The same name and type coming back is not a reuse; nor is a reuse that a release already shipped.
    write_tree(
        repo,
        {
            path: proto(
                "acme.x.v1",
                USER.format("  string name = 1;\n  string email = 3;")
                + "\n"
                + enum.format("  KIND_UNSPECIFIED = 0;\n  KIND_A = 1;"),
            )
        },
    )
    assert protokit("breaking", "--against-tags", "v*", cwd=repo).returncode == 0
    again = protokit("breaking", "--against-tags", "v*", "--error-format", "json", cwd=repo)
    assert again.returncode == 0  # second run: releases come from the cache by tree


def test_against_tags_is_cached_by_its_tags_and_never_stale(protokit: Run, tmp_path: Path, cache_dir: Path) -> None:
    """A repeated --against-tags run is served from the run cache (same output); a tag added, moved or deleted
    gives a new comparison."""
    path = "acme/x/v1/u.proto"
    repo = repository(tmp_path, {path: proto("acme.x.v1", USER.format("  string name = 1;"))})
    _release(repo, "v1.0.0", {path: proto("acme.x.v1", USER.format("  string name = 1;\n  string email = 3;"))})
    _release(repo, "v2.0.0", {path: proto("acme.x.v1", USER.format("  string name = 1;"))})
    write_tree(repo, {path: proto("acme.x.v1", USER.format("  string name = 1;\n  string phone = 3;"))})
    runs = cache_dir / "protokit" / "breaking-runs"
    first = protokit("breaking", "--against-tags", "v*", "--error-format", "json", cwd=repo)
    assert first.returncode == 100 and "FIELD_NUMBER_REUSED" in first.stdout
    recorded = {p: p.stat().st_mtime_ns for p in runs.rglob("*") if p.is_file()}
    assert recorded
    again = protokit("breaking", "--against-tags", "v*", "--error-format", "json", cwd=repo)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)
    assert {p: p.stat().st_mtime_ns for p in runs.rglob("*") if p.is_file()} == recorded  # recalled, not redone
    git(repo, "tag", "-d", "v1.0.0")
    assert protokit("breaking", "--against-tags", "v*", cwd=repo).returncode == 0  # email=3 is no release's now


def test_a_release_that_no_longer_builds_is_left_out_with_a_warning_every_time(protokit: Run, tmp_path: Path) -> None:
    path = "acme/x/v1/u.proto"
    repo = repository(tmp_path, {path: proto("acme.x.v1", USER.format("  string name = 1;"))})
    _release(repo, "v1.0.0", {path: proto("acme.x.v1", USER.format("  string name = 1;\n  strin email = 3;"))})
    _release(repo, "v2.0.0", {path: proto("acme.x.v1", USER.format("  string name = 1;"))})
    write_tree(repo, {path: proto("acme.x.v1", USER.format("  string name = 1;\n  string phone = 3;"))})
    for _ in range(2):  # the second run comes from the run cache, with the warning
        result = protokit("breaking", "--against-tags", "v*", cwd=repo)
        assert result.returncode == 0, result.stderr
        assert "warning: release v1.0.0 skipped in the history check: " in result.stderr
        assert 'compile:\nacme/x/v1/u.proto:6:3: "strin" is not defined.' in result.stderr  # no temp dir shown


def test_against_tags_without_releases(protokit: Run, tmp_path: Path) -> None:
    repo = repository(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}")})
    none_yet = protokit("breaking", "--against-tags", "v*", cwd=repo)
    assert none_yet.returncode == 0 and 'no tag matches "v*" yet; nothing to compare' in none_yet.stderr
    git(repo, "tag", "release-1")
    typo = protokit("breaking", "--against-tags", "v*", cwd=repo)
    assert typo.returncode == 1 and "no tag matches \"v*\"; tags here include 'release-1'" in typo.stderr


def test_against_config_describes_the_old_layout(protokit: Run, tmp_path: Path) -> None:
    """The old side kept its protos under proto/; the new one moved them to the top, changing the config."""
    body = proto("acme.x.v1", "message A {\n  string a = 1;\n}")
    repo = repository(
        tmp_path, {"buf.yaml": "version: v2\nmodules:\n  - path: proto\n", "proto/acme/x/v1/a.proto": body}
    )
    git(repo, "rm", "-q", "-r", "proto", "buf.yaml")
    write_tree(
        repo, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {\n  int64 a = 1;\n}"), "buf.yaml": "version: v2\n"}
    )
    old_config = write_tree(tmp_path / "old", {"buf.yaml": "version: v2\nmodules:\n  - path: proto\n"})
    result = protokit("breaking", "--against", "main", "--against-config", old_config / "buf.yaml", cwd=repo)
    assert result.returncode == 100 and 'changed type from "string" to "int64"' in result.stdout
    missing = protokit("breaking", "--against", "main", "--against-config", tmp_path / "nope.yaml", cwd=repo)
    assert missing.returncode == 1 and "--against-config names no file" in missing.stderr


def test_each_module_uses_its_own_breaking_config(protokit: Run, tmp_path: Path) -> None:
    config = (
        "version: v2\nmodules:\n  - path: strict\n    breaking:\n      use: [FILE]\n"
        "  - path: loose\n    breaking:\n      use: [WIRE]\n"
    )
    before = proto("acme.PKG.v1", "message M {\n  int32 a = 1;\n}")
    after = proto("acme.PKG.v1", "message M {\n  int64 a = 1;\n}")
    repo = repository(
        tmp_path,
        {
            "buf.yaml": config,
            "strict/acme/s/v1/m.proto": before.replace("PKG", "s"),
            "loose/acme/l/v1/m.proto": before.replace("PKG", "l"),
        },
    )
    write_tree(
        repo,
        {"strict/acme/s/v1/m.proto": after.replace("PKG", "s"), "loose/acme/l/v1/m.proto": after.replace("PKG", "l")},
    )
    result = protokit("breaking", "--against", "main", "--error-format", "json", cwd=repo)
    found = [(json.loads(line)["path"], json.loads(line)["type"]) for line in result.stdout.splitlines()]
    assert found == [("strict/acme/s/v1/m.proto", "FIELD_SAME_TYPE")]  # int32 -> int64 is wire-compatible


def test_a_synthetic_release_history(protokit: Run, tmp_path: Path) -> None:
    """The benchmark's history: the number reused after the last release is found only with --against-tags."""
    from conftest import synthetic_history

    repo = synthetic_history(tmp_path)
    single = protokit("breaking", "--against", "HEAD~1", "--error-format", "json", cwd=repo)
    tags = protokit("breaking", "--against-tags", "v*", "--error-format", "json", cwd=repo)
    assert single.returncode == tags.returncode == 100, single.stderr + tags.stderr
    reused = {f for f in parse(tags.stdout) if f[5] == "FIELD_NUMBER_REUSED"}
    assert len(reused) == 1
    assert parse(tags.stdout) - reused == parse(single.stdout)
    cached = protokit("breaking", "--against-tags", "v*", "--error-format", "json", cwd=repo)
    assert parse(cached.stdout) == parse(tags.stdout)  # the releases now come from the cache, by tree
