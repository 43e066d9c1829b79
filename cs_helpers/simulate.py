"""Alias (contract name): ``cs_helpers.simulate`` is :mod:`cs_helpers.course.simulate`.

``import cs_helpers.simulate``, ``from cs_helpers import simulate`` and ``cs.simulate`` all give the
course module itself (the same object, so ``simulate.TRUE_PARAMS``, ``true_survival``,
``b2b_latent`` ... are there and monkeypatching one patches the other), and
``python -m cs_helpers.simulate --out data`` runs its command line.
"""

import sys

from .course import simulate as _course_simulate

if __name__ == "__main__":
    sys.exit(_course_simulate.main())
else:
    sys.modules[__name__] = _course_simulate
