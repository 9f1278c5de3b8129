"""Shared fixtures: run the real protokit CLI in a subprocess, with a private cache, on real files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTRACTS = REPO / "contracts"

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    """A private, initially empty cache directory."""
    return tmp_path / "cache"


def run_protokit(
    args: tuple[str | Path, ...], cache_dir: Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m protokit ARGS`` as a user would, with ``cache_dir`` as its cache (text mode)."""
    full_env = {**os.environ, "XDG_CACHE_HOME": str(cache_dir), "NO_COLOR": "1"}
    full_env.pop("PROTOKIT_CACHE_DIR", None)
    full_env.pop("SOURCE_DATE_EPOCH", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "protokit", *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def protokit(cache_dir: Path) -> Run:
    """Run ``python -m protokit ARGS`` as a user would; returns the completed process (text mode)."""

    def run(
        *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return run_protokit(args, cache_dir, cwd, env)

    return run


@contextmanager
def shared_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path``, shared by the pytest-xdist workers of one run."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class ClientPackages:
    """The contracts' client packages built once per test run, and a fresh virtualenv they are installed in."""

    dist: Path
    python: Path
    cache: Path


@pytest.fixture(scope="session")
def client_packages(tmp_path_factory: pytest.TempPathFactory) -> ClientPackages:
    """``protokit gen contracts --out dist --version 1.2.0``, every wheel pip-installed into a fresh venv.

    Built once per run: the xdist workers share it through a lock in the run's base temp directory.
    """
    base = tmp_path_factory.getbasetemp()
    run_dir = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # one per test run, either way
    shared = run_dir / "client-packages"
    packages = ClientPackages(shared / "dist", shared / "venv" / "bin" / "python", shared / "cache")
    with shared_lock(shared.parent / "client-packages.lock"):
        if not (shared / "ready").exists():
            shutil.rmtree(shared, ignore_errors=True)
            built = run_protokit(("gen", CONTRACTS, "--out", packages.dist, "--version", "1.2.0"), packages.cache)
            assert built.returncode == 0, built.stderr
            subprocess.run([sys.executable, "-m", "venv", shared / "venv"], check=True)
            wheels = sorted(packages.dist.glob("*.whl"))
            install = subprocess.run(
                [packages.python, "-m", "pip", "install", "-q", *wheels], capture_output=True, text=True, timeout=600
            )
            assert install.returncode == 0, install.stderr
            (shared / "ready").write_text("")
    return packages


def run_in_terminal(args: list[str], cwd: Path, env: dict[str, str], stream: str = "stderr") -> tuple[int, str]:
    """Run with ``stream`` (stdout or stderr) on a pseudo-terminal; the exit code and what the terminal got."""
    import pty

    leader, follower = pty.openpty()
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: follower}
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=streams["stdout"], stderr=streams["stderr"])
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    code = process.wait(timeout=60)
    os.close(leader)
    return code, b"".join(chunks).decode("utf-8", "replace")


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root`` and return ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def proto(package: str, body: str = "", imports: tuple[str, ...] = ()) -> str:
    """A small proto3 file of ``package`` with ``imports`` and ``body``."""
    lines = ['syntax = "proto3";', "", f"package {package};", ""]
    lines += [f'import "{name}";' for name in imports]
    return "\n".join(lines) + ("\n\n" if imports else "") + body + "\n"


def synthetic_history(where: Path, files: int = 80) -> Path:
    """The benchmarks' synthetic tree of ``files`` files, made into a git history of 20 releases and one commit."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from history import make_history
    from synthetic import generate_tree

    tree = where / "history"
    generate_tree(tree, files=files, jobs=1)
    make_history(tree)
    return tree


def find_buf() -> str | None:
    """The buf binary for differential tests: ``$PROTOKIT_BUF``, ``PATH`` or ``node_modules/.bin``."""
    candidates = [os.environ.get("PROTOKIT_BUF"), shutil.which("buf"), str(REPO / "node_modules/.bin/buf")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity; its output (the test fails when git does)."""
    result = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def repository(tmp_path: Path, files: dict[str, str]) -> Path:
    """A git repository whose first commit on ``main`` holds ``files``."""
    repo = write_tree(tmp_path / "repo", files)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    return repo
