"""Alias (contract name): ``cs_helpers.exercises`` is :mod:`cs_helpers.course.exercises`.

``from cs_helpers.exercises import check, hint, progress`` (the lessons' import) gives the course
module's functions (this module replaces itself with it in ``sys.modules``: one module object,
one registry of exercises), and ``python -m cs_helpers.exercises build [--check [--strict]]``
runs its command line.
"""

import sys

from .course import exercises as _course_exercises

if __name__ == "__main__":
    sys.exit(_course_exercises.main())
else:
    sys.modules[__name__] = _course_exercises
