"""The findings tree of benchmarks/synthetic.py, linted for real: findings at the intended density, comment ignores
and an ignore_only baseline that each silence some, the same findings as Buf, and cached runs that equal uncached ones.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, find_buf, run_protokit

sys.path.insert(0, str(REPO / "benchmarks"))
from lint_bench import Finding, findings  # noqa: E402
from synthetic import IGNORE, TreeStats, buf_config, generate_tree, touch_one_file  # noqa: E402

FILES = 40
SEED = 5


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TreeStats]:
    """A findings tree of ``FILES`` files, shared by the tests (which change only copies of it)."""
    tree = tmp_path_factory.mktemp("findings") / "tree"
    return tree, generate_tree(tree, files=FILES, seed=SEED, jobs=1, findings=True)


@pytest.fixture
def tree(generated: tuple[Path, TreeStats], tmp_path: Path) -> Path:
    """A copy of the findings tree for one test."""
    return shutil.copytree(generated[0], tmp_path / "tree")


def lint(tree: Path, cache: Path) -> str:
    """The stdout of ``protokit lint --error-format json`` in ``tree`` with ``cache`` as its cache."""
    result = run_protokit(("lint", "--error-format", "json"), cache, cwd=tree)
    assert result.returncode == 100, result.stderr
    return result.stdout


def contents(root: Path) -> dict[Path, bytes]:
    """Every file under ``root`` by its relative path."""
    return {path.relative_to(root): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def ignore_above(tree: Path, finding: Finding) -> bool:
    """Whether the comment right above a finding's line holds a ``buf:lint:ignore`` of its rule."""
    lines = (tree / finding[0]).read_text().splitlines()
    index = finding[1] - 2
    while index >= 0 and lines[index].strip().startswith("//"):
        if lines[index].strip() == f"// {IGNORE} {finding[5]}":
            return True
        index -= 1
    return False


def test_a_findings_tree_is_the_same_whatever_the_number_of_processes(
    generated: tuple[Path, TreeStats], tmp_path: Path
) -> None:
    generate_tree(tmp_path / "two", files=FILES, seed=SEED, jobs=2, findings=True)
    assert contents(tmp_path / "two") == contents(generated[0])
    assert (generated[0] / "buf.yaml").read_text().startswith("version: v2\n")


def test_the_findings_tree_has_about_ten_findings_per_file_of_many_rules(tree: Path, tmp_path: Path) -> None:
    found = findings(lint(tree, tmp_path / "cache"))
    assert 6 <= found.total() / FILES <= 16, found.total()
    assert len({finding[5] for finding in found}) >= 12


def test_comment_ignores_and_ignore_only_each_silence_findings(
    generated: tuple[Path, TreeStats], tree: Path, tmp_path: Path
) -> None:
    stats = generated[1]
    found = findings(lint(tree, tmp_path / "cache"))

    (tree / "buf.yaml").write_text(buf_config(stats.baseline, comment_ignores=False))
    silenced_by_comments = findings(lint(tree, tmp_path / "cache")) - found
    assert silenced_by_comments.total() == stats.comment_ignores > 0
    assert all(ignore_above(tree, finding) for finding in silenced_by_comments)

    (tree / "buf.yaml").write_text(buf_config({}))
    silenced_by_baseline = findings(lint(tree, tmp_path / "cache")) - found
    listed = {(path, rule) for rule, paths in stats.baseline.items() for path in paths}
    assert listed and {(finding[0], finding[5]) for finding in silenced_by_baseline} == listed


@pytest.mark.skipif(find_buf() is None, reason="buf is not installed")
def test_the_findings_tree_has_the_findings_buf_has(tree: Path, tmp_path: Path) -> None:
    buf = subprocess.run(
        [str(find_buf()), "lint", "--error-format", "json"], cwd=tree, capture_output=True, text=True, timeout=300
    )
    assert buf.returncode == 100, buf.stderr
    theirs, ours = findings(buf.stdout), findings(lint(tree, tmp_path / "cache"))
    assert (theirs - ours, ours - theirs) == (Counter(), Counter())


def test_cached_and_uncached_findings_are_equal_on_the_findings_tree(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = lint(tree, cache)
    assert lint(tree, cache) == cold

    changed = touch_one_file(tree)  # and a message with two findings before the rest, which moves them all down
    text = changed.read_text()
    package = text.index("\npackage ") + 1
    end = text.index("\n", package) + 1
    changed.write_text(text[:end] + "\nmessage bench_edit {\n  string someField = 1;\n}\n" + text[end:])

    cached = lint(tree, cache)
    assert cached == lint(tree, tmp_path / "fresh-cache")
    assert cached != cold


def lint_in_process(tree: Path, cache: Path) -> tuple[list, list]:
    """The findings and warnings of linting ``tree`` in this process (compiled with ``cache``)."""
    from protokit.compile.cache import DescriptorCache
    from protokit.compile.compiler import compile_workspace
    from protokit.lint.engine import lint_workspace
    from protokit.workspace import open_workspace

    workspace = open_workspace([tree])
    report = lint_workspace(workspace, compile_workspace(workspace, DescriptorCache(cache)), DescriptorCache(None))
    return report.findings, report.warnings


@pytest.mark.skipif(sys.platform != "linux", reason="the rule pass forks workers on Linux only")
def test_the_rule_pass_in_forked_workers_reports_what_one_process_reports(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from protokit.lint import parallel

    monkeypatch.chdir(tree)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 10**9)
    alone = lint_in_process(tree, tmp_path / "cache")
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 2)
    assert parallel.in_workers(lambda _: os.getpid(), range(4), jobs=2)[1] != os.getpid()  # a worker does fork
    forked = lint_in_process(tree, tmp_path / "cache")
    assert forked == alone
    assert len(alone[0]) > 6 * FILES


def test_forked_work_comes_back_in_order_and_errors_reach_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    from protokit.lint import parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 2)
    items = list(range(101))
    results = parallel.in_workers(lambda i: (i * i, os.getpid()), items, jobs=3)
    assert [square for square, _ in results] == [i * i for i in items]
    assert len({pid for _, pid in results}) == 3  # this process and two forked ones

    def fails(i: int) -> int:
        if i == 57:
            raise ValueError("item 57")
        return i

    with pytest.raises(ValueError, match="item 57"):
        parallel.in_workers(fails, items, jobs=2)


def test_an_edit_that_leaves_every_summary_alone_reuses_the_module_wide_verdicts(tree: Path, tmp_path: Path) -> None:
    from protokit.compile.cache import DescriptorCache
    from protokit.compile.compiler import compile_workspace
    from protokit.lint.engine import LintState, lint_workspace
    from protokit.workspace import open_workspace

    def verdict_keys() -> tuple[list, set[str]]:
        workspace = open_workspace([tree])
        state_cache = DescriptorCache(tmp_path / "state")
        findings = lint_workspace(workspace, compile_workspace(workspace, DescriptorCache(tmp_path / "c")), state_cache)
        return findings.findings, set(LintState(state_cache, workspace)._previous["verdicts"])

    before, decided = verdict_keys()
    touch_one_file(tree)  # a new message at the end: no package, import, option or RPC changes
    after, reused = verdict_keys()
    assert decided and reused == decided  # decided from equal summaries: the same key, nothing decided anew
    assert after == before


def test_a_summary_rows_digest_does_not_depend_on_how_its_objects_are_shared() -> None:
    """A row made in a worker and the same row made here share their strings differently (``marshal``'s own
    output would differ), and must digest the same for the module-wide verdicts to be reused."""
    from protokit.lint.summary import row_digest

    name = "acme/orders/v1/order.proto"
    shared = [name, "acme.orders.v1", [name, name], {(4, 0): [1, 2, 3]}]
    copied = [name, "acme.orders.v1", ["".join(name), name[:5] + name[5:]], {(4, 0): [1, 2, 3]}]
    assert row_digest(shared) == row_digest(copied)
    assert row_digest(shared) != row_digest([*shared[:3], {(4, 0): [1, 2, 4]}])


def test_an_edit_makes_the_results_of_the_recompiled_files_only(tree: Path, tmp_path: Path) -> None:
    """After one file changed, the findings of every file that was not compiled again (the edited file and its
    importers are) are passed on from the lint state, and the run reports what a run with an empty state does."""
    from protokit.compile.cache import DescriptorCache
    from protokit.compile.compiler import compile_workspace
    from protokit.diagnostics import display_path
    from protokit.lint.engine import LintState, lint_workspace
    from protokit.workspace import open_workspace

    def lint_with(state: Path) -> tuple[Any, set[str], int]:
        workspace = open_workspace([tree])
        state_cache = DescriptorCache(state)
        compiled = compile_workspace(workspace, DescriptorCache(tmp_path / "c"))
        report = lint_workspace(workspace, compiled, state_cache)
        return report, set(LintState(state_cache, workspace)._previous["results"]), compiled.compiled

    before, kept, _ = lint_with(tmp_path / "state")
    edited = touch_one_file(tree)
    edited.write_text(edited.read_text() + "\nmessage bench_edit {\n  string someField = 1;\n}\n")  # a new finding
    after, now, recompiled = lint_with(tmp_path / "state")
    assert 1 < recompiled < len(kept)
    assert len(now - kept) == len(kept - now) == recompiled  # made anew for those files, passed on for the rest
    fresh, _, _ = lint_with(tmp_path / "fresh-state")
    assert after.findings == fresh.findings and after.count > before.count
    earlier = {(file.shown, file.data) for file in before.files}
    assert [f.shown for f in after.files if (f.shown, f.data) not in earlier] == [display_path(edited)]


def test_the_lint_state_is_rewritten_as_a_small_delta_after_an_edit(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that changes few state entries writes them as a delta over the unchanged base; with the delta
    allowed no size, the entries in use become the new base; each way the next run reports the same."""
    from protokit.checks.run_cache import LayeredEntry
    from protokit.compile.cache import DescriptorCache
    from protokit.compile.compiler import compile_workspace
    from protokit.lint.engine import LintState, lint_workspace
    from protokit.workspace import open_workspace

    state = DescriptorCache(tmp_path / "state")
    monkeypatch.setattr(LayeredEntry, "SHARE", 2)  # a small tree: an edit changes a fifth of it

    def lint() -> tuple[Any, LintState]:
        workspace = open_workspace([tree])
        report = lint_workspace(workspace, compile_workspace(workspace, DescriptorCache(tmp_path / "c")), state)
        return report, LintState(state, workspace)

    first, kept = lint()
    base = (tmp_path / "state" / "descriptors" / kept.key[:2] / kept.key).read_bytes()
    touch_one_file(tree)
    second, after = lint()
    delta = tmp_path / "state" / "descriptors" / after.stored.delta_key[:2] / after.stored.delta_key
    assert (tmp_path / "state" / "descriptors" / kept.key[:2] / kept.key).read_bytes() == base
    assert delta.is_file() and delta.stat().st_size * 2 < len(base)
    assert second.findings == first.findings
    monkeypatch.setattr(LayeredEntry, "SHARE", 10**9)
    touch_one_file(tree)
    third, rebased = lint()
    assert (tmp_path / "state" / "descriptors" / kept.key[:2] / kept.key).read_bytes() != base
    assert third.findings == first.findings and set(rebased._previous["results"]) == set(rebased.stored.base["results"])


def test_parts_made_in_the_compile_workers_equal_those_made_after(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compile workers make every file's summary and parts while they compile (in chunks, on two
    processes); the lint then reports what it reports when it makes them itself."""
    from protokit.compile import compiler
    from protokit.compile.cache import DescriptorCache
    from protokit.compile.compiler import compile_workspace, plan_compile
    from protokit.lint.engine import lint_workspace, parts_work
    from protokit.workspace import open_workspace

    monkeypatch.chdir(tree)
    monkeypatch.setattr(compiler, "MIN_CHUNK_BYTES", 16 * 1024)  # several chunks even for this small tree
    workspace = open_workspace([tree])
    cache = DescriptorCache(tmp_path / "with-work")
    plan = plan_compile(workspace, cache)
    compiled = compile_workspace(workspace, cache, plan=plan, work=lambda: parts_work(workspace, plan), jobs=2)
    assert set(compiled.extras) == set(workspace.files)
    with_work = lint_workspace(workspace, compiled, DescriptorCache(None))
    after = lint_workspace(
        workspace, compile_workspace(workspace, DescriptorCache(tmp_path / "c")), DescriptorCache(None)
    )
    assert with_work.findings == after.findings and with_work.warnings == after.warnings
    assert with_work.count > 100


def test_a_repeated_run_prints_what_a_fresh_one_does_in_each_format(tree: Path, tmp_path: Path) -> None:
    """A repeated run prints the output kept with the run (one per format and options): the same bytes as a
    run with an empty cache, whichever format ran before it."""

    def lint_as(fmt: str, cache: Path, *extra: str) -> str:
        return run_protokit(("lint", "--error-format", fmt, *extra), cache, cwd=tree).stdout

    cache = tmp_path / "cache"
    for fmt, extra in (("json", ()), ("text", ()), ("text", ("--show-rule",)), ("json", ())):
        kept = lint_as(fmt, cache, *extra)
        assert kept == lint_as(fmt, cache, *extra) == lint_as(fmt, tmp_path / f"fresh-{fmt}-{len(extra)}", *extra)
        assert kept
