"""Rule lists and explanations for lint and breaking, rendered from the catalog and the rules' docstrings."""

from __future__ import annotations

import json

from protokit.catalog import BREAKING_RULES, LATEST, LINT_RULES, RuleKind, RuleSpec, rules
from protokit.checks.registry import DOC_SECTIONS, Rule, implemented
from protokit.config.yamlread import did_you_mean
from protokit.diagnostics import ProtokitError
from protokit.report.documents import RuleHelp


def implementations(kind: RuleKind) -> dict[str, Rule]:
    """The registered rule implementations of one kind, by ID (importing the rules registers them)."""
    if kind == "lint":
        import protokit.lint.rules  # noqa: F401
    else:
        import protokit.breaking.rules  # noqa: F401
    return implemented(kind)


def _explanation(kind: RuleKind, rule_id: str) -> str | None:
    rule = implementations(kind).get(rule_id)
    if rule is None:
        return None
    lines = [rule.section("What")]
    lines += [f"{name}: {rule.section(name)}" for name in DOC_SECTIONS if rule.section(name)]
    return "\n\n".join(lines)


def _status(spec: RuleSpec, implemented_ids: dict[str, Rule]) -> str:
    if spec.status == "deprecated":
        return f"deprecated: use {', '.join(spec.replaced_by)}" if spec.replaced_by else "deprecated: checks nothing"
    return "stable" if spec.id in implemented_ids else "planned"


def rule_rows(kind: RuleKind, version: str = LATEST) -> list[dict[str, object]]:
    """One row per rule of ``version``: ID, categories, default, status, purpose."""
    implemented_ids = implementations(kind)
    return [
        {
            "id": spec.id,
            "categories": list(spec.categories_in(version)),
            "default": spec.default_in(version),
            "implemented": spec.id in implemented_ids,
            "status": _status(spec, implemented_ids),
            "purpose": spec.purpose,
        }
        for spec in rules(kind).values()
        if spec.exists_in(version)
    ]


def rule_help(kind: RuleKind) -> dict[str, RuleHelp]:
    """Each rule's categories, purpose and explanation, for document formats such as SARIF."""
    return {
        spec.id: RuleHelp(spec.categories_in(LATEST), spec.purpose, _explanation(kind, spec.id) or spec.purpose)
        for spec in rules(kind).values()
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
        purpose = r["purpose"] if r["status"] == "stable" else f"{r['purpose']} ({r['status']})"
        lines.append(f"{r['id']:<{width}}  {categories:<28}  {'yes' if r['default'] else 'no':<7}  {purpose}")
    return "\n".join(lines)


def rules_markdown(kind: RuleKind) -> str:
    """The rule list as a Markdown table, as the README shows it."""
    lines = ["| rule | categories | default | what it checks |", "|---|---|---|---|"]
    for r in rule_rows(kind):
        categories = ", ".join(r["categories"]) or "—"  # type: ignore[arg-type]
        purpose = r["purpose"] if r["status"] == "stable" else f"{r['purpose']} *({r['status']})*"
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
            body = _explanation(kind, spec.id) or f"{spec.purpose} ({_status(spec, implementations(kind))})"  # type: ignore[arg-type]
            categories = ", ".join(spec.categories_in(LATEST)) or "none"
            default = "yes" if spec.default_in(LATEST) else "no"
            return f"{spec.id} ({kind}; categories: {categories}; default: {default})\n\n{body}\n"
    raise ProtokitError(f'unknown rule "{rule_id}"{did_you_mean(rule_id, [*LINT_RULES, *BREAKING_RULES])}')
