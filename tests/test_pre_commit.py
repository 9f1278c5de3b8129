"""The ``protokit-lint`` hook of ``.pre-commit-hooks.yaml``, run by real pre-commit in a real git repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, proto, write_tree

GOOD = proto("acme.x.v1", "// A thing.\nmessage Thing {\n  // Its name.\n  string name = 1;\n}")
BAD = proto("acme.x.v1", "// Another thing.\nmessage other_thing {\n  // Its name.\n  string name = 1;\n}")


def git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def protokit_revision() -> str:
    result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip("the protokit sources are not a git checkout")
    return result.stdout.strip()


def test_hook_passes_a_clean_commit_and_blocks_a_bad_one(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        "NO_COLOR": "1",
    }  # fmt: skip
    repo = tmp_path / "contracts"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo, env=env)
    config = f"repos:\n  - repo: {REPO}\n    rev: {protokit_revision()}\n    hooks:\n      - id: protokit-lint\n"
    write_tree(repo, {".pre-commit-config.yaml": config, "acme/x/v1/thing.proto": GOOD})
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    git("add", ".", cwd=repo, env=env)
    clean = git("commit", "-q", "-m", "clean", cwd=repo, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    write_tree(repo, {"acme/x/v1/other.proto": BAD})
    git("add", ".", cwd=repo, env=env)
    blocked = git("commit", "-q", "-m", "bad", cwd=repo, env=env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0
    assert 'acme/x/v1/other.proto:5:9:Message name "other_thing" should be PascalCase, such as "OtherThing".' in output
    assert git("rev-list", "--count", "HEAD", cwd=repo, env=env).stdout.strip() == "1"
