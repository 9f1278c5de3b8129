"""Uploading built distributions to a package index with twine: checked first, credentials never shown."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from protokit.diagnostics import ProtokitError

if TYPE_CHECKING:
    import requests
    from twine.package import PackageFile
    from twine.repository import Repository

CREDENTIALS_HINT = "set TWINE_USERNAME and TWINE_PASSWORD, or store the password in a keyring for this index"


@dataclass(frozen=True)
class Upload:
    """One distribution file and what became of it: ``uploaded`` or ``skipped`` (already on the index)."""

    path: Path
    outcome: str


def distribution_files(directory: Path) -> list[Path]:
    """The wheels and sdists directly in ``directory``, sdist before wheel for each distribution."""
    if not directory.is_dir():
        raise ProtokitError(f"{directory}: no such directory (build the packages with protokit gen first)")
    files = [*directory.glob("*.tar.gz"), *directory.glob("*.whl")]
    if not files:
        raise ProtokitError(f"{directory}: no wheels or sdists to publish (build them with protokit gen first)")
    return sorted(files, key=lambda path: (path.name.split("-")[0].lower(), path.suffix == ".whl", path.name))


def check(files: list[Path]) -> None:
    """``twine check --strict`` on ``files``; raise with every file's complaints when any fails."""
    complaints = [f"{path.name}: {problem}" for path in files if (problem := _check_one(path))]
    if complaints:
        raise ProtokitError("twine check --strict failed, nothing was uploaded: " + "; ".join(complaints))


def _check_one(path: Path) -> str | None:
    """What ``twine check --strict`` finds wrong with one file, or ``None``."""
    from twine.commands.check import check as twine_check

    messages = _Messages()
    logger = logging.getLogger("twine")
    logger.addHandler(messages)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            failed = twine_check([str(path)], strict=True)
    except Exception as exc:  # twine raises whatever its readers raise on a damaged archive
        return f"not a readable distribution ({type(exc).__name__}: {exc})"
    finally:
        logger.removeHandler(messages)
    return "; ".join(messages.lines) or "failed" if failed else None


class _Messages(logging.Handler):
    """Collects what twine logs while it checks a file."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(" ".join(record.getMessage().split()))


def publish(
    directory: Path,
    repository_url: str,
    *,
    skip_existing: bool = False,
    progress: Callable[[Upload], None] = lambda upload: None,
) -> list[Upload]:
    """Check, then upload every distribution in ``directory`` to ``repository_url``.

    Credentials come from ``TWINE_USERNAME``/``TWINE_PASSWORD`` or a keyring, never from a prompt, and
    no message carries the password. With ``skip_existing`` a file the index already holds is skipped,
    so that a release job can be re-run.
    """
    files = distribution_files(directory)
    check(files)
    password = os.environ.get("TWINE_PASSWORD") or ""
    try:
        return _upload(files, repository_url, skip_existing, progress)
    except ProtokitError as exc:
        raise ProtokitError(_redact(str(exc), password)) from None


def _upload(
    files: list[Path], repository_url: str, skip_existing: bool, progress: Callable[[Upload], None]
) -> list[Upload]:
    import requests
    from twine.exceptions import TwineException
    from twine.package import PackageFile
    from twine.settings import Settings
    from twine.utils import sanitize_url

    index = sanitize_url(repository_url)
    uploads: list[Upload] = []
    try:
        settings = Settings(
            repository_url=repository_url,
            username=os.environ.get("TWINE_USERNAME") or None,
            password=os.environ.get("TWINE_PASSWORD") or None,
            non_interactive=True,
            disable_progress_bar=True,
        )
        settings.check_repository_url()
        repository = settings.create_repository()
        for path in files:
            package = PackageFile.from_filename(str(path), comment=None)
            outcome = _send(repository, package, index, skip_existing)
            uploads.append(Upload(path, outcome))
            progress(uploads[-1])
        repository.close()
    except TwineException as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "Credential not found" in message:
            raise ProtokitError(f"{index}: no credentials: {CREDENTIALS_HINT}") from None
        raise ProtokitError(f"{index}: {message}") from None
    except requests.RequestException as exc:
        raise ProtokitError(f"{index}: cannot reach the index: {_reason(exc)}") from None
    return uploads


def _send(repository: Repository, package: PackageFile, index: str, skip_existing: bool) -> str:
    """Upload one file; ``uploaded`` or ``skipped``, else raise with what the index said."""
    with contextlib.redirect_stdout(io.StringIO()):  # twine prints "Uploading NAME"; the caller reports
        response = repository.upload(package)
    name = package.basefilename
    if response.is_redirect:
        raise ProtokitError(f"{index}: redirected to {response.headers.get('location', '?')}; publish to that URL")
    if response.ok:
        return "uploaded"
    status = f"{response.status_code} {response.reason}"
    if _already_there(response):
        if skip_existing:
            return "skipped"
        raise ProtokitError(
            f"{index}: {name} is already on the index ({status}); a version is uploaded once: "
            "build a new version, or pass --skip-existing to re-run a release"
        )
    if response.status_code in (401, 403):
        raise ProtokitError(
            f"{index}: the index refused the credentials ({status}) uploading {name}: {CREDENTIALS_HINT}"
        )
    raise ProtokitError(f"{index}: the index answered {status} to {name}")


def _already_there(response: requests.Response) -> bool:
    """What pypiserver (409), PyPI (400 "already exists") and other indexes answer to a file they hold."""
    said = f"{response.reason} {response.text}".lower()
    return response.status_code == 409 or (response.status_code == 400 and "already exist" in said)


def _reason(exc: Exception) -> str:
    text = str(exc)
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    return found.group(1).strip() if found else type(exc).__name__


def _redact(text: str, secret: str) -> str:
    """``text`` with ``secret`` masked wherever it stands alone (what an index might echo back)."""
    return re.sub(rf"(?<!\w){re.escape(secret)}(?!\w)", "****", text) if secret else text
