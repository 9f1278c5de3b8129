"""Proto dependencies managed by pip: a package that ships .proto files, listed under ``deps``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import Run, proto, write_tree
from google.protobuf import descriptor_pb2

SHARED = proto("shared.money.v1", "// Money.\nmessage Money {\n  // Units.\n  int64 units = 1;\n}")


def install_proto_package(tmp_path: Path) -> Path:
    """Build and install (with pip, into a target directory) a distribution that ships a .proto file."""
    project = write_tree(
        tmp_path / "shared-protos",
        {
            "pyproject.toml": (
                '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
                '[project]\nname = "shared-protos"\nversion = "1.0.0"\n'
                '[tool.hatch.build.targets.wheel]\npackages = ["shared"]\n'
            ),
            "shared/money/v1/money.proto": SHARED,
        },
    )
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--no-build-isolation",
         "--target", str(target), str(project)],
        check=True, capture_output=True,
    )  # fmt: skip
    return target


def test_installed_package_listed_under_deps_resolves_imports(protokit: Run, tmp_path: Path) -> None:
    site = install_proto_package(tmp_path)
    repo = write_tree(
        tmp_path / "repo",
        {
            "protokit.yaml": "version: v1\ndeps:\n  - shared-protos\n",
            "acme/shop/v1/cart.proto": proto(
                "acme.shop.v1",
                "// Cart.\nmessage Cart {\n  // Total.\n  shared.money.v1.Money total = 1;\n}",
                ("shared/money/v1/money.proto",),
            ),
        },
    )
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    result = protokit("build", ".", "-o", "out.binpb", cwd=repo, env=env)
    assert result.returncode == 0, result.stderr
    files = descriptor_pb2.FileDescriptorSet.FromString((repo / "out.binpb").read_bytes()).file
    assert [f.name for f in files] == ["shared/money/v1/money.proto", "acme/shop/v1/cart.proto"]
    assert files[1].message_type[0].field[0].type_name == ".shared.money.v1.Money"


def test_missing_dependency_says_how_to_install_it(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "repo",
        {"protokit.yaml": "version: v1\ndeps:\n  - no-such-protos\n", "acme/x/v1/a.proto": proto("acme.x.v1")},
    )
    result = protokit("build", ".", "-o", "out.binpb", cwd=repo)
    assert result.returncode == 1
    expected = 'proto dependency "no-such-protos" (listed under deps in protokit.yaml) is not installed'
    assert f"{expected}; run: pip install no-such-protos" in result.stderr


def test_dependency_without_protos_is_refused(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "repo",
        {"protokit.yaml": "version: v1\ndeps:\n  - pytest\n", "acme/x/v1/a.proto": proto("acme.x.v1")},
    )
    result = protokit("build", ".", "-o", "out.binpb", cwd=repo)
    assert (
        result.returncode == 1
        and 'proto dependency "pytest" (listed under deps in protokit.yaml) ships no .proto files' in result.stderr
    )


def test_googleapis_resolves_without_configuration(protokit: Run, tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "repo",
        {
            "acme/x/v1/a.proto": proto(
                "acme.x.v1", "// S.\nmessage S {\n  // c.\n  google.rpc.Status s = 1;\n}", ("google/rpc/status.proto",)
            )
        },
    )
    result = protokit("build", ".", "-o", "out.binpb", "--exclude-source-info", cwd=repo)
    assert result.returncode == 0, result.stderr
    names = [f.name for f in descriptor_pb2.FileDescriptorSet.FromString((repo / "out.binpb").read_bytes()).file]
    assert "google/rpc/status.proto" in names and "google/protobuf/any.proto" in names


def test_the_quick_lookup_of_a_distribution_agrees_with_its_metadata() -> None:
    """Every installed distribution: where the quick look (a ``.dist-info`` directory on ``sys.path``) says its
    ``.proto`` files are is where ``importlib.metadata`` says, and it finds every one that ships some."""
    import importlib.metadata

    from protokit.includes import _installed_root

    shipping = 0
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if importlib.metadata.distribution(name).locate_file("") != dist.locate_file(""):
            continue  # installed twice: only the first one on the path counts
        ships = any(str(f).endswith(".proto") for f in dist.files or [])
        assert _installed_root(name) == (Path(str(dist.locate_file(""))).resolve() if ships else None), name
        shipping += ships
    assert shipping >= 1  # googleapis-common-protos at least
