"""One renderer per ``--error-format`` value, shared by every command."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path

from protokit.diagnostics import Diagnostic
from protokit.report import documents
from protokit.report.documents import RuleHelp


class ErrorFormat(StrEnum):
    """The values ``--error-format`` accepts."""

    text = "text"
    json = "json"
    msvs = "msvs"
    github_actions = "github-actions"
    junit = "junit"
    sarif = "sarif"
    gitlab_code_quality = "gitlab-code-quality"
    config_ignore_yaml = "config-ignore-yaml"


# Formats that render a whole document rather than one line per diagnostic.
DOCUMENT_FORMATS = frozenset(
    {ErrorFormat.junit, ErrorFormat.sarif, ErrorFormat.gitlab_code_quality, ErrorFormat.config_ignore_yaml}
)


def policy_suffix(d: Diagnostic) -> str:
    """`` (POLICY)`` after the message of a finding that comes from a buf.yaml policy, as Buf prints it."""
    return f" ({d.policy})" if d.policy else ""


def _text(d: Diagnostic) -> str:
    if d.policy:
        return f"{d}{policy_suffix(d)}"
    if d.kind == "WARNING":
        where = d.location()
        return f"{where}: warning: {d.message}" if where else f"warning: {d.message}"
    return str(d)


_GO_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)
_GO_ESCAPED = re.compile("[<>&\u2028\u2029]")
_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a string


def _json(d: Diagnostic) -> str:
    """Buf's JSON line for a finding: its keys in its order, no ``path`` for a finding about the input itself
    and ``policy`` only when set (written out: it runs per finding); Go's escapes are :func:`_json_lines`'."""
    return (
        ("{" if not d.path else f'{{"path":{_string(d.path)},')
        + f'"start_line":{d.line},"start_column":{d.column},"end_line":{d.end_line or d.line},'
        + f'"end_column":{d.end_column or d.column},"type":{_string(d.kind)},"message":{_string(d.message)}'
        + (f',"policy":{_string(d.policy)}}}' if d.policy else "}")
    )


def _json_lines(diagnostics: Iterable[Diagnostic]) -> list[str]:
    """Buf's JSON lines, strings escaped as Go's encoder escapes them (looked for once in all the lines: few
    have any)."""
    lines = [_json(d) for d in diagnostics]
    if _GO_ESCAPED.search("".join(lines)):
        return [line.translate(_GO_JSON_ESCAPES) for line in lines]
    return lines


def _msvs(d: Diagnostic) -> str:
    level = "warning" if d.kind == "WARNING" else "error"
    where = f"{d.path}({d.line},{d.column})" if d.line else d.path or "protokit"
    return f"{where} : {level} {d.kind} : {d.message}{policy_suffix(d)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _github(d: Diagnostic) -> str:
    level = "warning" if d.kind == "WARNING" else "error"
    props = []
    if d.path:
        props.append(f"file={_escape_property(d.path)}")
    if d.line:
        props += [f"line={d.line}", f"col={d.column}", f"endLine={d.end_line or d.line}"]
        props.append(f"endColumn={d.end_column or d.column}")
    props.append(f"title={_escape_property(d.kind)}")
    return f"::{level} {','.join(props)}::{_escape_data(d.message + policy_suffix(d))}"


_RENDERERS: dict[ErrorFormat, Callable[[Diagnostic], str]] = {
    ErrorFormat.text: _text,
    ErrorFormat.msvs: _msvs,
    ErrorFormat.github_actions: _github,
}


def render_diagnostics(diagnostics: Iterable[Diagnostic], error_format: ErrorFormat) -> list[str]:
    """One line per diagnostic; errors are shown as text where the format is a whole document."""
    if error_format is ErrorFormat.json:
        return _json_lines(diagnostics)
    renderer = _RENDERERS.get(error_format, _text)
    return [renderer(d) for d in diagnostics]


def render_findings(
    findings: list[Diagnostic],
    error_format: ErrorFormat,
    *,
    show_rule: bool = False,
    rules: Mapping[str, RuleHelp] | None = None,
    base: Path = Path("."),
    section: str = "lint",
    hints: Mapping[str, str] | None = None,
) -> list[str]:
    """Findings of a check; in text format the exact ``path:line:column:message`` line Buf prints."""
    if error_format is ErrorFormat.sarif:
        return [documents.sarif(findings, rules or {})]
    if error_format is ErrorFormat.junit:
        return [documents.junit(findings)]
    if error_format is ErrorFormat.gitlab_code_quality:
        return [documents.gitlab_code_quality(findings)]
    if error_format is ErrorFormat.config_ignore_yaml:
        return [documents.config_ignore_yaml(findings, base, section)]
    if error_format is not ErrorFormat.text:
        return render_diagnostics(findings, error_format)
    suffix = (lambda d: f" ({d.kind})") if show_rule else (lambda d: "")
    lines = []
    for d in findings:
        lines.append(f"{finding_location(d)}:{d.message}{policy_suffix(d)}{suffix(d)}")
        if hints and hints.get(d.kind):
            lines.append(f"    fix: {hints[d.kind]}")
    return lines


def finding_location(d: Diagnostic) -> str:
    """``path:line:column``; Buf's ``<input>:1:1`` for a finding about the input as a whole."""
    if not d.path:
        return f"<input>:{d.line}:{d.column}"
    return d.location() if d.line else d.path
