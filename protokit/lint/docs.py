"""The rule list and explanations, rendered from the rule catalog and the rules' docstrings."""

from __future__ import annotations

import json

from protokit.checks.catalog import LINT_RULES
from protokit.config.yamlread import did_you_mean
from protokit.diagnostics import ProtokitError
from protokit.lint.engine import RULES
from protokit.report.documents import RuleHelp


def rule_rows() -> list[dict[str, object]]:
    """One row per lint rule: ID, categories, default, implemented, purpose."""
    return [
        {
            "id": spec.id,
            "categories": list(spec.categories),
            "default": spec.default,
            "implemented": spec.id in RULES,
            "purpose": spec.purpose,
        }
        for spec in LINT_RULES.values()
    ]


def rule_help() -> dict[str, RuleHelp]:
    """Each rule's categories, purpose and explanation, for document formats such as SARIF."""
    return {
        spec.id: RuleHelp(
            spec.categories, spec.purpose, RULES[spec.id].explanation if spec.id in RULES else spec.purpose
        )
        for spec in LINT_RULES.values()
    }


def rules_json() -> str:
    """The rule list as a JSON array."""
    return json.dumps(rule_rows(), indent=2)


def rules_table() -> str:
    """The rule list as an aligned text table."""
    rows = rule_rows()
    width = max(len(str(r["id"])) for r in rows)
    lines = [f"{'ID':<{width}}  {'CATEGORIES':<24}  DEFAULT  PURPOSE"]
    for r in rows:
        categories = ",".join(r["categories"]) or "-"  # type: ignore[arg-type]
        purpose = r["purpose"] if r["implemented"] else f"{r['purpose']} (not implemented yet)"
        lines.append(f"{r['id']:<{width}}  {categories:<24}  {'yes' if r['default'] else 'no':<7}  {purpose}")
    return "\n".join(lines)


def rules_markdown() -> str:
    """The rule list as a Markdown table, as the README shows it."""
    lines = ["| rule | categories | default | what it checks |", "|---|---|---|---|"]
    for r in rule_rows():
        categories = ", ".join(r["categories"]) or "—"  # type: ignore[arg-type]
        purpose = r["purpose"] if r["implemented"] else f"{r['purpose']} *(not implemented yet)*"
        lines.append(f"| `{r['id']}` | {categories} | {'yes' if r['default'] else 'no'} | {purpose} |")
    return "\n".join(lines)


def explain(rule_id: str) -> str:
    """What a rule checks, why, examples and the fix: the catalog entry and the check's docstring."""
    spec = LINT_RULES.get(rule_id.upper())
    if spec is None:
        raise ProtokitError(f'unknown rule "{rule_id}"{did_you_mean(rule_id, LINT_RULES)}')
    body = RULES[spec.id].explanation if spec.id in RULES else "Not implemented yet."
    categories = ", ".join(spec.categories) or "none"
    return f"{spec.id} (lint; categories: {categories}; default: {'yes' if spec.default else 'no'})\n\n{body}\n"
