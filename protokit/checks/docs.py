"""Rule lists and explanations for lint and breaking, rendered from the catalog and the rules' docstrings."""

from __future__ import annotations

import inspect
import json
from typing import Any

from protokit.checks.catalog import BREAKING_RULES, LINT_RULES, RuleKind, rules_of
from protokit.config.yamlread import did_you_mean
from protokit.diagnostics import ProtokitError
from protokit.report.documents import RuleHelp


def implementations(kind: RuleKind) -> dict[str, Any]:
    """The registered rule implementations of one kind, by ID (importing them registers them)."""
    if kind == "lint":
        from protokit.lint.engine import RULES as LINT_IMPLEMENTATIONS

        return LINT_IMPLEMENTATIONS
    from protokit.breaking.compare import RULES as BREAKING_IMPLEMENTATIONS

    return BREAKING_IMPLEMENTATIONS


def _explanation(kind: RuleKind, rule_id: str) -> str | None:
    rule = implementations(kind).get(rule_id)
    return inspect.cleandoc(rule.check.__doc__ or rule.spec.purpose) if rule else None


def rule_rows(kind: RuleKind) -> list[dict[str, object]]:
    """One row per rule: ID, categories, default, implemented, purpose."""
    implemented = implementations(kind)
    return [
        {
            "id": spec.id,
            "categories": list(spec.categories),
            "default": spec.default,
            "implemented": spec.id in implemented,
            "purpose": spec.purpose,
        }
        for spec in rules_of(kind).values()
    ]


def rule_help(kind: RuleKind) -> dict[str, RuleHelp]:
    """Each rule's categories, purpose and explanation, for document formats such as SARIF."""
    return {
        spec.id: RuleHelp(spec.categories, spec.purpose, _explanation(kind, spec.id) or spec.purpose)
        for spec in rules_of(kind).values()
    }


def rules_json(kind: RuleKind) -> str:
    """The rule list as a JSON array."""
    return json.dumps(rule_rows(kind), indent=2)


def rules_table(kind: RuleKind) -> str:
    """The rule list as an aligned text table."""
    rows = rule_rows(kind)
    width = max(len(str(r["id"])) for r in rows)
    lines = [f"{'ID':<{width}}  {'CATEGORIES':<28}  DEFAULT  PURPOSE"]
    for r in rows:
        categories = ",".join(r["categories"]) or "-"  # type: ignore[arg-type]
        purpose = r["purpose"] if r["implemented"] else f"{r['purpose']} (not implemented yet)"
        lines.append(f"{r['id']:<{width}}  {categories:<28}  {'yes' if r['default'] else 'no':<7}  {purpose}")
    return "\n".join(lines)


def rules_markdown(kind: RuleKind) -> str:
    """The rule list as a Markdown table, as the README shows it."""
    lines = ["| rule | categories | default | what it checks |", "|---|---|---|---|"]
    for r in rule_rows(kind):
        categories = ", ".join(r["categories"]) or "—"  # type: ignore[arg-type]
        purpose = r["purpose"] if r["implemented"] else f"{r['purpose']} *(not implemented yet)*"
        lines.append(f"| `{r['id']}` | {categories} | {'yes' if r['default'] else 'no'} | {purpose} |")
    return "\n".join(lines)


def render_rules(kind: RuleKind, list_format: str) -> str:
    """The rule list in ``text``, ``json`` or ``markdown``."""
    renderers = {"json": rules_json, "markdown": rules_markdown, "text": rules_table}
    if list_format not in renderers:
        raise ProtokitError(f'unknown --format "{list_format}" (expected text, json or markdown)')
    return renderers[list_format](kind)


def explain(rule_id: str) -> str:
    """What a rule checks, why, examples and the fix: the catalog entry and the check's docstring."""
    wanted = rule_id.upper()
    for kind, catalog in (("lint", LINT_RULES), ("breaking", BREAKING_RULES)):
        spec = catalog.get(wanted)
        if spec is not None:
            body = _explanation(kind, spec.id) or "Not implemented yet."  # type: ignore[arg-type]
            categories = ", ".join(spec.categories) or "none"
            default = "yes" if spec.default else "no"
            return f"{spec.id} ({kind}; categories: {categories}; default: {default})\n\n{body}\n"
    raise ProtokitError(f'unknown rule "{rule_id}"{did_you_mean(rule_id, [*LINT_RULES, *BREAKING_RULES])}')
