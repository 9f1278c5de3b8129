"""Loaders for each configuration format: protokit.yaml, buf.yaml (v1beta1, v1, v2), buf.work.yaml."""

from __future__ import annotations

from pathlib import Path

from protokit.catalog import LATEST
from protokit.config.model import BreakingConfig, Config, LintConfig, Module
from protokit.config.sections import parse_breaking, parse_gen, parse_lint, relative_path
from protokit.config.yamlread import Node, YamlFile, did_you_mean

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
    doc: YamlFile, node: Node | None, base: Path, lint: LintConfig, breaking: BreakingConfig
) -> tuple[Module, ...]:
    """The ``modules`` list shared by protokit.yaml and buf.yaml v2 (default: one module at ``.``)."""
    if node is None:
        return (Module(root=base, lint=lint, breaking=breaking),)
    modules = []
    items = doc.sequence(node, "modules")
    if not items:
        raise doc.error(node, "modules must list at least one module")
    for index, item in enumerate(items):
        where = f"modules[{index}]"
        keys = doc.mapping(item, where, ("path", "name", "excludes", "lint", "breaking"))
        if "path" not in keys:
            raise doc.error(item, f'{where} needs a "path"')
        root = relative_path(doc, keys["path"], f"{where}.path", base)
        excludes = []
        for text, ex_node in doc.strings(keys.get("excludes"), f"{where}.excludes"):
            exclude = relative_path(doc, ex_node, f"{where}.excludes", base)
            if exclude == root or root not in exclude.parents:
                raise doc.error(ex_node, f'{where}.excludes: "{text}" is not inside module path "{keys["path"].value}"')
            excludes.append(exclude)
        if "name" in keys:
            doc.string(keys["name"], f"{where}.name")
        modules.append(
            Module(
                root=root,
                excludes=tuple(excludes),
                lint=parse_lint(doc, keys.get("lint"), f"{where}.lint", base, lint),
                breaking=parse_breaking(doc, keys.get("breaking"), f"{where}.breaking", base, breaking),
            )
        )
    return tuple(modules)


def load_buf_yaml(path: Path) -> Config:
    """Read a ``buf.yaml`` of version v1beta1, v1 or v2 with Buf's meaning."""
    doc = YamlFile(path)
    probe = doc.pairs(doc.root, "the top level")
    version_node = next((value for key, value in probe if key.value == "version"), None)
    version = doc.string(version_node, "version") if version_node is not None else "v1beta1"
    if version == "v2":
        return _buf_v2(doc)
    if version in ("v1", "v1beta1"):
        module = _buf_v1_module(doc, path.parent)
        return Config(
            directory=path.parent, source=path, kind=f"buf-{version}", modules=(module,), warnings=tuple(doc.warnings)
        )
    raise doc.error(version_node, f'unsupported buf.yaml version "{version}" (expected v1beta1, v1 or v2)')


def _buf_v1_module(doc: YamlFile, base: Path) -> Module:
    """A v1/v1beta1 buf.yaml: one module rooted at its directory (v1beta1 may list build.roots)."""
    keys = doc.mapping(doc.root, "the top level", ("version", "name", "deps", "build", "lint", "breaking"))
    version = _version(doc, keys, ("v1", "v1beta1"), "v1beta1")
    for key in ("name",):
        if key in keys:
            doc.string(keys[key], key)
    doc.strings(keys.get("deps"), "deps")
    build = doc.mapping(keys.get("build"), "build", ("excludes", "roots") if version == "v1beta1" else ("excludes",))
    root = base
    if "roots" in build:
        roots = doc.strings(build["roots"], "build.roots")
        if len(roots) != 1:
            raise doc.error(build["roots"], "build.roots with more than one root is not supported; use a buf.work.yaml")
        root = relative_path(doc, roots[0][1], "build.roots", base)
    excludes = tuple(
        relative_path(doc, node, "build.excludes", root)
        for _, node in doc.strings(build.get("excludes"), "build.excludes")
    )
    lint = parse_lint(doc, keys.get("lint"), "lint", root, LintConfig(allow_comment_ignores=False, version=version))
    breaking = parse_breaking(doc, keys.get("breaking"), "breaking", root, BreakingConfig(version=version))
    return Module(root=root, excludes=excludes, lint=lint, breaking=breaking)


def _buf_v2(doc: YamlFile) -> Config:
    base = doc.path.parent
    keys = doc.mapping(
        doc.root, "the top level", ("version", "name", "modules", "deps", "lint", "breaking", "plugins", "policies")
    )
    doc.strings(keys.get("deps"), "deps")
    lint = parse_lint(doc, keys.get("lint"), "lint", base, LintConfig(version="v2"))
    breaking = parse_breaking(doc, keys.get("breaking"), "breaking", base, BreakingConfig(version="v2"))
    modules = _modules(doc, keys.get("modules"), base, lint, breaking)
    return Config(directory=base, source=doc.path, kind="buf-v2", modules=modules, warnings=tuple(doc.warnings))


def load_buf_work_yaml(path: Path) -> Config:
    """Read a ``buf.work.yaml``: each listed directory is a module, configured by its own buf.yaml if any."""
    doc = YamlFile(path)
    keys = doc.mapping(doc.root, "the top level", ("version", "directories"))
    _version(doc, keys, ("v1",), "v1")
    if "directories" not in keys:
        raise doc.error(doc.root, 'missing key "directories"')
    modules = []
    warnings = list(doc.warnings)
    for _, node in doc.strings(keys["directories"], "directories"):
        directory = relative_path(doc, node, "directories", path.parent)
        if not directory.is_dir():
            raise doc.error(node, f'directory "{node.value}" does not exist')
        module_file = directory / BUF_FILE
        if module_file.is_file():
            module_doc = YamlFile(module_file)
            modules.append(_buf_v1_module(module_doc, directory))
            warnings += module_doc.warnings
        else:
            lint = LintConfig(allow_comment_ignores=False, version="v1")
            modules.append(Module(root=directory, lint=lint, breaking=BreakingConfig(version="v1")))
    if not modules:
        raise doc.error(keys["directories"], "directories must list at least one directory")
    return Config(
        directory=path.parent, source=path, kind="buf-work", modules=tuple(modules), warnings=tuple(warnings)
    )
