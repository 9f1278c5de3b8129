"""``protokit lint``: Buf's lint rules over the contracts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from protokit.cli.common import EXIT_FINDINGS, EXIT_OK, ErrorFormatOption, ListFormatOption, ListRulesOption, run
from protokit.report.documents import RuleHelp
from protokit.report.formats import DOCUMENT_FORMATS, ErrorFormat

HELP = """Check the .proto files of INPUT (directories or files, default ".") against the lint rules.

Files given by path (as pre-commit passes them) are judged with their whole module in view,
so the result equals a lint of the whole tree filtered to those files. Findings go to stdout;
the exit code is 100 when there are findings, 0 when clean, 1 on errors.
"""

EPILOG = """Examples:

  protokit lint

  protokit lint contracts --error-format github-actions

  protokit lint contracts/acme/orders/v1/order.proto --show-rule
"""


def _sarif_rules() -> dict[str, RuleHelp]:
    """The lint rules' help, which SARIF output carries (imported only for it)."""
    from protokit.docs import rule_help

    return rule_help("lint")


def lint(
    inputs: Annotated[
        list[Path] | None, typer.Argument(help="Directories or .proto files.", metavar="INPUT...")
    ] = None,
    error_format: ErrorFormatOption = ErrorFormat.text,
    show_rule: Annotated[bool, typer.Option("--show-rule", help="Append the rule ID to each text finding.")] = False,
    error_on_unused_ignores: Annotated[
        bool,
        typer.Option("--error-on-unused-ignores", help="Report ignores that silence nothing as findings."),
    ] = False,
    list_rules: ListRulesOption = False,
    list_format: ListFormatOption = "text",
) -> None:
    """Lint INPUT."""

    def work() -> int:
        if list_rules:
            from protokit.docs import render_rules

            typer.echo(render_rules("lint", list_format))
            return EXIT_OK
        from dataclasses import replace

        from protokit.cli.console import print_diagnostics, print_findings, progress_bar
        from protokit.compile.cache import default_cache_dir
        from protokit.diagnostics import Diagnostic, finding_order
        from protokit.lint.engine import UNUSED_IGNORE
        from protokit.lint.run_cache import lint_run, printed
        from protokit.report.formats import render_findings
        from protokit.workspace import open_workspace, whole_workspace

        selected = open_workspace(inputs or [Path(".")])
        whole = whole_workspace(selected)
        with progress_bar("Compiling") as progress:
            report = lint_run(whole, selected.targets, default_cache_dir(), progress)
        stale = [w for w in report.warnings if w.kind == UNUSED_IGNORE]
        notes = [w for w in report.warnings if w.kind != UNUSED_IGNORE]
        merged = None  # findings other than the report's, when stale ignores are findings too
        if error_on_unused_ignores and stale:
            merged = sorted(report.findings + stale, key=finding_order)
        else:
            notes += [replace(w, kind="WARNING") for w in stale]
        if notes:
            print_diagnostics(notes, ErrorFormat.text if error_format in DOCUMENT_FORMATS else error_format)
        if report.rules_run == 0:
            typer.echo("protokit: the configuration enables no lint rule; nothing was checked", err=True)

        def render(findings: list[Diagnostic]) -> str:
            lines = render_findings(
                findings,
                error_format,
                show_rule=show_rule,
                rules=_sarif_rules() if error_format is ErrorFormat.sarif else None,
                base=whole.config.directory,
            )
            return "".join(line + "\n" for line in lines)

        if error_format in DOCUMENT_FORMATS and merged is None:
            merged = report.findings  # one document, not one piece per file
        view = f"{error_format.value} show_rule={show_rule} unused_ignores={error_on_unused_ignores}"
        text = printed(default_cache_dir(), whole, report, view, render, merged)
        print_findings(lambda: report.findings if merged is None else merged, text, error_format)
        return EXIT_FINDINGS if (report.count if merged is None else merged) else EXIT_OK

    run(error_format, work)
