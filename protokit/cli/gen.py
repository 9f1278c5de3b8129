"""``protokit gen`` and ``protokit version``: build the client packages, or say which versions they get."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from protokit.cli.common import EXIT_OK, ErrorFormatOption, run
from protokit.report.formats import ErrorFormat

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
        from protokit.gen.run import gen as generate
        from protokit.workspace import open_workspace

        workspace = open_workspace([input])
        result = generate(workspace, out, version, keep_source=keep_source, progress=_say)
        if not result.files:
            typer.echo("nothing to release: no package changed since its last release", err=True)
            for decision in result.versions:
                typer.echo(f"{decision.distribution} {decision.version}: {decision.reasons[0]}", err=True)
            return EXIT_OK
        for path in result.files:
            typer.echo(str(path))
        for path in result.sources:
            typer.echo(str(path))
        return EXIT_OK

    run(error_format, work)


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
            since = f" (was {d.previous}, {d.tag})" if d.tag else ""
            typer.echo(f"{d.distribution} {d.version}: {d.bump}{since}")
            for reason in d.reasons:
                typer.echo(f"  {reason}")
        return EXIT_OK

    run(error_format, work)
