"""The course's exercises: expected answers computed from the data, mistakes recognised.

Each notebook's exercises are registered here with :func:`cs_helpers.exercises.register`.
"""

from __future__ import annotations
