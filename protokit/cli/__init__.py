"""The ``protokit`` command line: argument parsing only; the work happens in the library modules."""

from __future__ import annotations

import typer

from protokit import __version__
from protokit.cli import build as build_command
from protokit.cli import lint as lint_command

app = typer.Typer(
    name="protokit",
    help=(
        "A toolchain for Protocol Buffers contract repositories.\n\n"
        "Exit codes: 0 ok, 1 error (bad input, failed compile), 100 findings (lint or breaking)."
    ),
    epilog=(
        "Examples:\n\n"
        "  protokit build contracts -o contracts.binpb\n\n"
        "  protokit build --path acme/orders -o orders.json --error-format github-actions"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"protokit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", help="Print the version and exit.", callback=_version, is_eager=True
    ),
) -> None:
    """A toolchain for Protocol Buffers contract repositories."""


app.command(
    "build",
    help=build_command.HELP,
    epilog=build_command.EPILOG,
    no_args_is_help=False,
)(build_command.build)


app.command("lint", help=lint_command.HELP, epilog=lint_command.EPILOG)(lint_command.lint)


def main() -> None:
    """Console-script entry point."""
    app()
