"""Python's cyclic garbage collector set for a protokit process: a run makes millions of small objects that
live until it ends (descriptors, elements, findings) and few reference cycles, so the collector's default
pace (a pass every 700 new containers, each older pass re-walking everything alive) costs seconds on a large
tree for almost nothing freed."""

from __future__ import annotations

import gc

# A young pass after this many new containers (the default is 700); older passes as often as by default
# relative to it.  Memory held by unreachable cycles stays bounded by about this many objects.
YOUNG_THRESHOLD = 100_000
# A compile worker collects between two chunks once this many containers were made and not freed since its
# last pass: what a chunk leaves behind is the few cycles it made (none, for a lint: its file views are released).
LEFTOVER_THRESHOLD = 1_000_000


def set_for_runs() -> None:
    """Collect cycles at the pace of a batch run: objects alive now are set aside (never walked again), and
    young passes come after :data:`YOUNG_THRESHOLD` new containers."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 10, 10)


def set_for_workers() -> None:
    """Collect cycles only between two pieces of work (:func:`collect_leftovers`): a compile worker keeps a
    chunk's descriptors and elements until the chunk is done, and passes during it walked them again and again
    for nothing (a second of CPU on googleapis)."""
    gc.freeze()
    gc.disable()


def collect_leftovers() -> None:
    """A full pass when the work done since the last one left many containers behind (see
    :func:`set_for_workers`); nothing otherwise."""
    if gc.get_count()[0] >= LEFTOVER_THRESHOLD:
        gc.collect()
