"""The key of the workplace e-mail groups (`Feedback.mail_group`).

A group names the instructor's e-mail address, so the row keeps only a digest of it. A plain
hash of a known format could be checked against a guessed address by anyone holding the rows;
the digest is therefore an HMAC-SHA256 with a key of the service. With `EHOKS_TOKEN_SIGNING_KEY`
set the key is derived from it (so it lives outside the database like that key); otherwise it is
a key generated once and kept in `service_key` like the service's other generated keys
(`ehoks.kit.keys`), which at least keeps the feedback rows alone (an export, a copy of one
table) from confirming an address.

Rows linked before the digest was keyed keep their plain SHA-256 (`rules.mail_group_digest`),
and so do the e-mail jobs scheduled for them: a job finds its periods by the digest it carries,
so both kinds go on being sent. The only difference is in the month of the change: an instructor
with periods linked on both sides of it gets two e-mails, one for each kind (docs/feedback.md).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final
from weakref import WeakKeyDictionary

from sqlalchemy.orm import Session, sessionmaker

from ehoks.config import Settings
from ehoks.kit.keys import ServiceKeys

KEY_NAME: Final = "feedback-mail-groups"

_generated: WeakKeyDictionary[sessionmaker[Session], bytes] = WeakKeyDictionary()


def group_key(factory: sessionmaker[Session], settings: Settings) -> bytes:
    """The key of the mail groups. Blocking the first time (the database), then remembered."""
    configured = settings.token_signing_key
    if configured:
        # A key of its own, derived from the configured secret: the token key itself signs
        # tokens only.
        return hmac.new(configured.encode(), KEY_NAME.encode(), hashlib.sha256).digest()
    known = _generated.get(factory)
    if known is None:
        known = ServiceKeys(factory, {}).get(KEY_NAME).encode()
        _generated[factory] = known
    return known


def keyed_digest(group: str, key: bytes) -> str:
    """The stored form of a group (`Feedback.mail_group`): 64 hex digits, no address."""
    return hmac.new(key, group.encode(), hashlib.sha256).hexdigest()
