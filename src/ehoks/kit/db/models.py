"""Every table of the service, gathered so that Alembic sees the whole schema."""

from __future__ import annotations

from ehoks.client import models as _client_models  # noqa: F401
from ehoks.hoks import models as _hoks_models  # noqa: F401
from ehoks.kit.db.base import Base

# Importing the domain model modules registers their tables on Base.metadata.
from ehoks.registry import models as _registry_models  # noqa: F401

metadata = Base.metadata
