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
Exit code 100 when there are breaking changes, 0 when none, 1 on errors.
"""

EPILOG = """Examples:

  protokit breaking --against main

  protokit breaking contracts --against "origin/${GITHUB_BASE_REF}" --error-format github-actions

  protokit breaking --against release.binpb
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
    error_format: ErrorFormatOption = ErrorFormat.text,
    list_rules: ListRulesOption = False,
    list_format: ListFormatOption = "text",
) -> None:
    """Report breaking changes in INPUT against AGAINST."""

    def work() -> int:
        if list_rules:
            from protokit.checks.docs import render_rules

            typer.echo(render_rules("breaking", list_format))
            return EXIT_OK
        from protokit.breaking.against import Against, NothingToCompare, merge_base, parse_against
        from protokit.breaking.compare import RULES, compare
        from protokit.breaking.sides import baseline, module_views
        from protokit.cli.console import print_findings
        from protokit.compile.cache import DescriptorCache, default_cache_dir
        from protokit.diagnostics import ProtokitError
        from protokit.report.formats import render_findings
        from protokit.workspace import open_workspace

        if bool(against) == bool(against_merge_base):
            raise ProtokitError(
                "give one of --against (a git ref, directory or descriptor set) or --against-merge-base"
            )
        selected = open_workspace([input])
        spec = parse_against(against) if against else Against("git", merge_base(input, against_merge_base))
        current = open_workspace([selected.config.directory])
        cache = DescriptorCache(default_cache_dir())
        new = module_views(current, cache)
        try:
            with baseline(spec, current, cache) as old:
                config = current.config.modules[0].breaking
                disk = {name: f.path for name, f in current.files.items()}
                findings = compare(old, new, config, disk)
        except NothingToCompare:
            typer.echo(f"protokit: {spec.ref} is before the repository's first commit; nothing to compare", err=True)
            return EXIT_OK
        findings = [f for f in findings if not f.path or f.path in {new[n].shown for n in selected.targets}]
        hints = {rule_id: rule.fix for rule_id, rule in RULES.items()}
        lines = render_findings(findings, error_format, base=current.config.directory, section="breaking", hints=hints)
        print_findings(findings, lines, error_format, hints)
        return EXIT_FINDINGS if findings else EXIT_OK

    run(error_format, work)
