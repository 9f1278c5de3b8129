"""``protokit publish``: upload the built client packages to a package index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from protokit.cli.common import EXIT_OK, ErrorFormatOption, run
from protokit.report.formats import ErrorFormat

HELP = """Upload the wheels and sdists in DIST to the index at --repository-url, with twine.

twine check --strict runs first; nothing is uploaded when it fails. Credentials come from
TWINE_USERNAME and TWINE_PASSWORD, or from a keyring; protokit never prompts for them and never
prints the password. --skip-existing skips files the index already holds, so that a release job
can be re-run.
"""

EPILOG = """Examples:

  TWINE_USERNAME=ci TWINE_PASSWORD=... protokit publish dist --repository-url https://pypi.example.com/

  protokit publish dist --repository-url https://upload.pypi.org/legacy/ --skip-existing
"""


def publish(
    dist: Annotated[Path, typer.Argument(help="Directory of the built distributions.", metavar="DIST")] = Path("dist"),
    repository_url: Annotated[
        str,
        typer.Option(
            "--repository-url",
            envvar="TWINE_REPOSITORY_URL",
            help="Upload URL of the index (the legacy upload API), e.g. https://upload.pypi.org/legacy/.",
        ),
    ] = "",
    skip_existing: Annotated[
        bool, typer.Option("--skip-existing", help="Skip files the index already holds instead of failing.")
    ] = False,
    error_format: ErrorFormatOption = ErrorFormat.text,
) -> None:
    """Upload the client packages."""

    def work() -> int:
        from protokit.diagnostics import ProtokitError, display_path
        from protokit.gen.publish import Upload
        from protokit.gen.publish import publish as upload

        if not repository_url:
            raise ProtokitError("--repository-url (or TWINE_REPOSITORY_URL) is required: the index to upload to")

        def say(done: Upload) -> None:
            note = " (already on the index)" if done.outcome == "skipped" else ""
            typer.echo(f"{done.outcome} {display_path(done.path)}{note}")

        upload(dist, repository_url, skip_existing=skip_existing, progress=say)
        return EXIT_OK

    run(error_format, work)
