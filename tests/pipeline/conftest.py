"""The people API's fixtures: signed-in staff and their students' HOKS."""

from tests.people.conftest import hoks, registry, staff  # noqa: F401 - fixtures used here
