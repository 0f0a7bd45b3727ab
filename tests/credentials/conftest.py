"""Arranging the export tests: Maija's plan from the national full example, and its parts."""

from __future__ import annotations

from tests.people.conftest import (  # noqa: F401 - fixtures
    registry,
    store_hoks,
    student,
)
from tests.studentpages.conftest import full_plan  # noqa: F401 - fixture
