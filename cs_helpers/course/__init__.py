"""The course machinery: what the lessons need and an analyst using the library does not.

- :mod:`~cs_helpers.course.exercises`: ``check``, ``hint``, ``progress`` and the student copies
  (``python -m cs_helpers.exercises build``); the exercise types are in
  :mod:`~cs_helpers.course.exercise_types` and the definitions, one module per lesson, in
  :mod:`cs_helpers.course.lessons`.
- :mod:`~cs_helpers.course.site`: the offline site and slides (vendored reveal.js and require.js in
  ``_vendor/``); :mod:`~cs_helpers.course.lab`: the Jupyter save hook; :mod:`~cs_helpers.course.timing`:
  the timing rule.
- :mod:`~cs_helpers.course.simulate`, :mod:`~cs_helpers.course.datasets` and
  :mod:`~cs_helpers.course.schema`: the two simulated businesses and their tables.

The analytics library (the rest of :mod:`cs_helpers`) never imports this package
(``tests/test_layout.py`` checks it); the course names of ``../shared/DESIGN.md`` section 6
(``cs.datasets``, ``cs.simulate``, ``python -m cs_helpers.simulate``,
``from cs_helpers.exercises import check``) are thin aliases to the modules here. Nothing is
imported here eagerly: ``import cs_helpers.course.lab`` loads the save hook alone, apart from
:mod:`~cs_helpers.course.labels_ja`, a dictionary that registers the Japanese display labels of
the lessons' own tables with :func:`cs_helpers.labels.register`.
"""

from . import labels_ja  # noqa: F401  (registers the lessons' display labels)
