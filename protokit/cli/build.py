"""``protokit build``: compile the contracts to a FileDescriptorSet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from protokit.cli.common import EXIT_OK, ErrorFormatOption, run
from protokit.report.formats import ErrorFormat

HELP = """Compile the .proto files of INPUT (a directory or file, default ".") into a FileDescriptorSet.

The output holds every targeted file and, unless --exclude-imports, everything it imports,
with source info unless --exclude-source-info. A name ending in .json writes the protobuf
JSON mapping; any other name (.binpb, .pb) writes the binary wire format; "-" writes to stdout.
"""

EPILOG = """Examples:

  protokit build -o image.binpb

  protokit build contracts -o contracts.json --exclude-source-info

  protokit build contracts --path contracts/acme/orders -o orders.binpb --exclude-imports
"""


def build(
    input: Annotated[Path, typer.Argument(help="Directory or .proto file to build.", metavar="INPUT")] = Path("."),
    output: Annotated[
        str, typer.Option("--output", "-o", help="File to write (.binpb, .pb, .json, or - for stdout).", metavar="FILE")
    ] = "",
    path: Annotated[
        list[Path] | None,
        typer.Option("--path", help="Build only these files or directories (repeatable).", metavar="PATH"),
    ] = None,
    exclude_imports: Annotated[bool, typer.Option("--exclude-imports", help="Leave imported files out.")] = False,
    exclude_source_info: Annotated[
        bool, typer.Option("--exclude-source-info", help="Leave source code info (locations, comments) out.")
    ] = False,
    error_format: ErrorFormatOption = ErrorFormat.text,
) -> None:
    """Compile INPUT to a FileDescriptorSet."""

    def work() -> int:
        from protokit.cli.console import print_diagnostics, progress_bar
        from protokit.compile.cache import DescriptorCache, default_cache_dir
        from protokit.compile.compiler import compile_workspace
        from protokit.compile.output import JSON_SUFFIXES, check_output_path, render, write_output
        from protokit.diagnostics import ProtokitError
        from protokit.workspace import open_workspace

        if not output:
            raise ProtokitError("missing --output/-o: name the file to write, for example -o image.binpb")
        check_output_path(output)
        workspace = open_workspace([input], path)
        with progress_bar("Compiling") as progress:
            result = compile_workspace(workspace, DescriptorCache(default_cache_dir()), progress=progress)
        if result.warnings:
            print_diagnostics(result.warnings, error_format)
        data = render(
            result,
            json_format=output.endswith(JSON_SUFFIXES),
            include_imports=not exclude_imports,
            include_source_info=not exclude_source_info,
        )
        write_output(data, output)
        return EXIT_OK

    run(error_format, work)
