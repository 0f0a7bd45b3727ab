"""Arranging the student pages' tests: a plan built from the national full example, for Maija."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.auth.conftest import auth_server, browser  # noqa: F401 - fixtures
from tests.people.conftest import (  # noqa: F401 - fixtures
    MAIJA,
    registry,
    staff,
    store_hoks,
    student,
)
from tests.support.api import fresh_example, load_registry

FULL_STUDY_RIGHT = "1.2.246.562.15.10000000009"


def full_document() -> dict[str, Any]:
    """`hoks-full.json` as a student information system sends it (periods identified)."""
    document = fresh_example("hoks-full.json")
    assert document["oppija-oid"] == MAIJA
    assert document["opiskeluoikeus-oid"] == FULL_STUDY_RIGHT
    return document


@pytest.fixture
def full_plan(session_factory: sessionmaker[Session]) -> tuple[int, dict[str, Any]]:
    """(HOKS id, the stored document) of Maija's plan from the full example."""
    load_registry(session_factory)
    hoks_id = store_hoks(session_factory, full_document())
    return hoks_id, full_document()


def parts_of(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every unit, learning period and demonstration of a document, at any depth."""
    found: dict[str, list[dict[str, Any]]] = {"units": [], "periods": [], "demonstrations": []}

    def visit(value: Any, key: str = "") -> None:
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    if "tutkinnon-osat" in key or (
                        key == "osa-alueet" and "osa-alue-koodi-uri" in item
                    ):
                        found["units"].append(item)
                    elif key == "osaamisen-hankkimistavat":
                        found["periods"].append(item)
                    elif key in ("osaamisen-osoittaminen", "tarkentavat-tiedot-naytto"):
                        found["demonstrations"].append(item)
                    visit(item)
        elif isinstance(value, dict):
            for child_key, child in value.items():
                visit(child, child_key)

    visit(document)
    return found
