"""Acting on HOKS directly through the services, as a test arranges data."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ehoks.access.directory import OPH_ROOT_OID
from ehoks.access.subjects import ClientAccess, SystemClientSubject
from ehoks.hoks.service import Actor
from ehoks.hoksmodel import Variant
from ehoks.registry.directory import access_for

# A provider system of the national root organisation: it reaches every HOKS.
EVERYWHERE = SystemClientSubject("test", "test", OPH_ROOT_OID, ClientAccess.WRITE)


def trusted_actor(session: Session, variant: Variant = Variant.SERVICE) -> Actor:
    """An actor that may write every HOKS (arranging data, not testing access)."""
    return Actor(access=access_for(session, EVERYWHERE), variant=variant)
