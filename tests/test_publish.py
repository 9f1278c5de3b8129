"""``protokit publish``: uploads to a real pypiserver on 127.0.0.1 behind a password, then pip installs from it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CONTRACTS, ClientPackages, Run

USER = "release-bot"
PASSWORD = "correct-horse-battery-staple"
PIP_ALONE = {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@dataclass(frozen=True)
class Index:
    """A pypiserver that asks for a password to upload; anyone may download."""

    url: str  # upload URL
    simple: str  # PEP 503 index for pip
    packages: Path  # what it holds


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    """A real pypiserver on a free port of 127.0.0.1, with an htpasswd file made by passlib."""
    from passlib.apache import HtpasswdFile

    passwords = HtpasswdFile(str(tmp_path / "htpasswd"), new=True)
    passwords.set_password(USER, PASSWORD)
    passwords.save()
    packages = tmp_path / "index"
    packages.mkdir()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port)]
        + ["-P", str(tmp_path / "htpasswd"), "-a", "update", str(packages)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(url, server)
        yield Index(url, url + "simple/", packages)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (the system's pick, released again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "pypiserver exited"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"pypiserver did not answer at {url}")


def _credentials(password: str = PASSWORD, user: str = USER) -> dict[str, str]:
    return {
        "TWINE_USERNAME": user,
        "TWINE_PASSWORD": password,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }


def test_publish_uploads_then_pip_installs_by_version_and_skip_existing_reruns(
    protokit: Run, client_packages: ClientPackages, index: Index, tmp_path: Path
) -> None:
    files = sorted(p.name for p in client_packages.dist.iterdir() if p.is_file())
    published = protokit("publish", client_packages.dist, "--repository-url", index.url, env=_credentials())
    assert published.returncode == 0, published.stderr
    assert published.stdout.count("uploaded ") == len(files) == 12  # 5 packages and the shared buf-validate
    assert sorted(p.name for p in index.packages.iterdir()) == files
    assert PASSWORD not in published.stdout + published.stderr

    target = tmp_path / "site"
    install = [client_packages.python, "-m", "pip", "install", "-q", "--no-deps", "--target", target]
    installed = subprocess.run(
        [*install, "--index-url", index.simple, "acme-orders-v1==1.2.0"],
        capture_output=True,
        text=True,
        env={**os.environ, **PIP_ALONE},
    )
    assert installed.returncode == 0, installed.stderr
    imported = subprocess.run(
        [client_packages.python, "-c", "import acme.orders.v1 as m; print(m.__version__, m.__file__)"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(target)},
    )
    assert imported.returncode == 0, imported.stderr
    version, where = imported.stdout.split()
    assert version == "1.2.0" and Path(where).is_relative_to(target)

    baseline = protokit(
        "breaking",
        CONTRACTS,
        "--against-wheel",
        "acme-orders-v1==1.2.0",
        env={**PIP_ALONE, "PIP_INDEX_URL": index.simple},
    )
    assert baseline.returncode == 0, baseline.stdout + baseline.stderr

    again = protokit("publish", client_packages.dist, "--repository-url", index.url, env=_credentials())
    assert again.returncode == 1
    assert "already on the index" in again.stderr and "--skip-existing" in again.stderr
    assert "Traceback" not in again.stderr
    rerun = protokit(
        "publish", client_packages.dist, "--repository-url", index.url, "--skip-existing", env=_credentials()
    )
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.count("skipped ") == len(files)


def test_a_wrong_password_exits_1_with_a_clear_message_without_the_password(
    protokit: Run, client_packages: ClientPackages, index: Index
) -> None:
    wrong = "Wrong-Pa55word-xyzzy"
    refused = protokit("publish", client_packages.dist, "--repository-url", index.url, env=_credentials(wrong))
    assert refused.returncode == 1
    assert "refused the credentials" in refused.stderr and "TWINE_PASSWORD" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.stderr
    assert wrong not in refused.stdout + refused.stderr
    assert list(index.packages.iterdir()) == []

    secret_in_url = index.url.replace("://", f"://{USER}:{wrong}@")
    refused = protokit("publish", client_packages.dist, "--repository-url", secret_in_url, env=_credentials(""))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert wrong not in refused.stdout + refused.stderr


def test_publish_without_credentials_is_a_clear_error_not_a_prompt(
    protokit: Run, client_packages: ClientPackages, index: Index
) -> None:
    bare = protokit("publish", client_packages.dist, "--repository-url", index.url, env=_credentials("", ""))
    assert bare.returncode == 1
    assert "no credentials" in bare.stderr and "TWINE_USERNAME" in bare.stderr and "Traceback" not in bare.stderr
    assert list(index.packages.iterdir()) == []


def test_a_damaged_distribution_fails_twine_check_and_nothing_is_uploaded(
    protokit: Run, client_packages: ClientPackages, index: Index, tmp_path: Path
) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(client_packages.dist, dist)
    wheel = dist / "acme_users_v1-1.2.0-py3-none-any.whl"
    damaged = dist / "acme_users_v1-1.2.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(damaged, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("/METADATA"):
                text = data.decode().replace("Version: 1.2.0", "Version: 1.2.1")
                data = text.replace("text/markdown", "text/x-rst").encode() + b"\n`never closed\n"
            copy.writestr(item, data)
    (dist / "acme_zzz-1.0.0-py3-none-any.whl").write_text("not a zip")
    checked = protokit("publish", dist, "--repository-url", index.url, env=_credentials())
    assert checked.returncode == 1
    assert checked.stderr.startswith("twine check --strict failed, nothing was uploaded: ")
    assert "acme_users_v1-1.2.1-py3-none-any.whl: `long_description` has syntax errors" in checked.stderr
    assert "acme_zzz-1.0.0-py3-none-any.whl: not a readable distribution" in checked.stderr
    assert "Traceback" not in checked.stderr
    assert list(index.packages.iterdir()) == []


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing", "missing: no such directory (build the packages with protokit gen first)"),
        ("empty", "empty: no wheels or sdists to publish"),
        ("no-url", "--repository-url (or TWINE_REPOSITORY_URL) is required"),
        ("bad-url", "not-a-url: Invalid repository URL"),
        ("unreachable", "cannot reach the index: Connection refused"),
    ],
)
def test_bad_publish_input_is_a_one_line_error(
    protokit: Run, client_packages: ClientPackages, tmp_path: Path, case: str, message: str
) -> None:
    (tmp_path / "empty").mkdir()
    closed_port = _free_port()
    dist = {"missing": "missing", "empty": "empty"}.get(case, str(client_packages.dist))
    url = {"no-url": "", "bad-url": "not-a-url", "unreachable": f"http://127.0.0.1:{closed_port}/"}.get(
        case, "http://127.0.0.1:9/"
    )
    env = {**_credentials(), "TWINE_REPOSITORY_URL": ""}
    result = protokit("publish", dist, *(["--repository-url", url] if url else []), cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
