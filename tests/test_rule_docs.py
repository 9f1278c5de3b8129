"""Every rule's docstring is its documentation: a What paragraph, then Why, Bad, Good and Fix, in that order."""

from __future__ import annotations

import inspect
import re

import pytest
from conftest import Run

from protokit.checks.registry import DOC_SECTIONS, Rule
from protokit.docs import implementations

RULES = {f"{kind}:{rule_id}": rule for kind in ("lint", "breaking") for rule_id, rule in implementations(kind).items()}
_HEADING = re.compile(r"^(\w+):", re.MULTILINE)


@pytest.mark.parametrize("rule", RULES.values(), ids=list(RULES))
def test_docstring_has_what_and_every_section_in_order(rule: Rule) -> None:
    doc = inspect.cleandoc(rule.check.__doc__ or "")
    what = doc.split("\n\n", 1)[0]
    assert what.strip() and not _HEADING.match(what), "the first paragraph says what the rule checks"
    assert rule.section("What") == " ".join(what.replace("``", "").split()), "nothing but What before Why"
    headings = [h for h in _HEADING.findall(doc) if h in (*DOC_SECTIONS, "What")]
    assert headings == list(DOC_SECTIONS)
    for name in DOC_SECTIONS:
        assert rule.section(name), f"empty {name} section"


def test_the_rules_of_both_kinds_are_all_documented() -> None:
    kinds = {key.split(":")[0] for key in RULES}
    assert kinds == {"lint", "breaking"} and len(RULES) >= 100


@pytest.mark.parametrize("rule_id", ["ENUM_VALUE_PREFIX", "FIELD_NO_DELETE"])
def test_explain_prints_every_section(protokit: Run, rule_id: str) -> None:
    result = protokit("explain", rule_id)
    assert result.returncode == 0, result.stderr
    rule = next(r for r in RULES.values() if r.spec.id == rule_id)
    assert rule.section("What") in result.stdout
    positions = [result.stdout.index(f"\n{name}: {rule.section(name)}") for name in DOC_SECTIONS]
    assert positions == sorted(positions)
