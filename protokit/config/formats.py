"""Loaders for each configuration format: protokit.yaml, buf.yaml (v1beta1, v1, v2), buf.work.yaml."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from protokit.catalog import LATEST
from protokit.config.model import BreakingConfig, CheckConfig, Config, LintConfig, Module
from protokit.config.policies import PolicyEntry, module_policies, parse_policies
from protokit.config.sections import parse_breaking, parse_gen, parse_lint, relative_path
from protokit.config.yamlread import Node, YamlFile, did_you_mean

C = TypeVar("C", bound=CheckConfig)
PROTOKIT_FILE = "protokit.yaml"
BUF_FILE = "buf.yaml"
BUF_WORK_FILE = "buf.work.yaml"


def _version(doc: YamlFile, keys: dict[str, Node], allowed: tuple[str, ...], default: str | None) -> str:
    if "version" not in keys:
        if default is None:
            raise doc.error(doc.root, f'missing key "version" (one of {", ".join(allowed)})')
        return default
    version = doc.string(keys["version"], "version")
    if version not in allowed:
        raise doc.error(
            keys["version"],
            f'unsupported version "{version}" (expected {", ".join(allowed)}){did_you_mean(version, allowed)}',
        )
    return version


def load_protokit_yaml(path: Path) -> Config:
    """Read ``protokit.yaml``: version, modules (path, excludes, lint, breaking), deps, lint, breaking, gen.

    Paths are relative to the directory of the file, as in buf.yaml v2, and rule IDs
    are those of buf.yaml v2.
    """
    doc = YamlFile(path)
    base = path.parent
    keys = doc.mapping(doc.root, "the top level", ("version", "modules", "deps", "lint", "breaking", "gen"))
    _version(doc, keys, ("v1",), "v1")
    lint = parse_lint(doc, keys.get("lint"), "lint", base, LintConfig(version=LATEST))
    breaking = parse_breaking(doc, keys.get("breaking"), "breaking", base, BreakingConfig(version=LATEST))
    modules = _modules(doc, keys.get("modules"), base, lint, breaking)
    deps = tuple(name for name, _ in doc.strings(keys.get("deps"), "deps"))
    gen = parse_gen(doc, keys.get("gen"))
    return Config(
        directory=base, source=path, kind="protokit", modules=modules, deps=deps, gen=gen, warnings=tuple(doc.warnings)
    )


def _modules(
    doc: YamlFile,
    node: Node | None,
    base: Path,
    lint: LintConfig,
    breaking: BreakingConfig,
    *,
    buf: bool = False,
    policies: tuple[PolicyEntry, ...] = (),
) -> tuple[Module, ...]:
    """The ``modules`` list shared by protokit.yaml and buf.yaml v2 (default: one module at ``.``).

    In buf.yaml v2 (``buf``) a module's own lint or breaking section replaces the top-level one
    in its entirety, as Buf does, and ``path`` defaults to ``.``; in protokit.yaml a module's
    keys override the top-level ones one by one.
    """
    if node is None:
        return (
            Module(root=base, lint=lint, breaking=breaking, policies=module_policies(doc, policies, base, (base,))),
        )
    modules = []
    items = doc.sequence(node, "modules")
    if not items:
        raise doc.error(node, "modules must list at least one module")
    for index, item in enumerate(items):
        where = f"modules[{index}]"
        keys = doc.mapping(item, where, ("path", "name", "includes", "excludes", "lint", "breaking"))
        if "path" not in keys and not buf:
            raise doc.error(item, f'{where} needs a "path"')
        root = relative_path(doc, keys["path"], f"{where}.path", base) if "path" in keys else base
        shown = keys["path"].value if "path" in keys else "."
        includes = _includes(doc, keys.get("includes"), where, root, shown)
        excludes = _excludes(doc, keys.get("excludes"), where, root, shown, includes)
        if "name" in keys and buf:
            _bsr_name(doc, keys["name"], f"{where}.name")
        elif "name" in keys:
            doc.string(keys["name"], f"{where}.name")
        if buf:
            for section in ("lint", "breaking"):
                _paths_inside(doc, keys.get(section), f"{where}.{section}", root, shown)
        module_lint = LintConfig(version="v2") if buf and _given(doc, keys.get("lint")) else lint
        module_breaking = BreakingConfig(version="v2") if buf and _given(doc, keys.get("breaking")) else breaking
        flavour = "v2" if buf else "protokit"
        modules.append(
            Module(
                root=root,
                excludes=excludes,
                lint=parse_lint(doc, keys.get("lint"), f"{where}.lint", base, module_lint, flavour=flavour),
                breaking=parse_breaking(doc, keys.get("breaking"), f"{where}.breaking", base, module_breaking),
                includes=includes,
            )
        )
    roots = tuple(module.root for module in modules)
    return tuple(replace(m, policies=module_policies(doc, policies, m.root, roots)) for m in modules)


def _paths_inside(doc: YamlFile, node: Node | None, where: str, root: Path, shown: str) -> None:
    """A module's own lint or breaking section may only name paths inside the module (Buf's rule)."""
    keys = {key.value: value for key, value in doc.pairs(node, where) if isinstance(key.value, str)}
    items = [("ignore", item) for _, item in doc.strings(keys.get("ignore"), f"{where}.ignore")]
    for rule, paths in doc.pairs(keys.get("ignore_only"), f"{where}.ignore_only"):
        items += [(f"ignore_only.{rule.value}", item) for _, item in doc.strings(paths, f"{where}.ignore_only")]
    for key, item in items:
        path = relative_path(doc, item, f"{where}.{key}", doc.path.parent)
        if path != root and root not in path.parents:
            raise doc.error(item, f'{where}.{key}: "{item.value}" is not inside module path "{shown}"')


def _given(doc: YamlFile, node: Node | None) -> bool:
    """Whether a section is present with at least one key (Buf treats an empty section as absent)."""
    return bool(doc.pairs(node, "a section"))


def _includes(doc: YamlFile, node: Node | None, where: str, root: Path, shown: str) -> tuple[Path, ...]:
    """A module's ``includes``: directories strictly inside the module path, none inside another (Buf's rules)."""
    found: list[tuple[Path, Node, str]] = []
    for text, item in doc.strings(node, f"{where}.includes"):
        include = relative_path(doc, item, f"{where}.includes", doc.path.parent)
        if include == root:
            raise doc.error(item, f'{where}.includes: "{text}" is the module path "{shown}" itself')
        if root not in include.parents:
            raise doc.error(item, f'{where}.includes: "{text}" is not inside module path "{shown}"')
        if include.suffix == ".proto":
            raise doc.error(item, f'{where}.includes: "{text}" is a file; includes can only be directories')
        for other, _, other_text in found:
            if other == include or other in include.parents or include in other.parents:
                inside = other in include.parents or other == include
                inner, outer = (text, other_text) if inside else (other_text, text)
                raise doc.error(item, f'{where}.includes: "{inner}" is within include "{outer}", which is not allowed')
        found.append((include, item, text))
    return tuple(include for include, _, _ in found)


def _excludes(
    doc: YamlFile, node: Node | None, where: str, root: Path, shown: str, includes: tuple[Path, ...]
) -> tuple[Path, ...]:
    """A module's ``excludes``: inside the module path and, when there are includes, inside one of them."""
    excludes = []
    for text, item in doc.strings(node, f"{where}.excludes"):
        exclude = relative_path(doc, item, f"{where}.excludes", doc.path.parent)
        if exclude == root or root not in exclude.parents:
            raise doc.error(item, f'{where}.excludes: "{text}" is not inside module path "{shown}"')
        if includes:
            if exclude in includes:
                raise doc.error(item, f'{where}.excludes: "{text}" is both an include path and an exclude path')
            for include in includes:
                if exclude in include.parents:
                    inner = include.relative_to(doc.path.parent).as_posix()
                    raise doc.error(item, f'{where}.excludes: include path "{inner}" is inside exclude path "{text}"')
            if not any(include in exclude.parents for include in includes):
                raise doc.error(item, f'{where}.excludes: includes are given but "{text}" is not inside any of them')
        excludes.append(exclude)
    return tuple(excludes)


def load_buf_yaml(path: Path) -> Config:
    """Read a ``buf.yaml`` of version v1beta1, v1 or v2 with Buf's meaning."""
    doc = YamlFile(path)
    probe = doc.pairs(doc.root, "the top level")
    version_node = next((value for key, value in probe if key.value == "version"), None)
    if version_node is None:  # Buf has always required it
        raise doc.error(doc.root, 'missing key "version" (add "version: v2"; v1 and v1beta1 are older versions)')
    version = doc.string(version_node, "version")
    if version == "v2":
        return _buf_v2(doc)
    if version in ("v1", "v1beta1"):
        modules = _buf_v1_modules(doc, path.parent)
        return Config(
            directory=path.parent, source=path, kind=f"buf-{version}", modules=modules, warnings=tuple(doc.warnings)
        )
    raise doc.error(version_node, f'unsupported buf.yaml version "{version}" (expected v1beta1, v1 or v2)')


def _buf_v1_modules(doc: YamlFile, base: Path) -> tuple[Module, ...]:
    """A v1/v1beta1 buf.yaml: one module rooted at its directory.

    A v1beta1 file may list ``build.roots`` instead: Buf then makes one module of the files of
    every root (import names relative to their root), so each root becomes a protokit module of
    one group, with ``ignore`` paths resolved against each root, as Buf matches them.
    """
    keys = doc.mapping(doc.root, "the top level", ("version", "name", "deps", "build", "lint", "breaking"))
    version = _version(doc, keys, ("v1", "v1beta1"), None)
    if "name" in keys:
        _bsr_name(doc, keys["name"], "name")
    _bsr_deps(doc, keys.get("deps"))
    build = doc.mapping(keys.get("build"), "build", ("excludes", "roots") if version == "v1beta1" else ("excludes",))
    listed = doc.strings(build.get("roots"), "build.roots")
    roots = list(dict.fromkeys(relative_path(doc, node, "build.roots", base) for _, node in listed)) or [base]
    excludes = _build_excludes(doc, build.get("excludes"), base, roots)
    seen = 0
    lints, breakings = [], []
    for index, root in enumerate(roots):
        default = LintConfig(allow_comment_ignores=False, version=version)
        lints.append(parse_lint(doc, keys.get("lint"), "lint", root, default, flavour="v1"))
        breakings.append(parse_breaking(doc, keys.get("breaking"), "breaking", root, BreakingConfig(version=version)))
        if index == 0:
            seen = len(doc.warnings)
        del doc.warnings[seen:]  # the same section read again for another root: its warnings once
    lint, breaking = _merged_paths(lints), _merged_paths(breakings)
    group = base if len(roots) > 1 else None
    return tuple(
        Module(
            root=root,
            excludes=tuple(exclude for exclude in excludes if root in exclude.parents),
            lint=lint,
            breaking=breaking,
            group=group,
        )
        for root in roots
    )


def _merged_paths(configs: list[C]) -> C:
    """One configuration for every root: each ignore path (an import path, as Buf matches them)
    in the roots where it exists, or in the first root when it exists in none (then it is reported
    once as silencing nothing)."""

    def pick(per_root: list[tuple[Path, ...]]) -> tuple[Path, ...]:
        """Entry by entry (the same text resolved against each root), the variants to keep."""
        kept = []
        for variants in zip(*per_root, strict=True):
            kept += [path for path in variants if path.exists()] or [variants[0]]
        return tuple(dict.fromkeys(kept))

    ignore = pick([c.ignore for c in configs])
    only = {rule: pick([c.ignore_only[rule] for c in configs]) for rule in configs[0].ignore_only}
    return replace(configs[0], ignore=ignore, ignore_only=only)


def _build_excludes(doc: YamlFile, node: Node | None, base: Path, roots: list[Path]) -> tuple[Path, ...]:
    """v1beta1/v1 ``build.excludes``: directories relative to the buf.yaml, each inside a root (Buf's rules)."""
    excludes = []
    for text, item in doc.strings(node, "build.excludes"):
        exclude = relative_path(doc, item, "build.excludes", base)
        if exclude.suffix == ".proto":
            raise doc.error(item, f'build.excludes: "{text}" is a file; excludes can only be directories')
        if exclude in roots:
            raise doc.error(item, f'build.excludes: "{text}" is a root itself, which would exclude all of it')
        if not any(root in exclude.parents for root in roots):
            raise doc.error(item, f'build.excludes: "{text}" is not inside any root')
        excludes.append(exclude)
    return tuple(excludes)


def _bsr_name(doc: YamlFile, node: Node, where: str, *, ref: bool = False) -> None:
    """A module's BSR name (registry/owner/name), checked as Buf checks it; it changes no finding."""
    text = doc.string(node, where)
    parts = (text.split(":", 1)[0] if ref else text).split("/")
    if (text or ref) and (len(parts) != 3 or not all(parts)):
        form = "registry/owner/name[:ref]" if ref else "registry/owner/name"
        raise doc.error(node, f'{where}: "{text}" must be in the form {form}')


def _bsr_deps(doc: YamlFile, node: Node | None) -> None:
    """buf.yaml ``deps``: BSR modules, checked as Buf checks them.

    They only widen import resolution, and protokit cannot fetch them: an import from one fails
    to compile (a located error) rather than resolving to something else.
    """
    for _, item in doc.strings(node, "deps"):
        _bsr_name(doc, item, "deps", ref=True)


def _buf_v2(doc: YamlFile) -> Config:
    base = doc.path.parent
    keys = doc.mapping(
        doc.root, "the top level", ("version", "name", "modules", "deps", "lint", "breaking", "plugins", "policies")
    )
    _bsr_deps(doc, keys.get("deps"))
    if "name" in keys:
        _bsr_name(doc, keys["name"], "name")
        if "modules" in keys and keys["name"].value:
            raise doc.error(keys["name"], "the top-level name is only for a buf.yaml without modules; "
                            "give each module its own name")  # fmt: skip
    if doc.sequence(keys.get("plugins"), "plugins"):
        raise doc.error(keys["plugins"], "plugins are not supported: protokit cannot run Buf check plugins")
    lint = parse_lint(doc, keys.get("lint"), "lint", base, LintConfig(version="v2"), flavour="v2")
    breaking = parse_breaking(doc, keys.get("breaking"), "breaking", base, BreakingConfig(version="v2"))
    policies = parse_policies(doc, keys.get("policies"))
    modules = _modules(doc, keys.get("modules"), base, lint, breaking, buf=True, policies=policies)
    warnings = tuple(dict.fromkeys(doc.warnings))  # a policy's ignore_only is read once per module
    return Config(directory=base, source=doc.path, kind="buf-v2", modules=modules, warnings=warnings)


def load_buf_work_yaml(path: Path) -> Config:
    """Read a ``buf.work.yaml``: each listed directory is a module, configured by its own buf.yaml if any."""
    doc = YamlFile(path)
    keys = doc.mapping(doc.root, "the top level", ("version", "directories"))
    _version(doc, keys, ("v1",), None)  # required, as in Buf
    if "directories" not in keys:
        raise doc.error(doc.root, 'missing key "directories"')
    modules: list[Module] = []
    warnings = list(doc.warnings)
    for _, node in doc.strings(keys["directories"], "directories"):
        directory = relative_path(doc, node, "directories", path.parent)
        if not directory.is_dir():
            raise doc.error(node, f'directory "{node.value}" does not exist')
        module_file = directory / BUF_FILE
        if module_file.is_file():
            module_doc = YamlFile(module_file)
            modules += _buf_v1_modules(module_doc, directory)
            warnings += module_doc.warnings
        else:
            lint = LintConfig(allow_comment_ignores=False, version="v1")
            modules.append(Module(root=directory, lint=lint, breaking=BreakingConfig(version="v1")))
    if not modules:
        raise doc.error(keys["directories"], "directories must list at least one directory")
    return Config(directory=path.parent, source=path, kind="buf-work", modules=tuple(modules), warnings=tuple(warnings))
