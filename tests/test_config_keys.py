"""buf.yaml keys with Buf's exact meaning: v2 ``modules[].includes``, v2 ``policies`` (local
buf.policy.yaml files), ``disable_builtin`` in every version and the comment-ignore keys of each version.

Each case holds the output buf 1.75 gave for the same tree, so the tests run without buf; where
buf is installed (``$PROTOKIT_BUF``, see conftest.find_buf) it is run too and must still agree.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import Run, find_buf, write_tree

from protokit.config import find_config, load_config
from protokit.diagnostics import ProtokitError
from protokit.workspace import open_workspace

BUF = find_buf()


def bad_message(package: str) -> str:
    """A file with one message that breaks MESSAGE_PASCAL_CASE (and has no comment)."""
    return f'syntax = "proto3";\npackage {package};\nmessage bad_name {{}}\n'


def run_buf(*args: str, cwd: Path) -> list[dict[str, object]]:
    """buf's JSON findings for ``args`` run in ``cwd``."""
    assert BUF is not None
    done = subprocess.run([BUF, *args, "--error-format", "json"], cwd=cwd, capture_output=True, text=True)
    assert done.returncode in (0, 100), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def run_protokit(protokit: Run, *args: str, cwd: Path) -> list[dict[str, object]]:
    """protokit's JSON findings (warnings, which go to stderr, left out)."""
    done = protokit(*args, "--error-format", "json", cwd=cwd)
    assert done.returncode in (0, 100), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def load(root: Path):  # type: ignore[no-untyped-def]
    return load_config(find_config(root), root)


def load_error(root: Path) -> str:
    with pytest.raises(ProtokitError) as caught:
        load(root)
    return str(caught.value)


# --- modules[].includes ---------------------------------------------------------------------------

INCLUDES_TREE = {
    ".git/HEAD": "",
    "proto/a/v1/x.proto": bad_message("a.v1"),
    "proto/a/v1/skip/x.proto": bad_message("a.v1.skip"),
    "proto/b/v1/x.proto": bad_message("b.v1"),
}


def test_includes_select_the_files_of_a_module(tmp_path: Path, protokit: Run) -> None:
    buf_yaml = "version: v2\nmodules:\n  - path: proto\n    includes: [proto/a]\n    excludes: [proto/a/v1/skip]\n"
    write_tree(tmp_path, {**INCLUDES_TREE, "buf.yaml": buf_yaml})
    workspace = open_workspace([tmp_path])
    assert list(workspace.files) == ["a/v1/x.proto"]  # import names stay relative to the module path
    built = protokit("build", "-o", tmp_path / "out.json", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    names = [f["name"] for f in json.loads((tmp_path / "out.json").read_text())["file"]]
    assert names == ["a/v1/x.proto"]  # buf 1.75 `buf build -o -#format=json`: the same single file
    if BUF:
        done = subprocess.run([BUF, "build", "-o", "-#format=json"], cwd=tmp_path, capture_output=True, text=True)
        assert [f["name"] for f in json.loads(done.stdout)["file"]] == names


# Two modules may share a path with different includes (Buf 1.39+); each keeps its own configuration.
SAME_PATH = """\
version: v2
modules:
  - path: proto
    includes: [proto/a]
  - path: proto
    includes: [proto/b]
    lint:
      use: [MINIMAL]
"""
# buf 1.75 `buf lint --error-format json` on INCLUDES_TREE with SAME_PATH (proto/b: MINIMAL finds nothing).
SAME_PATH_BUF = [
    {"path": "proto/a/v1/skip/x.proto", "start_line": 2, "start_column": 1, "end_line": 2, "end_column": 19,
     "type": "PACKAGE_VERSION_SUFFIX",
     "message": 'Package name "a.v1.skip" should be suffixed with a correctly formed version, such as "a.v1.skip.v1".'},
    {"path": "proto/a/v1/skip/x.proto", "start_line": 3, "start_column": 9, "end_line": 3, "end_column": 17,
     "type": "MESSAGE_PASCAL_CASE", "message": 'Message name "bad_name" should be PascalCase, such as "BadName".'},
    {"path": "proto/a/v1/x.proto", "start_line": 3, "start_column": 9, "end_line": 3, "end_column": 17,
     "type": "MESSAGE_PASCAL_CASE", "message": 'Message name "bad_name" should be PascalCase, such as "BadName".'},
]  # fmt: skip


def test_modules_sharing_a_path_with_includes_keep_their_own_lint(tmp_path: Path, protokit: Run) -> None:
    write_tree(tmp_path, {**INCLUDES_TREE, "buf.yaml": SAME_PATH})
    assert run_protokit(protokit, "lint", cwd=tmp_path) == SAME_PATH_BUF
    if BUF:
        assert run_buf("lint", cwd=tmp_path) == SAME_PATH_BUF


@pytest.mark.parametrize(
    ("module", "message", "buf_says"),
    [
        ("includes: [other]", 'buf.yaml:4:16: modules[0].includes: "other" is not inside module path "proto"',
         'include path "other" does not reside within module directory "proto"'),
        ("includes: [proto]", 'buf.yaml:4:16: modules[0].includes: "proto" is the module path "proto" itself',
         'include path "proto" is equal to module directory "proto"'),
        ("includes: [proto/a/v1/x.proto]",
         'buf.yaml:4:16: modules[0].includes: "proto/a/v1/x.proto" is a file; includes can only be directories',
         'includes can only be directories but file "proto/a/v1/x.proto" discovered'),
        ("includes: [proto/a, proto/a/v1]",
         'buf.yaml:4:25: modules[0].includes: "proto/a/v1" is within include "proto/a", which is not allowed',
         'include "proto/a/v1" is within include "proto/a" which is not allowed'),
        ("includes: [../x]", 'buf.yaml:4:16: modules[0].includes "../x" points outside', "is outside the context"),
        ("includes: [proto/a]\n    excludes: [proto/b]",
         'buf.yaml:5:16: modules[0].excludes: includes are given but "proto/b" is not inside any of them',
         'include paths are specified but "proto/b" is not contained within any of them'),
        ("includes: [proto/a]\n    excludes: [proto/a]",
         'buf.yaml:5:16: modules[0].excludes: "proto/a" is both an include path and an exclude path',
         '"proto/a" is both an include path and an exclude path'),
        ("includes: [proto/a/v1]\n    excludes: [proto/a]",
         'buf.yaml:5:16: modules[0].excludes: include path "proto/a/v1" is inside exclude path "proto/a"',
         '"proto/a/v1" (an include path) is a subdirectory of "proto/a" (an exclude path)'),
    ],
)  # fmt: skip
def test_bad_includes_are_located_errors(tmp_path: Path, module: str, message: str, buf_says: str) -> None:
    write_tree(tmp_path, {**INCLUDES_TREE, "buf.yaml": f"version: v2\nmodules:\n  - path: proto\n    {module}\n"})
    assert message in load_error(tmp_path)
    if BUF:
        done = subprocess.run([BUF, "build"], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode != 0 and buf_says in done.stderr


# --- policies -------------------------------------------------------------------------------------

POLICY_FILE = """\
version: v2
name: buf.build/acme/strict
lint:
  use: [COMMENT_MESSAGE, ENUM_ZERO_VALUE_SUFFIX]
  enum_zero_value_suffix: _NONE
breaking:
  use: [WIRE]
"""
POLICY_TREE = {
    ".git/HEAD": "",
    "buf.yaml": """\
version: v2
modules:
  - path: proto
lint:
  use: [MESSAGE_PASCAL_CASE]
policies:
  - policy: policy/buf.policy.yaml
    ignore: [acme/v1/b.proto]
""",
    "policy/buf.policy.yaml": POLICY_FILE,
    # A comment ignore silences the module's rule, never a policy's.
    "proto/acme/v1/a.proto": """\
syntax = "proto3";
package acme.v1;
// buf:lint:ignore COMMENT_MESSAGE
// buf:lint:ignore MESSAGE_PASCAL_CASE
message bad_name {
  string x = 1;
}
enum Color {
  COLOR_UNSPECIFIED = 0;
}
""",
    # The policy's ignore is an import path (relative to the module), and leaves the module's rules alone.
    "proto/acme/v1/b.proto": 'syntax = "proto3";\npackage acme.v1;\nmessage other_name {}\n',
}
POLICY = "policy/buf.policy.yaml"
# buf 1.75 `buf lint --error-format json` on POLICY_TREE.
POLICY_LINT_BUF = [
    {"path": "proto/acme/v1/a.proto", "start_line": 5, "start_column": 1, "end_line": 7, "end_column": 2,
     "type": "COMMENT_MESSAGE", "message": 'Message "bad_name" should have a non-empty comment for documentation.',
     "policy": POLICY},
    {"path": "proto/acme/v1/a.proto", "start_line": 9, "start_column": 3, "end_line": 9, "end_column": 20,
     "type": "ENUM_ZERO_VALUE_SUFFIX",
     "message": 'Enum zero value name "COLOR_UNSPECIFIED" should be suffixed with "_NONE".', "policy": POLICY},
    {"path": "proto/acme/v1/b.proto", "start_line": 3, "start_column": 9, "end_line": 3, "end_column": 19,
     "type": "MESSAGE_PASCAL_CASE", "message": 'Message name "other_name" should be PascalCase, such as "OtherName".'},
]  # fmt: skip
# buf 1.75 `buf lint` (text) on POLICY_TREE: the policy name follows the message.
POLICY_LINT_TEXT_BUF = (
    'proto/acme/v1/a.proto:5:1:Message "bad_name" should have a non-empty comment for documentation.'
    " (policy/buf.policy.yaml)\n"
    'proto/acme/v1/a.proto:9:3:Enum zero value name "COLOR_UNSPECIFIED" should be suffixed with "_NONE".'
    " (policy/buf.policy.yaml)\n"
    'proto/acme/v1/b.proto:3:9:Message name "other_name" should be PascalCase, such as "OtherName".\n'
)


def test_policy_lint_findings_name_the_policy(tmp_path: Path, protokit: Run) -> None:
    write_tree(tmp_path, POLICY_TREE)
    assert run_protokit(protokit, "lint", cwd=tmp_path) == POLICY_LINT_BUF
    assert protokit("lint", cwd=tmp_path).stdout == POLICY_LINT_TEXT_BUF
    if BUF:
        assert run_buf("lint", cwd=tmp_path) == POLICY_LINT_BUF


def test_policy_is_read_with_its_entry(tmp_path: Path) -> None:
    write_tree(tmp_path, POLICY_TREE)
    (module,) = load(tmp_path).modules
    (policy,) = module.policies
    assert policy.name == POLICY
    assert policy.lint.use == ("COMMENT_MESSAGE", "ENUM_ZERO_VALUE_SUFFIX")
    assert policy.lint.enum_zero_value_suffix == "_NONE" and policy.lint.allow_comment_ignores is False
    assert policy.lint.ignore == policy.breaking.ignore == (tmp_path / "proto/acme/v1/b.proto",)
    assert policy.breaking.use == ("WIRE",)
    assert module.lint.use == ("MESSAGE_PASCAL_CASE",)


BREAKING_OLD = """\
syntax = "proto3";
package acme.v1;
message Foo {
  string x = 1;
  int32 z = 3;
}
"""
BREAKING_NEW = """\
syntax = "proto3";
package acme.v1;
message Foo {
  reserved 1;
  int32 y = 2;
}
"""
# buf 1.75 `buf breaking --against ../old --error-format json`: the module's FILE rules report both
# deleted fields; the policy's WIRE rules only the one whose number was not reserved.
POLICY_BREAKING_BUF = [
    {"path": "proto/acme/v1/a.proto", "start_line": 3, "start_column": 1, "end_line": 6, "end_column": 2,
     "type": "FIELD_NO_DELETE"},
    {"path": "proto/acme/v1/a.proto", "start_line": 3, "start_column": 1, "end_line": 6, "end_column": 2,
     "type": "FIELD_NO_DELETE"},
    {"path": "proto/acme/v1/a.proto", "start_line": 3, "start_column": 1, "end_line": 6, "end_column": 2,
     "type": "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "policy": POLICY},
]  # fmt: skip


def without_messages(findings: list[dict[str, object]]) -> list[dict[str, object]]:
    """Findings without their messages (breaking messages are the rule bodies' business, not this file's)."""
    return [{k: v for k, v in f.items() if k != "message"} for f in findings]


def test_policy_breaking_findings_name_the_policy(tmp_path: Path, protokit: Run) -> None:
    config = {k: v for k, v in POLICY_TREE.items() if k.endswith(".yaml")}
    write_tree(tmp_path / "old", {**config, "proto/acme/v1/a.proto": BREAKING_OLD})
    write_tree(tmp_path / "new", {**config, "proto/acme/v1/a.proto": BREAKING_NEW, ".git/HEAD": ""})
    found = run_protokit(protokit, "breaking", "--against", "../old", cwd=tmp_path / "new")
    assert without_messages(found) == POLICY_BREAKING_BUF
    if BUF:
        assert without_messages(run_buf("breaking", "--against", "../old", cwd=tmp_path / "new")) == POLICY_BREAKING_BUF


def test_policy_ignore_only_of_the_other_kind_fails_that_command(tmp_path: Path, protokit: Run) -> None:
    """Buf checks ignore_only keys when a command runs: a breaking rule there fails `buf lint`."""
    entry = "policies:\n  - policy: policy/buf.policy.yaml\n    ignore_only:\n      FIELD_NO_DELETE: [acme]\n"
    write_tree(tmp_path, {**POLICY_TREE, "buf.yaml": "version: v2\nmodules:\n  - path: proto\n" + entry})
    done = protokit("lint", cwd=tmp_path)
    assert done.returncode == 1
    assert 'buf.yaml:7:7: "FIELD_NO_DELETE" is not a known lint rule or category ID' in done.stderr
    if BUF:
        buf = subprocess.run([BUF, "lint"], cwd=tmp_path, capture_output=True, text=True)
        assert '"FIELD_NO_DELETE" is not a known rule or category ID' in buf.stderr


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"buf.yaml": "version: v2\npolicies:\n  - policy: buf.build/acme/policy\n"},
         "buf.yaml:3:13: remote policies are not supported: buf.build/acme/policy"),
        ({"buf.yaml": "version: v2\npolicies:\n  - policy: nothere.yaml\n"},
         'buf.yaml:3:13: policies[0].policy: policy file "nothere.yaml" does not exist'),
        ({"buf.yaml": "version: v2\npolicies:\n  - ignore: [x]\n"}, 'buf.yaml:3:5: policies[0] needs a "policy"'),
        ({"buf.yaml": "version: v2\npolicies:\n  - policy: p.yaml\n", "p.yaml": "lint:\n  use: [COMMENTS]\n"},
         'p.yaml:1:1: missing key "version"'),
        ({"buf.yaml": "version: v2\npolicies:\n  - policy: p.yaml\n", "p.yaml": "version: v1\n"},
         'p.yaml:1:10: unsupported buf.policy.yaml version "v1"'),
        ({"buf.yaml": "version: v2\npolicies:\n  - policy: p.yaml\n", "p.yaml": "version: v2\nlint:\n  ignore: [x]\n"},
         'p.yaml:3:3: unknown key "ignore" in lint'),
        ({"buf.yaml": "version: v2\npolicies:\n  - policy: p.yaml\n",
          "p.yaml": "version: v2\nplugins:\n  - plugin: buf-plugin-x\n"},
         "p.yaml:3:3: plugins are not supported"),
        ({"buf.yaml": "version: v2\nplugins:\n  - plugin: buf-plugin-x\n"}, "buf.yaml:3:3: plugins are not supported"),
        ({"buf.yaml": "version: v2\npolicies:\n  - policy: p.yaml\n    ignore_only:\n      NOPE: [x]\n",
          "p.yaml": "version: v2\n"}, 'buf.yaml:5:7: unknown rule or category "NOPE" in policies[0].ignore_only'),
    ],
)  # fmt: skip
def test_bad_policies_are_located_errors(tmp_path: Path, files: dict[str, str], message: str) -> None:
    write_tree(tmp_path, files)
    assert message in load_error(tmp_path)


def test_empty_policy_file_means_the_v2_defaults(tmp_path: Path) -> None:
    write_tree(tmp_path, {"buf.yaml": "version: v2\npolicies:\n  - policy: p.yaml\n", "p.yaml": "version: v2\n"})
    (policy,) = load(tmp_path).modules[0].policies
    assert policy.lint.use is None and policy.breaking.use is None and policy.lint.version == "v2"


# --- disable_builtin and comment-ignore keys, per version ------------------------------------------


@pytest.mark.parametrize("version", ["v1beta1", "v1", "v2"])
def test_disable_builtin_is_accepted_in_every_version(tmp_path: Path, protokit: Run, version: str) -> None:
    """buf 1.75 accepts disable_builtin in lint and breaking of v1beta1, v1 and v2: no rule runs
    (it warns "No lint rules are configured in buf.yaml." and exits 0)."""
    buf_yaml = f"version: {version}\nlint:\n  disable_builtin: true\nbreaking:\n  disable_builtin: true\n"
    write_tree(tmp_path, {".git/HEAD": "", "buf.yaml": buf_yaml, "a/a.proto": bad_message("a")})
    module = load(tmp_path).modules[0]
    assert module.lint.disable_builtin and module.breaking.disable_builtin
    assert run_protokit(protokit, "lint", cwd=tmp_path) == []
    assert run_protokit(protokit, "breaking", "--against", ".", cwd=tmp_path) == []
    if BUF:
        assert run_buf("lint", cwd=tmp_path) == []
        assert run_buf("breaking", "--against", ".", cwd=tmp_path) == []


@pytest.mark.parametrize(
    ("version", "key", "accepted"),
    [
        ("v1beta1", "allow_comment_ignores", True),
        ("v1", "allow_comment_ignores", True),
        ("v1", "disallow_comment_ignores", False),
        ("v2", "disallow_comment_ignores", True),
        ("v2", "allow_comment_ignores", False),
    ],
)
def test_comment_ignore_keys_follow_the_version(tmp_path: Path, version: str, key: str, accepted: bool) -> None:
    """buf 1.75: `line 3: field disallow_comment_ignores not found` for v1, the reverse for v2."""
    write_tree(tmp_path, {"buf.yaml": f"version: {version}\nlint:\n  {key}: true\n"})
    if accepted:
        assert load(tmp_path).modules[0].lint.allow_comment_ignores is (key == "allow_comment_ignores")
    else:
        assert f'buf.yaml:3:3: unknown key "{key}" in lint' in load_error(tmp_path)


# --- v1beta1 build.roots and build.excludes --------------------------------------------------------

ROOTS_TREE = {
    ".git/HEAD": "",
    "buf.yaml": """\
version: v1beta1
build:
  roots: [root1, root2]
  excludes: [root2/x]
lint:
  use: [PACKAGE_VERSION_SUFFIX, PACKAGE_SAME_DIRECTORY, PACKAGE_DIRECTORY_MATCH]
  ignore: [b/b.proto]
""",
    "root1/b/b.proto": 'syntax = "proto3";\npackage b;\nimport "c/c.proto";\nmessage B {\n  c.C c = 1;\n}\n',
    "root2/c/c.proto": 'syntax = "proto3";\npackage c;\nmessage C {}\n',
    "root2/e/e.proto": 'syntax = "proto3";\npackage b;\n',
    "root2/x/x.proto": 'syntax = "proto3";\npackage zz;\n',
}
# buf 1.75 `buf lint --error-format json` on ROOTS_TREE: the roots are one module (b and e share a
# package across roots), excludes are relative to the buf.yaml, ignores are import paths of any root.
ROOTS_BUF = [
    {"path": "root2/c/c.proto", "start_line": 2, "start_column": 1, "end_line": 2, "end_column": 11,
     "type": "PACKAGE_VERSION_SUFFIX",
     "message": 'Package name "c" should be suffixed with a correctly formed version, such as "c.v1".'},
    {"path": "root2/e/e.proto", "start_line": 2, "start_column": 1, "end_line": 2, "end_column": 11,
     "type": "PACKAGE_DIRECTORY_MATCH",
     "message": 'Files with package "b" must be within a directory "b" relative to root but were in directory "e".'},
    {"path": "root2/e/e.proto", "start_line": 2, "start_column": 1, "end_line": 2, "end_column": 11,
     "type": "PACKAGE_SAME_DIRECTORY", "message": 'Multiple directories "b,e" contain files with package "b".'},
    {"path": "root2/e/e.proto", "start_line": 2, "start_column": 1, "end_line": 2, "end_column": 11,
     "type": "PACKAGE_VERSION_SUFFIX",
     "message": 'Package name "b" should be suffixed with a correctly formed version, such as "b.v1".'},
]  # fmt: skip


def test_v1beta1_roots_are_one_module(tmp_path: Path, protokit: Run) -> None:
    write_tree(tmp_path, ROOTS_TREE)
    assert run_protokit(protokit, "lint", cwd=tmp_path) == ROOTS_BUF
    if BUF:
        assert run_buf("lint", cwd=tmp_path) == ROOTS_BUF


@pytest.mark.parametrize(
    ("build", "message", "buf_says"),
    [
        ("roots: [root1]\n  excludes: [b]", 'buf.yaml:4:14: build.excludes: "b" is not inside any root',
         'exclude "b" is not contained in any root'),
        ("roots: [root1]\n  excludes: [root1]", 'buf.yaml:4:14: build.excludes: "root1" is a root itself',
         '"root1" is both a root and exclude'),
        ("excludes: [root1/b/b.proto]", 'buf.yaml:3:14: build.excludes: "root1/b/b.proto" is a file',
         'excludes can only be directories but file "root1/b/b.proto" discovered'),
    ],
)  # fmt: skip
def test_bad_build_excludes_are_located_errors(tmp_path: Path, build: str, message: str, buf_says: str) -> None:
    write_tree(tmp_path, {**ROOTS_TREE, "buf.yaml": f"version: v1beta1\nbuild:\n  {build}\n"})
    assert message in load_error(tmp_path)
    if BUF:
        done = subprocess.run([BUF, "build"], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode != 0 and buf_says in done.stderr


@pytest.mark.parametrize("version", ["", "lint:\n  use: [MINIMAL]\n"])
def test_buf_yaml_needs_a_version(tmp_path: Path, version: str) -> None:
    """buf 1.75: `decode buf.yaml: "version" is not set. Please add "version: v2"`."""
    write_tree(tmp_path, {"buf.yaml": version})
    assert 'buf.yaml:1:1: missing key "version"' in load_error(tmp_path)


# --- ignores that apply to one module of several --------------------------------------------------


def test_shared_ignore_only_used_by_one_module_is_not_unused(tmp_path: Path, protokit: Run) -> None:
    """The top-level lint section applies to every module: an entry one module uses is in use."""
    buf_yaml = """\
version: v2
modules:
  - path: a
  - path: b
lint:
  use: [MESSAGE_PASCAL_CASE]
  ignore_only:
    MESSAGE_PASCAL_CASE: [a/x, a/nothing]
"""
    write_tree(
        tmp_path,
        {".git/HEAD": "", "buf.yaml": buf_yaml, "a/x/x.proto": bad_message("x"), "b/y/y.proto": bad_message("y")},
    )
    done = protokit("lint", "--error-on-unused-ignores", cwd=tmp_path)
    assert done.stdout.splitlines() == [
        'b/y/y.proto:3:9:Message name "bad_name" should be PascalCase, such as "BadName".',
        "buf.yaml:ignore_only MESSAGE_PASCAL_CASE for a/nothing silences nothing; remove it",
    ]


def test_policy_ignore_applies_in_the_module_that_has_the_path(tmp_path: Path, protokit: Run) -> None:
    """A policy's ignore paths are import paths: kept in the module where they exist, reported once if nowhere."""
    buf_yaml = """\
version: v2
modules:
  - path: a
  - path: b
lint:
  disable_builtin: true
policies:
  - policy: p.yaml
    ignore_only:
      MESSAGE_PASCAL_CASE: [x, nowhere]
"""
    files = {"a/x/x.proto": bad_message("x"), "b/y/y.proto": bad_message("y")}
    policy = "version: v2\nlint:\n  use: [MESSAGE_PASCAL_CASE]\n"
    write_tree(tmp_path, {".git/HEAD": "", "buf.yaml": buf_yaml, "p.yaml": policy, **files})
    a, b = load(tmp_path).modules
    assert a.policies[0].lint.ignore_only == {"MESSAGE_PASCAL_CASE": (tmp_path / "a/x", tmp_path / "a/nowhere")}
    assert b.policies[0].lint.ignore_only == {}
    done = protokit("lint", "--error-on-unused-ignores", cwd=tmp_path)
    assert done.stdout.splitlines() == [
        'b/y/y.proto:3:9:Message name "bad_name" should be PascalCase, such as "BadName". (p.yaml)',
        "buf.yaml:ignore_only MESSAGE_PASCAL_CASE for a/nowhere silences nothing; remove it",
    ]
    if BUF:
        assert [f["path"] for f in run_buf("lint", cwd=tmp_path)] == ["b/y/y.proto"]


@pytest.mark.parametrize(
    ("section", "message", "buf_says"),
    [
        ("lint:\n      ignore: [b/y]", 'buf.yaml:5:16: modules[0].lint.ignore: "b/y" is not inside module path "a"',
         'lint.ignore: path "b/y" is not contained within module directory "a"'),
        ("breaking:\n      ignore_only:\n        FILE: [b/y]",
         'buf.yaml:6:16: modules[0].breaking.ignore_only.FILE: "b/y" is not inside module path "a"',
         'breaking.ignore_only: path "b/y" is not contained within module directory "a"'),
    ],
)  # fmt: skip
def test_module_sections_name_paths_inside_the_module(
    tmp_path: Path, section: str, message: str, buf_says: str
) -> None:
    buf_yaml = f"version: v2\nmodules:\n  - path: a\n    {section}\n  - path: b\n"
    write_tree(tmp_path, {"buf.yaml": buf_yaml, "a/x/x.proto": bad_message("x"), "b/y/y.proto": bad_message("y")})
    assert message in load_error(tmp_path)
    if BUF:
        done = subprocess.run([BUF, "build"], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode != 0 and buf_says in done.stderr


def test_policy_file_warnings_are_reported(tmp_path: Path) -> None:
    """buf 1.75: "Category DEFAULT referenced in your p.yaml is deprecated. It has been replaced by ... STANDARD"."""
    write_tree(
        tmp_path,
        {
            "buf.yaml": "version: v2\npolicies:\n  - policy: p.yaml\n",
            "p.yaml": "version: v2\nlint:\n  use: [DEFAULT]\n",
        },
    )
    config = load(tmp_path)
    (warning,) = config.warnings
    assert (Path(warning.path).name, warning.line, warning.column) == ("p.yaml", 3, 9)
    assert config.modules[0].policies[0].lint.use == ("STANDARD",)


# The "default values" files of Buf's reference pages (buf.yaml v1beta1 and v1): every key set to its default.
DOCS_DEFAULTS = {
    "v1beta1": """\
version: v1beta1
name: ""
deps: []
build:
  roots:
    - .
  excludes: []
lint:
  use:
    - STANDARD
  enum_zero_value_suffix: _UNSPECIFIED
  rpc_allow_same_request_response: false
  rpc_allow_google_protobuf_empty_requests: false
  rpc_allow_google_protobuf_empty_responses: false
  service_suffix: Service
breaking:
  use:
    - FILE
""",
    "v1": """\
version: v1
name: ""
deps: []
build:
  excludes: []
lint:
  use:
    - STANDARD
  except: []
  ignore: []
  ignore_only: {}
  allow_comment_ignores: false
  enum_zero_value_suffix: _UNSPECIFIED
  rpc_allow_same_request_response: false
  rpc_allow_google_protobuf_empty_requests: false
  rpc_allow_google_protobuf_empty_responses: false
  service_suffix: Service
breaking:
  use:
    - FILE
  except: []
  ignore: []
  ignore_only: {}
  ignore_unstable_packages: false
""",
}


@pytest.mark.parametrize("version", sorted(DOCS_DEFAULTS))
def test_documented_defaults_load_as_the_defaults(tmp_path: Path, version: str) -> None:
    write_tree(tmp_path, {"buf.yaml": DOCS_DEFAULTS[version]})
    (module,) = load(tmp_path).modules
    assert module.root == tmp_path and module.excludes == ()
    assert module.lint.use == ("STANDARD",) and module.breaking.use == ("FILE",)
    assert module.lint.allow_comment_ignores is False and module.lint.enum_zero_value_suffix == "_UNSPECIFIED"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("version: v2\nname: foo\n", 'buf.yaml:2:7: name: "foo" must be in the form registry/owner/name'),
        ("version: v1\nname: a/b/c/d\n", 'buf.yaml:2:7: name: "a/b/c/d" must be in the form registry/owner/name'),
        ("version: v2\ndeps: [foo]\n", 'buf.yaml:2:8: deps: "foo" must be in the form registry/owner/name[:ref]'),
        ("version: v2\nmodules:\n  - path: .\n    name: x/y\n", 'modules[0].name: "x/y" must be in the form'),
    ],
)
def test_bsr_names_are_checked_as_buf_does(tmp_path: Path, content: str, message: str) -> None:
    """buf 1.75: `could not parse full name "foo": must be in the form registry/owner/name`."""
    write_tree(tmp_path, {"buf.yaml": content})
    assert message in load_error(tmp_path)


def test_bsr_names_and_deps_load(tmp_path: Path) -> None:
    content = "version: v2\nname: ''\nmodules:\n  - path: .\n    name: buf.build/acme/x\ndeps: [buf.build/a/b:v1.2]\n"
    write_tree(tmp_path, {"buf.yaml": content})
    assert load(tmp_path).modules[0].root == tmp_path


def test_policy_file_may_be_shared_from_outside_the_repository(tmp_path: Path, protokit: Run) -> None:
    """buf 1.75 (run in repo/): the finding names the policy as written, "../shared.policy.yaml"."""
    write_tree(
        tmp_path,
        {
            "shared.policy.yaml": "version: v2\nlint:\n  use: [MESSAGE_PASCAL_CASE]\n",
            "repo/.git/HEAD": "",
            "repo/buf.yaml": "version: v2\nlint:\n  disable_builtin: true\n"
            "policies:\n  - policy: ../shared.policy.yaml\n",
            "repo/p/p.proto": bad_message("p"),
        },
    )
    expected = [
        {"path": "p/p.proto", "start_line": 3, "start_column": 9, "end_line": 3, "end_column": 17,
         "type": "MESSAGE_PASCAL_CASE", "message": 'Message name "bad_name" should be PascalCase, such as "BadName".',
         "policy": "../shared.policy.yaml"},
    ]  # fmt: skip
    assert run_protokit(protokit, "lint", cwd=tmp_path / "repo") == expected
    if BUF:
        assert run_buf("lint", cwd=tmp_path / "repo") == expected


def test_policy_ignore_only_of_a_lint_rule_fails_breaking(tmp_path: Path, protokit: Run) -> None:
    """The reverse: buf 1.75 `buf breaking` fails with `"COMMENT_FIELD" is not a known rule or category ID`."""
    entry = "policies:\n  - policy: policy/buf.policy.yaml\n    ignore_only:\n      COMMENT_FIELD: [acme]\n"
    write_tree(tmp_path, {**POLICY_TREE, "buf.yaml": "version: v2\nmodules:\n  - path: proto\n" + entry})
    done = protokit("breaking", "--against", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert 'buf.yaml:7:7: "COMMENT_FIELD" is not a known breaking rule or category ID' in done.stderr
    assert protokit("lint", cwd=tmp_path).returncode == 100  # lint runs, the entry silencing COMMENT_FIELD
    if BUF:
        buf = subprocess.run([BUF, "breaking", "--against", "."], cwd=tmp_path, capture_output=True, text=True)
        assert '"COMMENT_FIELD" is not a known rule or category ID' in buf.stderr


NESTED_ROOTS = """\
version: v2
modules:
  - path: proto
    includes: [proto/foo]
    excludes: [proto/foo/internal]
  - path: proto/foo/internal
"""


def test_a_module_nested_in_another_modules_directory_names_its_files_from_its_own_root(
    tmp_path: Path, protokit: Run
) -> None:
    """Buf's workspace/success/overlapping_dir_path: ``internal.proto`` belongs to ``proto/foo/internal``."""
    lax = 'syntax = "proto3";\nmessage {} {{}}\n'
    files = {"proto/foo/foo.proto": lax.format("Foo"), "proto/foo/internal/internal.proto": lax.format("Internal")}
    write_tree(tmp_path, {**files, "buf.yaml": NESTED_ROOTS})
    expected = [("proto/foo/foo.proto", "PACKAGE_DEFINED"), ("proto/foo/internal/internal.proto", "PACKAGE_DEFINED")]
    assert [(f["path"], f["type"]) for f in run_protokit(protokit, "lint", cwd=tmp_path)] == expected
    if BUF:
        assert [(f["path"], f["type"]) for f in run_buf("lint", cwd=tmp_path)] == expected
