"""Fixtures of the app tests: signed-in staff, students and their HOKS (API conformance)."""

from tests.people.conftest import hoks, registry, staff, student  # noqa: F401 - fixtures used here
