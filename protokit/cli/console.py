"""Terminal output: colour and progress only when stderr is a terminal and NO_COLOR is unset."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from protokit.diagnostics import Diagnostic
from protokit.report.formats import ErrorFormat, finding_location, render_diagnostics


def stderr_is_terminal() -> bool:
    """Whether stderr is an interactive terminal."""
    return sys.stderr.isatty()


def colour_enabled() -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    return stderr_is_terminal() and not os.environ.get("NO_COLOR")


def print_diagnostics(diagnostics: list[Diagnostic], error_format: ErrorFormat) -> None:
    """Print diagnostics to stderr; in text format on a colour terminal, with styles."""
    lines = render_diagnostics(diagnostics, error_format)
    if error_format is ErrorFormat.text and colour_enabled():
        from rich.console import Console
        from rich.text import Text

        console = Console(stderr=True, highlight=False, soft_wrap=True)
        for diagnostic in diagnostics:
            text = Text()
            where = diagnostic.location()
            if where:
                text.append(where, style="bold")
                text.append(": ")
            style = "yellow" if diagnostic.kind == "WARNING" else "red"
            text.append(diagnostic.message, style=style)
            console.print(text)
        return
    for line in lines:
        print(line, file=sys.stderr)


def print_findings(
    findings: Callable[[], list[Diagnostic]],
    rendered: str,
    error_format: ErrorFormat,
    hints: dict[str, str] | None = None,
) -> None:
    """Print findings to stdout (``rendered``: in their format); text on a colour terminal gets styles, the
    rule ID and the fix instead (``findings`` are read only then)."""
    if error_format is ErrorFormat.text and sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False, soft_wrap=True)
        for finding in findings():
            text = Text()
            text.append(f"{finding_location(finding)}:", style="bold")
            text.append(finding.message)
            text.append(f" ({finding.kind})", style="dim")
            console.print(text)
            if hints and hints.get(finding.kind):
                console.print(Text(f"    fix: {hints[finding.kind]}", style="green"))
        return
    sys.stdout.write(rendered)


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback drawing a rich bar on a terminal once work is reported; ``None`` elsewhere."""
    if not stderr_is_terminal():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # Redrawn on each update, without a refresh thread: a thread would keep lint's rule pass from forking workers.
    progress = Progress(*columns, console=console, transient=True, auto_refresh=False)
    task = progress.add_task(description, total=None)

    def update(done: int, total: int) -> None:
        if not progress.live.is_started:
            progress.start()  # nothing is drawn for a build served from the cache
        progress.update(task, completed=done, total=total, refresh=True)

    try:
        yield update
    finally:
        progress.stop()
