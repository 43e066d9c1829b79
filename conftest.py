"""Shared test settings: checks made by the tests never touch a learner's progress file."""

from __future__ import annotations

import os

os.environ["CS_HELPERS_PROGRESS"] = "off"
