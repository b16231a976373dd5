"""Time off and schedules: day-off requests, scheduling runs from the database, published shifts.

The roster itself comes from the pure core :mod:`frontline.wfm.schedule`; this package is
its imperative shell — rows in (``problem.py``), a background run (``runner.py``), rows
out, and what agents see (``calendar.py``).
"""
