"""Every table of the service, gathered so that Alembic sees the whole schema."""

from __future__ import annotations

# Importing the domain model modules registers their tables on Base.metadata.
from ehoks.audit import models as _audit_models  # noqa: F401
from ehoks.auth import models as _auth_models  # noqa: F401
from ehoks.client import models as _client_models  # noqa: F401
from ehoks.credentials import models as _credential_models  # noqa: F401
from ehoks.feedback import models as _feedback_models  # noqa: F401
from ehoks.hoks import models as _hoks_models  # noqa: F401
from ehoks.instructor import models as _instructor_models  # noqa: F401
from ehoks.kit import keys as _keys  # noqa: F401
from ehoks.kit import throttle as _throttle  # noqa: F401
from ehoks.kit.db.base import Base
from ehoks.people import models as _people_models  # noqa: F401
from ehoks.registry import models as _registry_models  # noqa: F401
from ehoks.sharing import models as _sharing_models  # noqa: F401

metadata = Base.metadata
