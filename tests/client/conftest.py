from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from ehoks.access.subjects import ClientAccess
from ehoks.client import service
from ehoks.client.cache import clear_client_cache
from ehoks.client.models import SystemClient
from ehoks.kit.db.engine import transaction
from ehoks.registry.models import Organisation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

ORG_OID = "1.2.246.562.10.11111111111"

MakeClient = Callable[..., tuple[SystemClient, str]]


@pytest.fixture(autouse=True)
def _fresh_client_cache() -> Iterator[None]:
    clear_client_cache()
    yield
    clear_client_cache()


@pytest.fixture
def organisation(session: Session) -> str:
    session.add(
        Organisation(
            oid=ORG_OID,
            names={"fi": "Testiopisto"},
            parent_oid=None,
            parent_oid_path="",
            types=[],
            provisional=False,
            content_hash="x",
        )
    )
    session.commit()
    return ORG_OID


@pytest.fixture
def make_client(organisation: str, session_factory: sessionmaker[Session]) -> MakeClient:
    """Create a client in its own committed transaction; returns the row and the clear secret."""

    def make(
        access: ClientAccess = ClientAccess.WRITE, name: str = "Testi-SIS"
    ) -> tuple[SystemClient, str]:
        with transaction(session_factory) as session:
            return service.create_client(
                session, name=name, organisation_oid=organisation, access=access
            )

    return make


def disable(session_factory: sessionmaker[Session], client_id: str) -> None:
    with transaction(session_factory) as session:
        service.disable_client(session, client_id)
