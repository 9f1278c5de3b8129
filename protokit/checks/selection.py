"""Which rules a lint or breaking configuration runs: one selection for both kinds."""

from __future__ import annotations

from dataclasses import dataclass, field

from protokit.catalog import RuleKind, members, rules
from protokit.checks.registry import Rule, implemented
from protokit.config.model import CheckConfig
from protokit.diagnostics import ProtokitError


@dataclass(frozen=True)
class Selection:
    """The rules to run, in catalog order, and notes about rules the configuration names but cannot run."""

    rules: list[Rule]
    notes: list[str] = field(default_factory=list)


def select(kind: RuleKind, config: CheckConfig) -> Selection:
    """The rules ``use`` (or the version's defaults) selects and ``except`` does not.

    ``disable_builtin`` selects no built-in rule.  A planned rule (listed in the catalog, not
    implemented yet) named by its ID is an error; one that a category brings in is a note.
    Selecting no rule at all is an error, as in Buf ("resultRules was empty").
    A stable rule without an implementation is a defect of protokit and an error too.
    """
    if config.disable_builtin:
        return Selection([])
    version = config.version
    if config.use is None:
        chosen = [spec for spec in rules(kind).values() if spec.default_in(version) and spec.status != "deprecated"]
    else:
        chosen = members(kind, version, config.use)
    excluded = {spec.id for spec in members(kind, version, config.except_)}
    if all(spec.id in excluded for spec in chosen):  # Buf fails on a configuration that selects no rule
        raise ProtokitError(f"the {kind} configuration selects no rule: every rule in use is in except")
    available = implemented(kind)
    selected, notes = [], []
    for spec in chosen:
        if spec.id in excluded:
            continue
        if spec.id in available:
            selected.append(available[spec.id])
        elif spec.status == "planned" and spec.id not in (config.use or ()):
            notes.append(f"{spec.id} is selected but not implemented in protokit yet; it does not run")
        else:
            raise ProtokitError(f"{kind} rule {spec.id} is not implemented in protokit yet; remove it from use")
    return Selection(selected, notes)
