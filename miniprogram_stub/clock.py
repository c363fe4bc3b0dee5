"""The emulator clock: real time plus an offset the developer API can advance.

Every expiry in the emulator (codes, tokens, verify ids, quotas) reads this clock, so a test can
jump five minutes ahead instead of sleeping.
"""

from __future__ import annotations

import threading
import time


class EmulatorClock:
    """Wall-clock time shifted by an adjustable offset (never moves backwards)."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
