"""Offer time-outs and wrap-up limits: when :meth:`Engine.tick` has work on agents' hands.

Almost every deadline dies before it is due (the offer is answered, the wrap-up is
done), and nothing removes it then: each entry holds the work item it was set for and
that item's token, and the engine changes or zeroes the token when the work moves on, so
a dead entry is known without a look-up. Filed in a heap, each dead entry would cost a
pop of ``log n`` tuple comparisons; filed by the whole second it falls in, it costs an
append, and a tick sorts only the live entries of the seconds it reaches. A deadline at
infinity (no limit) is never filed.
"""

from __future__ import annotations

import heapq
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontline.routing.policies import WorkItem

# due time, contact id, agent id, token of the work item it was set for, and that item
# (tokens are unique, so sorting never compares items)
Deadline = tuple[float, int, int, int, "WorkItem"]


class Deadlines:
    """Deadlines filed by second; :meth:`pop_due` hands back the live ones in order."""

    def __init__(self) -> None:
        self._by_second: dict[int, list[Deadline]] = {}
        self._seconds: list[int] = []  # a heap of the keys of ``_by_second``

    def add(self, deadline: Deadline) -> None:
        if deadline[0] == math.inf:
            return  # never due
        second = math.floor(deadline[0])
        filed = self._by_second.get(second)
        if filed is None:
            self._by_second[second] = [deadline]
            heapq.heappush(self._seconds, second)
        else:
            filed.append(deadline)

    def pop_due(self, now: float) -> list[Deadline]:
        """Every deadline due by ``now`` whose work item still has the token it was set
        for, by due time and then contact id; dead ones due by ``now`` are dropped."""
        due: list[Deadline] = []
        seconds, by_second = self._seconds, self._by_second
        while seconds and seconds[0] <= now:
            second = seconds[0]
            filed = by_second[second]
            if second + 1 > now:  # ``now`` falls inside this second: take only what is due
                due += [deadline for deadline in filed if deadline[0] <= now]
                filed[:] = [deadline for deadline in filed if deadline[0] > now]
                if filed:
                    break
            heapq.heappop(seconds)
            del by_second[second]
            due += filed
        live = [deadline for deadline in due if deadline[4].token == deadline[3]]
        live.sort()
        return live

    def first(self) -> float | None:
        """The earliest due time filed (perhaps of a dead entry); None when empty."""
        if not self._seconds:
            return None
        return min(self._by_second[self._seconds[0]])[0]
