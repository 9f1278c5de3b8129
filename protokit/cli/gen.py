"""``protokit gen`` and ``protokit version``: build the client packages, or say which versions they get."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from protokit.cli.common import EXIT_OK, ErrorFormatOption, run
from protokit.report.formats import ErrorFormat

if TYPE_CHECKING:
    from protokit.gen.versions import NextVersion

GEN_HELP = """Build a typed Python client distribution (wheel and sdist) per proto package of INPUT into --out.

Each holds the generated messages (*_pb2.py), gRPC stubs (*_pb2_grpc.py), their .pyi stubs,
a sync and an asyncio client per service, the .proto sources and their descriptor set. The
version comes from --version, else from gen.version in protokit.yaml (X.Y.Z, git-tag or auto).
Builds are reproducible (SOURCE_DATE_EPOCH defaults to the commit time of HEAD), and --out is
only written once every package built.
"""

GEN_EPILOG = """Examples:

  protokit gen contracts --out dist --version 1.4.0

  protokit gen --out dist --keep-source
"""

VERSION_HELP = """Print the next version of each distribution of INPUT, and the findings that decided it.

With gen.version auto, each package is compared with its latest release tag (gen.tag, default
v{version}): a breaking change bumps major (minor below 1.0), an addition minor, any other change
patch; no change keeps the version and there is nothing to release.
"""

InputArgument = Annotated[Path, typer.Argument(help="Directory of the contracts.", metavar="INPUT")]


def gen(
    input: InputArgument = Path("."),
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write wheels and sdists to.")] = Path("dist"),
    version: Annotated[
        str, typer.Option("--version", help="The version of every distribution (overrides gen.version).")
    ] = "",
    keep_source: Annotated[
        bool, typer.Option("--keep-source", help="Also write each project directory to OUT/src/NAME.")
    ] = False,
    error_format: ErrorFormatOption = ErrorFormat.text,
) -> None:
    """Build the client packages."""

    def work() -> int:
        from protokit.diagnostics import display_path
        from protokit.gen.run import gen as generate
        from protokit.workspace import open_workspace

        workspace = open_workspace([input])
        result = generate(workspace, out, version, keep_source=keep_source, progress=_say)
        if not result.files:
            typer.echo("nothing to release: no package changed since its last release", err=True)
            return EXIT_OK
        for decision in result.versions:
            if decision.bump not in ("set",):
                typer.echo(describe(decision), err=True)
        for path in [*result.files, *result.sources]:
            typer.echo(display_path(path))
        return EXIT_OK

    run(error_format, work)


WHY = {
    "major": "breaking changes",
    "minor": "additions, nothing breaking",
    "patch": "changes, nothing added or breaking",
}


def describe(decision: NextVersion) -> str:
    """One line saying which version a distribution gets and why."""
    d = decision
    if d.bump in WHY:
        return f"{d.distribution} {d.previous} -> {d.version} ({d.bump}: {WHY[d.bump]} since {d.tag})"
    if d.bump == "none":
        return f"{d.distribution} {d.version} (unchanged since {d.tag}: nothing to release)"
    return f"{d.distribution} {d.version} ({d.reasons[0] if d.reasons else 'from --version or gen.version'})"


def _say(message: str) -> None:
    from protokit.cli.console import stderr_is_terminal

    if stderr_is_terminal():
        typer.echo(message, err=True)


def version(
    input: InputArgument = Path("."),
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    error_format: ErrorFormatOption = ErrorFormat.text,
) -> None:
    """Print the next version of each distribution with the reasons."""

    def work() -> int:
        from protokit.compile.cache import DescriptorCache, default_cache_dir
        from protokit.diagnostics import ProtokitError
        from protokit.gen.run import planned
        from protokit.gen.versions import next_versions
        from protokit.workspace import open_workspace

        if output_format not in ("text", "json"):
            raise ProtokitError(f'--format: "{output_format}" is not text or json')
        workspace = open_workspace([input])
        cache = DescriptorCache(default_cache_dir())
        decisions = next_versions(workspace, planned(workspace, cache)[0], cache)
        if output_format == "json":
            typer.echo(json.dumps([d.__dict__ for d in decisions], indent=2))
            return EXIT_OK
        for d in decisions:
            typer.echo(describe(d))
            for reason in d.reasons if d.bump in ("major", "minor", "patch") else []:
                typer.echo(f"  {reason}")
        return EXIT_OK

    run(error_format, work)
