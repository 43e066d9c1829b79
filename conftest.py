"""Shared test settings: checks made by the tests never touch a learner's progress file."""

from __future__ import annotations

import os

os.environ["CS_HELPERS_PROGRESS"] = "off"

# The contract aliases replace themselves in sys.modules with their course module (one module
# object, see cs_helpers/simulate.py); the course modules' doctests are collected there.
collect_ignore = ["cs_helpers/simulate.py", "cs_helpers/exercises.py"]
