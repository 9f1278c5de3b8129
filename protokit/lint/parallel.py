"""Running one function over many items on every core: in worker processes forked from this one.

The lint rule pass reads compiled files, views and rules that this process already holds; a forked worker
inherits them, so nothing is sent to it and only its results come back (pickled, through a pipe).  Where forking
is not safe (not Linux, or other threads running) or not worth it (few items, one core), the items are
worked through here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from multiprocessing import get_context
from typing import Any, TypeVar

from protokit.forking import can_fork

# Below this many items, forking costs more than it saves.
PARALLEL_MIN_ITEMS = 200

# What the forked workers run: set just before forking, cleared after.
_work: Callable[[Any], Any] | None = None
_items: Sequence[Any] = ()

T = TypeVar("T")
R = TypeVar("R")


def in_workers(work: Callable[[T], R], items: Sequence[T], jobs: int | None = None) -> list[R]:
    """``[work(item) for item in items]``, computed by ``jobs`` processes (default: every core) when there are
    many items: this one and ``jobs - 1`` forked from it, each on an interleaved slice of the items (which
    balances the load).  ``work`` must return picklable values; exceptions it raises reach the caller."""
    global _work, _items
    jobs = min(jobs or os.cpu_count() or 1, len(items))
    if jobs < 2 or len(items) < PARALLEL_MIN_ITEMS or not can_fork():
        return [work(item) for item in items]
    context = get_context("fork")
    workers: list[tuple[Any, Any]] = []
    _work, _items = work, items
    try:
        for start in range(1, jobs):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_slice, args=(start, jobs, sending), daemon=True)
            process.start()
            sending.close()
            workers.append((process, receiving))
        results: list[R] = [None] * len(items)  # type: ignore[list-item]
        results[::jobs] = [work(item) for item in items[::jobs]]
        for start, (process, receiving) in enumerate(workers, start=1):
            try:
                done, found = receiving.recv()
            except EOFError:
                raise RuntimeError(f"a worker process ended without a result (exit code {process.exitcode})") from None
            if not done:
                raise found
            results[start::jobs] = found
        return results
    finally:
        _work, _items = None, ()
        for process, receiving in workers:
            receiving.close()
            if process.is_alive():
                process.terminate()
            process.join()


def _slice(start: int, step: int, sending: Any) -> None:
    """In a forked worker: send back the results of every ``step``-th item from ``start``, or the exception."""
    assert _work is not None
    try:
        payload: tuple[bool, Any] = (True, [_work(item) for item in _items[start::step]])
    except Exception as error:  # noqa: BLE001 (any failure is the caller's to report)
        payload = (False, error)
    try:
        sending.send(payload)
    except Exception as error:  # noqa: BLE001 (an exception that cannot be pickled: its text)
        sending.send((False, RuntimeError(f"{type(error).__name__}: {error}")))
    sending.close()
