"""augreg_tools: the course's authoring tools (not imported by any lesson).

Runtime code that lessons, exercises and solutions import lives in :mod:`augreg`;
what only authors run lives here:

* :mod:`augreg_tools.records` -- ``make pilots`` and ``make seeds``: run the lessons on
  pilot or held-out base seeds and record what every claim measured (``records/``).
* :mod:`augreg_tools.exercises` -- ``make exercises``: writes ``exercises/`` from
  ``solutions/`` (stubs, no leaks, roles as plain text), finds leaks, and runs a solution
  notebook on pilot bases for a check's bound.
* :mod:`augreg_tools.lab` -- ``make lab``: JupyterLab on working copies of the exercises in
  ``work/``.
"""
