"""The secret keys the service signs with; none of them is ever in the source.

A key the settings give (`EHOKS_TOKEN_SIGNING_KEY`) is used as it is. Otherwise each key is
generated the first time it is needed and stored in the database (`service_key`), where every web
process of the service finds the same one. Two processes that start at once may both try to
create it: the first insert wins and the other reads the winner's key.

The database holds the data these keys protect, so keeping a generated key there gives away
nothing a reader of the database does not already have. An operator who wants the key outside the
database sets it in the settings (then the stored one is not used).
"""

from __future__ import annotations

import secrets
import threading
from datetime import datetime
from typing import Final

from sqlalchemy import String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ehoks.kit.db.base import Base, UTCDateTime, utcnow

# The names of the keys; each signs one kind of thing only.
PROVIDER_TOKENS: Final = "provider-access-tokens"
DEV_IDP_FORMS: Final = "dev-idp-forms"
_KEY_BYTES: Final = 48


class ServiceKey(Base):
    """A generated secret key, kept for every web process of the service."""

    __tablename__ = "service_key"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    secret: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ServiceKeys:
    """The keys of one app: configured ones, else loaded (or created) once and remembered."""

    def __init__(self, factory: sessionmaker[Session], configured: dict[str, str]) -> None:
        self._factory = factory
        self._known = dict(configured)
        self._lock = threading.Lock()

    def cached(self, name: str) -> str | None:
        """The key if this process already knows it (no database work)."""
        return self._known.get(name)

    def get(self, name: str) -> str:
        """The key `name`, from the database (created there on first use). Blocking."""
        known = self._known.get(name)
        if known is not None:
            return known
        with self._lock:
            known = self._known.get(name)
            if known is None:
                known = self._load_or_create(name)
                self._known[name] = known
        return known

    def _load_or_create(self, name: str) -> str:
        with self._factory() as session:
            stored = session.scalar(select(ServiceKey.secret).where(ServiceKey.name == name))
            if stored is not None:
                return stored
        try:
            with self._factory.begin() as session:
                session.add(
                    ServiceKey(
                        name=name, secret=secrets.token_urlsafe(_KEY_BYTES), created_at=utcnow()
                    )
                )
        except IntegrityError:
            pass  # another process created it first: use theirs
        with self._factory() as session:
            return session.scalars(select(ServiceKey.secret).where(ServiceKey.name == name)).one()
