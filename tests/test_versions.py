"""Versions of client packages: given, from the latest release tag, or bumped by what changed since it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import Run, git, repository

ORDER = """syntax = "proto3";

package acme.orders.v1;

// An order.
message Order {
  string order_id = 1;
  string note = 2;
}
"""
USER = 'syntax = "proto3";\n\npackage acme.users.v1;\n\nmessage User {\n  string id = 1;\n}\n'


def released(tmp_path: Path, config: str = "version: v1\ngen:\n  version: auto\n", tag: str = "v1.2.0") -> Path:
    """A repository with two packages whose first commit is tagged ``tag``."""
    repo = repository(
        tmp_path, {"protokit.yaml": config, "acme/orders/v1/order.proto": ORDER, "acme/users/v1/user.proto": USER}
    )
    git(repo, "tag", tag)
    return repo


def versions(protokit: Run, repo: Path) -> dict[str, dict[str, object]]:
    result = protokit("version", repo, "--format", "json")
    assert result.returncode == 0, result.stderr
    return {d["distribution"]: d for d in json.loads(result.stdout)}


def edit(repo: Path, old: str, new: str) -> None:
    path = repo / "acme/orders/v1/order.proto"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "version", "bump", "reason"),
    [
        ("  string note = 2;\n", "  string note = 2;\n  string extra = 3;\n", "1.3.0", "minor",
         "added field acme.orders.v1.Order.extra"),
        ("  string note = 2;\n", "", "2.0.0", "major", '"note" on message "acme.orders.v1.Order" was deleted'),
        ("// An order.", "// An order placed by a customer.", "1.2.1", "patch", "acme/orders/v1/order.proto changed"),
    ],
)  # fmt: skip
def test_auto_bumps_by_what_changed_since_the_last_release(
    protokit: Run, tmp_path: Path, old: str, new: str, version: str, bump: str, reason: str
) -> None:
    repo = released(tmp_path)
    edit(repo, old, new)
    found = versions(protokit, repo)
    orders = found["acme-orders-v1"]
    assert (orders["version"], orders["bump"], orders["previous"], orders["tag"]) == (version, bump, "1.2.0", "v1.2.0")
    assert any(reason in r for r in orders["reasons"]), orders["reasons"]
    assert (found["acme-users-v1"]["version"], found["acme-users-v1"]["bump"]) == ("1.2.0", "none")
    text = protokit("version", repo)
    assert f"acme-orders-v1 1.2.0 -> {version} ({bump}:" in text.stdout
    assert "acme-users-v1 1.2.0 (unchanged since v1.2.0: nothing to release)" in text.stdout


def test_an_edit_in_an_imported_package_does_not_release_the_importer(protokit: Run, tmp_path: Path) -> None:
    importer = USER.replace("message User {", 'import "acme/orders/v1/order.proto";\n\nmessage User {')
    importer = importer.replace("  string id = 1;\n", "  string id = 1;\n  acme.orders.v1.Order last = 2;\n")
    repo = repository(
        tmp_path,
        {"protokit.yaml": "version: v1\ngen:\n  version: auto\n", "acme/orders/v1/order.proto": ORDER,
         "acme/users/v1/user.proto": importer},
    )  # fmt: skip
    git(repo, "tag", "v1.2.0")
    edit(repo, "// An order.", "// An order placed by a customer.")
    found = versions(protokit, repo)
    assert (found["acme-orders-v1"]["version"], found["acme-orders-v1"]["bump"]) == ("1.2.1", "patch")
    assert (found["acme-users-v1"]["version"], found["acme-users-v1"]["bump"]) == ("1.2.0", "none")


def test_gen_auto_builds_only_what_changed_and_says_when_nothing_did(protokit: Run, tmp_path: Path) -> None:
    repo = released(tmp_path)
    nothing = protokit("gen", repo, "--out", tmp_path / "dist")
    assert nothing.returncode == 0, nothing.stderr
    assert "nothing to release" in nothing.stderr
    assert not (tmp_path / "dist").exists()
    edit(repo, "  string note = 2;\n", "")
    result = protokit("gen", repo, "--out", tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == [
        "acme_orders_v1-2.0.0-py3-none-any.whl",
        "acme_orders_v1-2.0.0.tar.gz",
    ]


def test_a_repeated_gen_is_replayed_but_never_stale(protokit: Run, tmp_path: Path, cache_dir: Path) -> None:
    """An unchanged second gen is served from the run cache with the same packages; a new release tag on
    the same files, an edit, or a package cache emptied underneath give a new run."""
    repo = released(tmp_path)
    edit(repo, "  string note = 2;\n", "")
    git(repo, "commit", "-qam", "drop note")
    first = protokit("gen", repo, "--out", tmp_path / "first")
    assert first.returncode == 0, first.stderr
    assert list((cache_dir / "protokit" / "gen-runs").rglob("*"))
    again = protokit("gen", repo, "--out", tmp_path / "again")
    assert (again.returncode, again.stderr) == (0, first.stderr)
    names = ["acme_orders_v1-2.0.0-py3-none-any.whl", "acme_orders_v1-2.0.0.tar.gz"]
    for name in names:
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "first" / name).read_bytes()
    git(repo, "tag", "v2.0.0")  # the same commit, released: nothing left to release
    released_now = protokit("gen", repo, "--out", tmp_path / "third")
    assert released_now.returncode == 0, released_now.stderr
    assert "nothing to release" in released_now.stderr
    assert not (tmp_path / "third").exists()
    edit(repo, "// An order.", "// An order placed by a customer.")
    for entry in (cache_dir / "protokit" / "packages").iterdir():
        shutil.rmtree(entry)
    patched = protokit("gen", repo, "--out", tmp_path / "fourth")
    assert patched.returncode == 0, patched.stderr
    assert sorted(p.name for p in (tmp_path / "fourth").iterdir()) == [n.replace("2.0.0", "2.0.1") for n in names]


def test_below_one_a_breaking_change_bumps_minor(protokit: Run, tmp_path: Path) -> None:
    repo = released(tmp_path, tag="v0.4.2")
    edit(repo, "  string note = 2;\n", "")
    assert versions(protokit, repo)["acme-orders-v1"]["version"] == "0.5.0"


def test_tags_per_distribution_and_the_first_release(protokit: Run, tmp_path: Path) -> None:
    config = 'version: v1\ngen:\n  version: auto\n  tag: "{distribution}/v{version}"\n'
    repo = released(tmp_path, config, tag="acme-orders-v1/v3.1.4")
    git(repo, "tag", "v9.9.9")  # another tag scheme: ignored
    edit(repo, "  string note = 2;\n", "  string note = 2;\n  int32 count = 3;\n")
    found = versions(protokit, repo)
    assert (found["acme-orders-v1"]["version"], found["acme-orders-v1"]["tag"]) == ("3.2.0", "acme-orders-v1/v3.1.4")
    assert (found["acme-users-v1"]["version"], found["acme-users-v1"]["bump"]) == ("0.1.0", "first")


def test_git_tag_takes_the_latest_release_version(protokit: Run, tmp_path: Path) -> None:
    repo = released(tmp_path, "version: v1\ngen:\n  version: git-tag\n", tag="v1.9.0")
    git(repo, "tag", "v1.10.0")  # the highest version, not the last in name order
    found = versions(protokit, repo)
    assert found["acme-orders-v1"]["version"] == "1.10.0"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("version: v1\ngen:\n  version: git-tag\n", "no tag like v1.0.0 names a release of acme-orders-v1"),
        ("version: v1\ngen:\n  version: auto\n  tag: release\n", 'gen.tag: "release" has no {version} placeholder'),
        ("version: v1\ngen:\n  version: one\n", 'gen.version: "one" is not a version like 1.2.3'),
        ("version: v1\ngen:\n  stubs: mine\n", 'gen.stubs: "mine" is not one of protoc, mypy-protobuf'),
    ],
)
def test_bad_version_settings_are_clear_errors(protokit: Run, tmp_path: Path, config: str, message: str) -> None:
    repo = repository(tmp_path, {"protokit.yaml": config, "acme/orders/v1/order.proto": ORDER})
    result = protokit("gen", repo, "--out", tmp_path / "dist", *(["--version", "1.0.0"] if "stubs" in config else []))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
