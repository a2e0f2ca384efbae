"""Shapes over the whole index: what cites what, policies through meetings, tasks, time.

Cross-references (:mod:`.crossrefs`: 引用/被引用, a reviewed document's path, each
department's tasks), the timeline of a query's matches (:mod:`.timeline`), the meeting
calendar and a meeting's neighbours (:mod:`.calendar`), and the department workload grid
(:mod:`.workload`). Built once per searcher (or read from what ``minutes index`` saved).
"""
