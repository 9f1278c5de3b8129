"""The ``protokit`` command line: argument parsing only; the work happens in the library modules."""

from __future__ import annotations

import typer

from protokit import __version__
from protokit.cli import breaking as breaking_command
from protokit.cli import build as build_command
from protokit.cli import gen as gen_command
from protokit.cli import lint as lint_command
from protokit.cli import publish as publish_command

app = typer.Typer(
    name="protokit",
    help=(
        "A toolchain for Protocol Buffers contract repositories.\n\n"
        "Exit codes: 0 ok, 1 error (bad input, failed compile), 100 findings (lint or breaking)."
    ),
    epilog=(
        "Examples:\n\n"
        "  protokit build contracts -o contracts.binpb\n\n"
        "  protokit build --path acme/orders -o orders.json --error-format github-actions\n\n"
        "  protokit gen contracts --out dist --version 1.4.0 && protokit publish dist --repository-url URL"
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
app.command("breaking", help=breaking_command.HELP, epilog=breaking_command.EPILOG)(breaking_command.breaking)
app.command("gen", help=gen_command.GEN_HELP, epilog=gen_command.GEN_EPILOG)(gen_command.gen)
app.command("version", help=gen_command.VERSION_HELP)(gen_command.version)
app.command("publish", help=publish_command.HELP, epilog=publish_command.EPILOG)(publish_command.publish)


@app.command("explain", epilog="Examples:\n\n  protokit explain ENUM_VALUE_PREFIX")
def explain(rule_id: str = typer.Argument(..., metavar="RULE_ID", help="A lint or breaking rule ID.")) -> None:
    """Explain a rule: what it checks, why, a bad and a good example, and the fix."""
    from protokit.cli.common import run
    from protokit.docs import explain as explain_rule
    from protokit.report.formats import ErrorFormat

    def work() -> int:
        typer.echo(explain_rule(rule_id), nl=False)
        return 0

    run(ErrorFormat.text, work)


def main() -> None:
    """Console-script entry point."""
    from protokit.collection import set_for_runs

    set_for_runs()
    app()
