"""The collector settings of protokit's processes, checked in a fresh interpreter (they are process-wide)."""

from __future__ import annotations

import subprocess
import sys

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
