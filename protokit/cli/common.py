"""What every command shares: exit codes, the ``--error-format`` option and error handling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from protokit.diagnostics import ProtokitError
from protokit.report.formats import ErrorFormat

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_FINDINGS = 100

ErrorFormatOption = Annotated[
    ErrorFormat,
    typer.Option(
        "--error-format",
        help=(
            "How to print errors and findings: text, json, msvs, github-actions, junit, sarif, "
            "gitlab-code-quality or config-ignore-yaml."
        ),
        case_sensitive=False,
    ),
]


ListRulesOption = Annotated[bool, typer.Option("--list-rules", help="List every rule of this command and exit.")]
ListFormatOption = Annotated[str, typer.Option("--format", help="Format of --list-rules: text, json or markdown.")]


def run(error_format: ErrorFormat, work: Callable[[], int]) -> None:
    """Run a command body; bad input is printed in ``error_format`` and exits 1, never with a traceback."""
    from protokit.cli.console import print_diagnostics

    try:
        code = work()
    except ProtokitError as exc:
        print_diagnostics(exc.diagnostics, error_format)
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    raise typer.Exit(code)
