"""What-if runs in a background thread: the baseline and the changed day, with progress.

A run lives in this process's memory only (a what-if is asked, read and thrown away; no
table keeps it), so with several server workers a run is seen by the worker that started
it. One worker thread: the machine's cores are for the live system, and two runs at once
would only slow each other down. The last :data:`KEEP` runs are kept.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from frontline.sim import Scenario, SimulationResult, simulate
from frontline.sim.whatif import WhatIf

__all__ = ["KEEP", "WhatIfRun", "WhatIfRunner", "runner"]

KEEP = 20


@dataclass
class WhatIfRun:
    id: str
    day: str
    change: WhatIf
    replications: int
    done: int = 0  # replications finished, of both runs
    baseline: SimulationResult | None = None
    variant: SimulationResult | None = None
    failure: str | None = None

    @property
    def total(self) -> int:
        return 2 * self.replications

    @property
    def finished(self) -> bool:
        return self.failure is not None or self.variant is not None


class WhatIfRunner:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: OrderedDict[str, WhatIfRun] = OrderedDict()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="what-if")

    def start(
        self, day: str, change: WhatIf, baseline: Scenario, variant: Scenario, replications: int
    ) -> WhatIfRun:
        run = WhatIfRun(uuid.uuid4().hex[:12], day, change, replications)
        with self._lock:
            self._runs[run.id] = run
            while len(self._runs) > KEEP:
                self._runs.popitem(last=False)
        self._executor.submit(self._execute, run, baseline, variant)
        return run

    def get(self, run_id: str) -> WhatIfRun | None:
        with self._lock:
            return self._runs.get(run_id)

    def recent(self) -> list[WhatIfRun]:
        with self._lock:
            return list(reversed(self._runs.values()))

    @staticmethod
    def _execute(run: WhatIfRun, baseline: Scenario, variant: Scenario) -> None:
        count = run.replications
        try:
            first = simulate(baseline, count, progress=lambda done: _set_done(run, done))
            run.baseline = first
            run.variant = simulate(
                variant, count, progress=lambda done: _set_done(run, count + done)
            )
        except Exception as exc:  # a thread has nobody to raise to: show the failure
            run.failure = str(exc) or type(exc).__name__


def _set_done(run: WhatIfRun, done: int) -> None:
    run.done = done


runner = WhatIfRunner()
