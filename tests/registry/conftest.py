"""Helpers for the registry tests: the shared test data and one-transaction imports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ehoks.kit.db.engine import transaction
from ehoks.registry.service import ImportReport, import_files

DATA = Path(__file__).parent.parent / "data" / "registry"
ORGANISATIONS = DATA / "organisations.json"
STUDENTS = DATA / "students.json"
SAMPLES = DATA / "national-samples"

Importer = Callable[..., ImportReport]


@pytest.fixture
def run_import(session_factory: sessionmaker[Session]) -> Importer:
    """Import files in one committed transaction, as `ehoks registry import` does."""

    def run(*paths: Path) -> ImportReport:
        with transaction(session_factory) as session:
            return import_files(session, paths)

    return run
