"""The collector settings of protokit's processes, checked in a fresh interpreter (they are process-wide)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import proto, write_tree

SCRIPT = """
import gc, weakref
from protokit.collection import LEFTOVER_THRESHOLD, collect_leftovers, set_for_workers

class Node:
    pass

def cycles(count):
    first = None
    for _ in range(count):
        a, b = Node(), Node()
        a.other, b.other = b, a
        first = first or weakref.ref(a)
    return first

set_for_workers()
assert not gc.isenabled()
few = cycles(1000)
collect_leftovers()
assert few() is not None, "a pass ran with few containers left behind"
many = cycles(LEFTOVER_THRESHOLD // 2)
assert many() is not None, "a pass ran during the work"
collect_leftovers()
assert many() is None and few() is None, "the cycles left behind were not collected"
assert gc.get_count()[0] < 1000
print("ok")
"""


def test_workers_collect_only_between_chunks_and_only_when_much_was_left() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


LINT_CHUNK = """
import gc, sys
from pathlib import Path
from protokit.compile.cache import DescriptorCache
from protokit.compile.compiler import dependency_order, plan_compile
from protokit.compile.worker import compile_chunk
from protokit.lint.engine import parts_work
from protokit.workspace import open_workspace, whole_workspace

root = Path(sys.argv[1])
whole = whole_workspace(open_workspace([root]))
plan = plan_compile(whole, DescriptorCache(None))
work = parts_work(whole, plan)
names = list(plan.order)
files = [(name, str(plan.graph.resolve(name))) for name in names]
compile_chunk([str(r) for r in whole.roots], files)  # what the first chunk leaves (imports, caches) aside
gc.collect()
gc.disable()
chunk_work = work.for_chunk(names, dependency_order(plan.graph.sources, names))
done = compile_chunk([str(r) for r in whole.roots], files, None, chunk_work)
assert done.ok and set(done.extras) == set(names), done
print(gc.collect())
"""


def test_a_compile_workers_lint_work_leaves_no_cycles_behind(tmp_path: Path) -> None:
    """The file views and elements a chunk's lint work made are freed when it ends, by reference counting: the
    worker, whose collector is off, has nothing to collect (a pass between chunks cost a second on googleapis)."""
    files = {
        f"acme/p{i}/v1/p{i}.proto": proto(
            f"acme.p{i}.v1",
            f"// M.\nmessage M{i} {{\n  // a.\n  string Bad_Name = 1;\n  // e.\n  enum E {{ E_UNSPECIFIED = 0; }}\n}}",
        )
        for i in range(3)
    }
    root = write_tree(tmp_path / "repo", files)
    result = subprocess.run([sys.executable, "-c", LINT_CHUNK, str(root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
