"""``protokit breaking``: breaking changes against git history, a directory or a descriptor set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from protokit.cli.common import EXIT_FINDINGS, EXIT_OK, ErrorFormatOption, ListFormatOption, ListRulesOption, run
from protokit.report.formats import ErrorFormat

HELP = """Report breaking changes in INPUT (default ".", uncommitted edits included) against a baseline.

AGAINST is a git ref of the repository (main, origin/main, v1.4.0, HEAD~1, or Buf's
.git#branch=main,subdir=proto), read from git's object database without touching the
working tree; or a directory; or a descriptor set written by protokit build or buf build.
With --against-tags GLOB, the newest matching tag is the baseline, and a field or enum
number dropped in any matching release may not come back with another meaning.
Exit code 100 when there are breaking changes, 0 when none, 1 on errors.
"""

EPILOG = """Examples:

  protokit breaking --against main

  protokit breaking contracts --against "origin/${GITHUB_BASE_REF}" --error-format github-actions

  protokit breaking --against release.binpb

  protokit breaking --against-tags 'v*'

  protokit breaking --against-wheel acme-orders-v1==1.2.0
"""


def breaking(
    input: Annotated[Path, typer.Argument(help="Directory to check.", metavar="INPUT")] = Path("."),
    against: Annotated[str, typer.Option("--against", help="Git ref, directory or descriptor set.")] = "",
    against_merge_base: Annotated[
        str,
        typer.Option(
            "--against-merge-base", help="Compare with the merge base of HEAD and this branch.", metavar="BRANCH"
        ),
    ] = "",
    against_tags: Annotated[
        str,
        typer.Option(
            "--against-tags",
            help="Compare with the newest tag matching this glob, and check numbers against every matching tag.",
            metavar="GLOB",
        ),
    ] = "",
    against_config: Annotated[
        Path | None,
        typer.Option("--against-config", help="Configuration of the old side, when it differs.", metavar="FILE"),
    ] = None,
    against_wheel: Annotated[
        str,
        typer.Option(
            "--against-wheel",
            help="Compare with a client package built by protokit gen, fetched with pip (acme-orders-v1==1.2.0).",
            metavar="REQUIREMENT",
        ),
    ] = "",
    exclude_imports: Annotated[
        bool,
        typer.Option(
            "--exclude-imports",
            help="Leave out changes in imported files (well-known types, includes), which are compared by default.",
        ),
    ] = False,
    error_format: ErrorFormatOption = ErrorFormat.text,
    list_rules: ListRulesOption = False,
    list_format: ListFormatOption = "text",
) -> None:
    """Report breaking changes in INPUT against AGAINST."""

    def work() -> int:
        if list_rules:
            from protokit.docs import render_rules

            typer.echo(render_rules("breaking", list_format))
            return EXIT_OK
        from protokit.breaking.run import NothingToCompare, Request, check

        try:
            request = Request(
                input, against, against_merge_base, against_tags, against_config, against_wheel, exclude_imports
            )
            outcome = check(request)
        except NothingToCompare as nothing:
            typer.echo(f"protokit: {nothing}; nothing to compare", err=True)
            return EXIT_OK
        from protokit.cli.console import print_diagnostics, print_findings
        from protokit.report.formats import DOCUMENT_FORMATS, ErrorFormat, render_findings

        if outcome.warnings:
            print_diagnostics(outcome.warnings, ErrorFormat.text if error_format in DOCUMENT_FORMATS else error_format)
        findings = outcome.findings
        lines = render_findings(findings, error_format, base=outcome.base, section="breaking", hints=outcome.hints)
        print_findings(lambda: findings, "".join(line + "\n" for line in lines), error_format, outcome.hints)
        return EXIT_FINDINGS if findings else EXIT_OK

    run(error_format, work)
