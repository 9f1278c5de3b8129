"""Whole-document output formats of findings: SARIF, JUnit, GitLab Code Quality and an ignore baseline."""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from protokit import __version__
from protokit.diagnostics import Diagnostic


@dataclass(frozen=True)
class RuleHelp:
    """What a document format says about a rule: its categories, one-line purpose and long help."""

    categories: tuple[str, ...]
    purpose: str
    help: str


def sarif(findings: list[Diagnostic], rules: Mapping[str, RuleHelp]) -> str:
    """SARIF 2.1.0, as GitHub code scanning accepts it: one rule per rule ID, results with regions."""
    ids = sorted({f.kind for f in findings} | set(rules))
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    descriptors = []
    for rule_id in ids:
        info = rules.get(rule_id, RuleHelp((), rule_id, rule_id))
        descriptors.append(
            {
                "id": rule_id,
                "name": rule_id,
                "shortDescription": {"text": info.purpose},
                "fullDescription": {"text": info.purpose},
                "help": {"text": info.help},
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": list(info.categories)},
            }
        )
    results = [
        {
            "ruleId": f.kind,
            "ruleIndex": index[f.kind],
            "level": "error",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": Path(f.path).as_posix()},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line or f.line,
                            "endColumn": f.end_column or f.column,
                        },
                    }
                }
            ],
            **({"properties": {"policy": f.policy}} if f.policy else {}),  # the buf.yaml policy it comes from
        }
        for f in findings
    ]
    run = {
        "tool": {
            "driver": {
                "name": "protokit",
                "version": __version__,
                "informationUri": "https://github.com/protokit/protokit",
                "rules": descriptors,
            }
        },
        "results": results,
    }
    document = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2)


def junit(findings: list[Diagnostic]) -> str:
    """JUnit XML: one test suite per file, one failing test case per finding."""
    from xml.sax.saxutils import quoteattr  # imports urllib: only for this format

    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for finding in findings:
        by_file[finding.path].append(finding)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
    for path, items in sorted(by_file.items()):
        lines.append(f'  <testsuite name={quoteattr(path)} tests="{len(items)}" failures="{len(items)}" errors="0">')
        for f in items:
            name = quoteattr(f"{path}:{f.line}:{f.column}:{f.kind}")
            lines.append(f"    <testcase name={name} classname={quoteattr(path)}>")
            message = f"{f.message} ({f.policy})" if f.policy else f.message  # Buf names the policy too
            lines.append(f"      <failure message={quoteattr(message)} type={quoteattr(f.kind)}></failure>")
            lines.append("    </testcase>")
        lines.append("  </testsuite>")
    lines.append("</testsuites>")
    return "\n".join(lines)


def gitlab_code_quality(findings: list[Diagnostic]) -> str:
    """GitLab Code Quality report: a JSON array of issues with stable fingerprints."""
    issues = []
    for f in findings:
        fingerprint = hashlib.sha256(f"{f.kind}\0{f.path}\0{f.line}\0{f.column}\0{f.message}".encode()).hexdigest()
        issues.append(
            {
                "description": f.message,
                "check_name": f.kind,
                "fingerprint": fingerprint,
                "severity": "minor",
                "location": {
                    "path": Path(f.path).as_posix(),
                    "positions": {
                        "begin": {"line": f.line, "column": f.column},
                        "end": {"line": f.end_line or f.line, "column": f.end_column or f.column},
                    },
                },
            }
        )
    return json.dumps(issues, indent=2)


def config_ignore_yaml(findings: list[Diagnostic], base: Path, section: str) -> str:
    """The ``ignore_only`` block that silences exactly today's findings (paths relative to ``base``)."""
    by_rule: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        by_rule[f.kind].add(Path(os.path.relpath(os.path.abspath(f.path), base)).as_posix())
    lines = [f"{section}:", "  ignore_only:"]
    for rule_id in sorted(by_rule):
        lines.append(f"    {rule_id}:")
        lines += [f"      - {path}" for path in sorted(by_rule[rule_id])]
    return "\n".join(lines) if by_rule else f"{section}:\n  ignore_only: {{}}"
