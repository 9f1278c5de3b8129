"""Buf's own configuration files (tests/data/buf_configs, copied from Buf's test data) load in protokit.

Each one either loads, or fails where buf 1.75 fails as well (buf's error is recorded next to
protokit's), or is one of the differences documented here.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import Run, find_buf

from protokit.config import load_config
from protokit.config.policies import load_policy_yaml
from protokit.diagnostics import ProtokitError

DATA = Path(__file__).parent / "data" / "buf_configs"
CASES = sorted(p.name for p in DATA.iterdir() if p.is_dir())

# Case -> (protokit's error, what buf 1.75 says for the same file).
FAILS_IN_BUF_TOO = {
    "cmd__buf__workspace__fail__absolute": (
        'directories must be a relative path, got "/home/buf"',
        'directory "/home/buf" is invalid: /home/buf: expected to be relative',
    ),
    "cmd__buf__workspace__fail__invalidversion": ('unsupported version "v9"', 'unknown file version: "v9"'),
    "cmd__buf__workspace__fail__noversion": ('missing key "version"', '"version" is not set. Please add "version: v1"'),
    "cmd__buf__workspace__fail__v2__jumpcontext": (
        'modules[0].path "../breaking/other/proto" points outside',
        "is outside the context directory",
    ),
    "private__buf__buflsp__buf_yaml__completion": (
        "the top-level name is only for a buf.yaml without modules",
        "top-level name key cannot be specified if modules are specified",
    ),
    # Buf check plugins: buf runs them (a local binary, or a Wasm module from the BSR); protokit cannot,
    # so it refuses the configuration rather than run fewer rules than buf.  buf fails as well where the
    # plugin is not installed ("exec: buf-plugin-...: executable file not found in $PATH").
    "cmd__buf__check_plugins__current": ("plugins are not supported", "executable file not found"),
    "private__buf__buflsp__buf_policy_yaml__hover": ("plugins are not supported", "unable to resolve plugins"),
    # A policy path with three components and no such file: buf takes it for a remote policy and fails
    # offline ("remote policy ... is not in the buf.lock file"); protokit says remote policies are not
    # supported.  (Buf's own test runs from cmd/buf, as buf opens a local policy file relative to the
    # working directory; protokit opens it relative to the buf.yaml.)
    "cmd__buf__policy_list_rules": ("remote policies are not supported", "is not in the buf.lock file"),
}


def top_config(case: Path) -> Path:
    """The file a case is about: its buf.work.yaml, else buf.yaml, else its policy file."""
    return next(case / name for name in ("buf.work.yaml", "buf.yaml", "buf.policy.yaml") if (case / name).is_file())


@pytest.mark.parametrize("name", CASES)
def test_buf_config_loads_as_in_buf(name: str) -> None:
    case = DATA / name
    path = top_config(case)
    loader = load_policy_yaml if path.name == "buf.policy.yaml" else (lambda p: load_config(p, case))
    if name not in FAILS_IN_BUF_TOO:
        loader(path)
        return
    with pytest.raises(ProtokitError) as caught:
        loader(path)
    assert FAILS_IN_BUF_TOO[name][0] in str(caught.value)


def test_every_expected_failure_is_a_case() -> None:
    assert set(FAILS_IN_BUF_TOO) <= set(CASES)


def test_buf_configs_mean_what_buf_means() -> None:
    """A few of the loaded files, read back: includes, policies, v1beta1 roots, buf.work.yaml."""
    overlapping = load_config(DATA / "cmd__buf__workspace__success__overlapping_dir_path/buf.yaml", DATA)
    first = overlapping.modules[0]
    base = DATA / "cmd__buf__workspace__success__overlapping_dir_path"
    assert first.includes == (base / "proto/foo", base / "proto/bar")
    assert first.excludes == (base / "proto/foo/internal", base / "proto/bar/internal")
    policy_case = DATA / "private__bufpkg__bufcheck__lint__policy_ignores3"
    (policy,) = load_config(policy_case / "buf.yaml", policy_case).modules[0].policies
    assert policy.name == "policy.yaml" and policy.lint.allow_comment_ignores is False
    paths = (policy_case / "buf/bar/bar.proto", policy_case / "buf/foo/bar")
    assert policy.lint.ignore_only["ENUM_PASCAL_CASE"] == paths
    workspace = DATA / "private__buf__bufworkspace__basic__workspacev1"
    modules = load_config(workspace / "buf.work.yaml", workspace).modules
    bond = [m for m in modules if m.group is not None]
    assert len(bond) == 2 and bond[0].group == bond[1].group == workspace / "finance/bond/proto"


POLICY_CASES = Path(__file__).parent / "data" / "buf_policy_cases"


@pytest.mark.parametrize("name", sorted(p.name for p in POLICY_CASES.iterdir() if p.is_dir()))
def test_buf_policy_cases_give_buf_findings(tmp_path: Path, protokit: Run, name: str) -> None:
    """Buf's own policy tests (ignores and ignore_only of a policy, an empty policy): buf 1.75's findings."""
    case = shutil.copytree(POLICY_CASES / name, tmp_path / name)
    (case / ".git").mkdir()
    expected = (case / "buf-1.75-lint.jsonl").read_text()
    done = protokit("lint", "--error-format", "json", cwd=case)
    assert done.returncode == 100, done.stderr
    assert done.stdout == expected
    buf = find_buf()
    if buf:
        again = subprocess.run([buf, "lint", "--error-format", "json"], cwd=case, capture_output=True, text=True)
        assert again.stdout == expected
