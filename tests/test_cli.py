"""CLI conventions shared by every command: version, help, error formats, colour, exit codes, start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import Run, proto, run_in_terminal, write_tree
from google.protobuf import descriptor_pb2

from protokit import __version__

BROKEN = {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {\n  int32 x = 1\n}")}


def test_version(protokit: Run) -> None:
    result = protokit("--version")
    assert (result.returncode, result.stdout) == (0, f"protokit {__version__}\n")


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "protokit"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert result.stdout.strip() == f"protokit {__version__}"


def test_help_shows_examples_and_exit_codes(protokit: Run) -> None:
    top = protokit("--help")
    assert top.returncode == 0 and "100 findings" in top.stdout
    build = protokit("build", "--help")
    assert "Examples:" in build.stdout and "protokit build contracts" in build.stdout


def test_startup_imports_no_heavy_module() -> None:
    """``protokit --version`` stays fast because protobuf, protoc, YAML and rich load only when used."""
    heavy = ("google.protobuf", "grpc_tools", "yaml", "rich.console", "git")
    code = f"import sys, protokit.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_json_error_format(protokit: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, BROKEN)
    result = protokit("build", ".", "-o", "out.binpb", "--error-format", "json", cwd=tmp_path)
    assert result.returncode == 1
    record = json.loads(result.stderr.strip())
    assert record == {
        "path": "acme/x/v1/a.proto",
        "start_line": 6,
        "start_column": 1,
        "end_line": 6,
        "end_column": 1,
        "type": "COMPILE",
        "message": 'Expected ";".',
    }


def test_github_actions_and_msvs_error_formats(protokit: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, BROKEN)
    github = protokit("build", ".", "-o", "out.binpb", "--error-format", "github-actions", cwd=tmp_path)
    assert (
        github.stderr.strip()
        == '::error file=acme/x/v1/a.proto,line=6,col=1,endLine=6,endColumn=1,title=COMPILE::Expected ";".'
    )
    msvs = protokit("build", ".", "-o", "out.binpb", "--error-format", "msvs", cwd=tmp_path)
    assert msvs.stderr.strip() == 'acme/x/v1/a.proto(6,1) : error COMPILE : Expected ";".'


def test_unknown_error_format_is_a_usage_error(protokit: Run, tmp_path: Path) -> None:
    result = protokit("build", ".", "-o", "out.binpb", "--error-format", "yaml", cwd=tmp_path)
    assert result.returncode == 2 and "yaml" in result.stderr and "Traceback" not in result.stderr


def test_output_to_stdout(protokit: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}")})
    result = subprocess.run(
        [sys.executable, "-m", "protokit", "build", ".", "-o", "-", "--exclude-imports"],
        cwd=tmp_path,
        capture_output=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "c")},
    )
    assert result.returncode == 0
    assert [f.name for f in descriptor_pb2.FileDescriptorSet.FromString(result.stdout).file] == ["acme/x/v1/a.proto"]


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path: Path) -> None:
    write_tree(tmp_path, BROKEN)
    args = [sys.executable, "-m", "protokit", "build", ".", "-o", "out.binpb"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {
        "XDG_CACHE_HOME": str(tmp_path / "c"),
        "TERM": "xterm",
    }
    _, coloured = run_in_terminal(args, tmp_path, env)
    assert "\x1b[" in coloured and 'Expected ";".' in coloured
    _, plain = run_in_terminal(args, tmp_path, {**env, "NO_COLOR": "1"})
    assert "\x1b[1m" not in plain and "\x1b[31m" not in plain and 'acme/x/v1/a.proto:6:1: Expected ";".' in plain
    piped = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert "\x1b[" not in piped.stderr
