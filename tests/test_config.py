"""Configuration: protokit.yaml, and Buf's buf.yaml (v1beta1, v1, v2) and buf.work.yaml read as is."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_tree

from protokit.config import find_config, load_config
from protokit.diagnostics import ProtokitError


def load(root: Path):
    return load_config(find_config(root), root)


def test_protokit_yaml_full(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "protokit.yaml": """\
version: v1
modules:
  - path: proto
    excludes: [proto/vendor]
    breaking:
      use: [WIRE_JSON]
deps: [googleapis-common-protos]
lint:
  use: [STANDARD, COMMENTS]
  except: [FIELD_NOT_REQUIRED]
  ignore: [proto/legacy]
  ignore_only:
    ENUM_ZERO_VALUE_SUFFIX: [proto/acme/x/v1/a.proto]
  enum_zero_value_suffix: _NONE
  service_suffix: API
  rpc_allow_same_request_response: true
  disallow_comment_ignores: true
breaking:
  ignore_unstable_packages: true
gen:
  version: auto
""",
        },
    )
    (tmp_path / "proto").mkdir()
    config = load(tmp_path)
    assert config.kind == "protokit"
    (module,) = config.modules
    assert module.root == tmp_path / "proto"
    assert module.excludes == (tmp_path / "proto/vendor",)
    assert module.lint.use == ("STANDARD", "COMMENTS")
    assert module.lint.except_ == ("FIELD_NOT_REQUIRED",)
    assert module.lint.ignore == (tmp_path / "proto/legacy",)
    assert module.lint.ignore_only == {"ENUM_ZERO_VALUE_SUFFIX": (tmp_path / "proto/acme/x/v1/a.proto",)}
    assert module.lint.enum_zero_value_suffix == "_NONE"
    assert module.lint.service_suffix == "API"
    assert module.lint.rpc_allow_same_request_response is True
    assert module.lint.allow_comment_ignores is False
    assert module.breaking.use == ("WIRE_JSON",)
    assert module.breaking.ignore_unstable_packages is True
    assert config.deps == ("googleapis-common-protos",)
    assert "version" in config.gen


def test_defaults_without_any_config(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = load(tmp_path)
    assert config.kind == "default"
    (module,) = config.modules
    assert module.root == tmp_path
    assert module.lint.use is None and module.breaking.use is None  # the defaults of buf.yaml v2
    assert module.lint.version == module.breaking.version == "v2"
    assert module.lint.allow_comment_ignores is True


def test_buf_yaml_v1(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "buf.yaml": """\
version: v1
name: buf.build/acme/contracts
deps:
  - buf.build/googleapis/googleapis
build:
  excludes: [vendor]
lint:
  use: [DEFAULT]
  ignore: [legacy]
  allow_comment_ignores: true
breaking:
  use: [WIRE]
""",
        },
    )
    config = load(tmp_path)
    assert config.kind == "buf-v1"
    (module,) = config.modules
    assert module.root == tmp_path
    assert module.excludes == (tmp_path / "vendor",)
    assert module.lint.use == ("STANDARD",) and module.lint.version == "v1"
    (warning,) = config.warnings
    assert (warning.line, warning.column, warning.kind) == (8, 9, "WARNING")
    assert warning.message == "category DEFAULT is deprecated; it now means STANDARD: write STANDARD instead"
    assert module.lint.ignore == (tmp_path / "legacy",)
    assert module.lint.allow_comment_ignores is True
    assert module.breaking.use == ("WIRE",)


def test_buf_yaml_v1_comment_ignores_are_off_by_default(tmp_path: Path) -> None:
    write_tree(tmp_path, {"buf.yaml": "version: v1\n"})
    assert load(tmp_path).modules[0].lint.allow_comment_ignores is False


def test_buf_yaml_v2_modules(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "buf.yaml": """\
version: v2
modules:
  - path: proto
    excludes: [proto/tmp]
  - path: vendor
    lint:
      use: [MINIMAL]
lint:
  use: [STANDARD]
  ignore: [proto/legacy]
breaking:
  use: [PACKAGE]
""",
        },
    )
    config = load(tmp_path)
    assert config.kind == "buf-v2"
    proto, vendor = config.modules
    assert proto.root == tmp_path / "proto" and proto.excludes == (tmp_path / "proto/tmp",)
    assert proto.lint.use == ("STANDARD",) and proto.lint.ignore == (tmp_path / "proto/legacy",)
    assert vendor.lint.use == ("MINIMAL",)
    assert proto.breaking.use == vendor.breaking.use == ("PACKAGE",)


def test_buf_work_yaml_directories_with_their_own_buf_yaml(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "buf.work.yaml": "version: v1\ndirectories:\n  - proto\n  - vendor\n",
            "proto/buf.yaml": "version: v1\nlint:\n  use: [BASIC]\n  ignore: [acme/legacy]\n",
            "vendor/x.proto": 'syntax = "proto3";\n',
        },
    )
    config = load(tmp_path / "proto")  # the workspace above wins over the module's buf.yaml
    assert config.kind == "buf-work"
    proto, vendor = config.modules
    assert proto.root == tmp_path / "proto" and proto.lint.use == ("BASIC",)
    assert proto.lint.ignore == (tmp_path / "proto/acme/legacy",)
    assert vendor.root == tmp_path / "vendor" and vendor.lint.use is None and vendor.lint.version == "v1"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("protokit.yaml", "version: v2\n", 'protokit.yaml:1:10: unsupported version "v2" (expected v1)'),
        ("protokit.yaml", "deps: googleapis\n", "protokit.yaml:1:7: deps must be a list of strings"),
        (
            "protokit.yaml",
            "lint:\n  use: [STANDARD]\n  ignor: [x]\n",
            'unknown key "ignor" in lint; did you mean "ignore"?',
        ),
        (
            "protokit.yaml",
            "lint:\n  ignore: [../outside]\n",
            'protokit.yaml:2:12: lint.ignore "../outside" points outside',
        ),
        ("protokit.yaml", "lint:\n  rpc_allow_same_request_response: 1\n", "must be true or false, got a number (1)"),
        ("protokit.yaml", "breaking:\n  ignore_only:\n    FIELD_NO_DELETED: [a]\n", 'did you mean "FIELD_NO_DELETE"?'),
        (
            "protokit.yaml",
            "modules:\n  - path: p\n    excludes: [q]\n",
            'protokit.yaml:3:16: modules[0].excludes: "q" is not inside module path "p"',
        ),
        ("buf.yaml", "version: v3\n", 'buf.yaml:1:10: unsupported buf.yaml version "v3"'),
        ("buf.yaml", "version: v1\nlint:\n  use: [STANDRD]\n", 'did you mean "STANDARD"?'),
        (
            "buf.work.yaml",
            "version: v1\ndirectories: [missing]\n",
            'buf.work.yaml:2:15: directory "missing" does not exist',
        ),
    ],
)
def test_bad_configs_name_file_line_and_fix(tmp_path: Path, name: str, content: str, message: str) -> None:
    write_tree(tmp_path, {name: content})
    with pytest.raises(ProtokitError) as caught:
        load(tmp_path)
    assert message in str(caught.value)
