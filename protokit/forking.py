"""Whether this process may fork its worker processes rather than start them afresh."""

from __future__ import annotations

import sys
import threading
from multiprocessing import get_all_start_methods


def can_fork() -> bool:
    """Linux, and no other thread running: a forked child has only the thread that forked it, and a lock another
    thread held at that moment would stay locked in the child forever."""
    return sys.platform == "linux" and "fork" in get_all_start_methods() and threading.active_count() == 1
