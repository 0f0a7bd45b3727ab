"""Where the packages are connected: every cross-package reaction of the service, in one place.

Lower packages offer hooks (and the request pipeline a place for the session resolver); the
packages above them plug in. Every process connects them once at
start-up (the web application, the `ehoks` command, the test suite) by calling `connect()`; a
hook that fires with no listener refuses to run (`ehoks.kit.hooks`).
"""

from __future__ import annotations

from ehoks.auth import identity
from ehoks.credentials import listeners as credential_listeners
from ehoks.feedback import new_plans as feedback_initiation
from ehoks.hoks import listeners as hoks_listeners
from ehoks.hoks.hooks import HOKS_WRITTEN
from ehoks.instructor import projection
from ehoks.pipeline.callers import connect_person_resolver
from ehoks.registry.hooks import PERSONS_RENAMED
from ehoks.sharing import listeners as sharing_listeners


def connect() -> None:
    """Connect every listener (idempotent)."""
    # A HOKS written: the workplace periods its instructors see follow the document.
    HOKS_WRITTEN.listen(projection.on_hoks_written)
    # A HOKS written: its feedback surveys are decided in the same transaction (an outbox).
    HOKS_WRITTEN.listen(feedback_initiation.on_hoks_written)
    # A HOKS deleted: its signed credentials are revoked in the same transaction.
    HOKS_WRITTEN.listen(credential_listeners.on_hoks_written)
    # A HOKS deleted: its share links are withdrawn in the same transaction (not reopened by a
    # restore).
    HOKS_WRITTEN.listen(sharing_listeners.on_hoks_written)
    # Persons renamed in the registry: the HOKS rows' sort names follow.
    PERSONS_RENAMED.listen(hoks_listeners.on_persons_renamed)
    # A session cookie: the sign-in package says who it belongs to.
    connect_person_resolver(identity.person_of)
